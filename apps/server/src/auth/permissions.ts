// What each role may do (C10). API keys carry the same permissions as scopes (B4).
import { Permission } from '@loyalty/protocol/api/auth.schema';
import type { Role } from '#db/database-schema.ts';

// The codes live in the protocol so the cabinet names the same ones the session lists.
export { Permission };

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
