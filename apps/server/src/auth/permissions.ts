// What each role may do (C10). API keys carry the same permissions as scopes (B4).
import type { Role } from '#db/database-schema.ts';

/** Every permission a route can require. */
export const Permission = {
  settingsRead: 'settings:read',
  settingsWrite: 'settings:write',
  promotionsWrite: 'promotions:write',
  catalogueWrite: 'catalogue:write',
  storesWrite: 'stores:write',
  buyersRead: 'buyers:read',
  buyersWrite: 'buyers:write',
  pointsManual: 'points:manual',
  salesRead: 'sales:read',
  salesWrite: 'sales:write',
  reportsRead: 'reports:read',
  usersManage: 'users:manage',
  auditRead: 'audit:read',
  terminalsRead: 'terminals:read',
  terminalsManage: 'terminals:manage',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

export const allPermissions: readonly Permission[] = Object.values(Permission);

const read: Permission[] = [
  Permission.settingsRead,
  Permission.buyersRead,
  Permission.salesRead,
  Permission.reportsRead,
  Permission.terminalsRead,
];

/** Permissions per cabinet role. */
export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(allPermissions),
  admin: new Set(allPermissions),
  marketer: new Set([...read, Permission.promotionsWrite, Permission.buyersWrite, Permission.catalogueWrite]),
  manager: new Set([
    ...read,
    Permission.buyersWrite,
    Permission.pointsManual,
    Permission.salesWrite,
    Permission.storesWrite,
    Permission.catalogueWrite,
    Permission.terminalsManage,
  ]),
  analyst: new Set(read),
};
