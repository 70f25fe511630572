// The side menu: each entry names the permission its page needs, so a role sees only what it may open.
import type { Permission } from '@loyalty/protocol/api/auth.schema';

/** One menu entry: the address, the i18n key of its label and the permission it needs. */
export type MenuEntry = { path: string; label: string; permission: Permission };

export const menuEntries: readonly MenuEntry[] = [
  { path: '/', label: 'menu.dashboard', permission: 'reports:read' },
  { path: '/buyers', label: 'menu.buyers', permission: 'buyers:read' },
  { path: '/sales', label: 'menu.sales', permission: 'sales:read' },
  { path: '/promotions', label: 'menu.promotions', permission: 'settings:read' },
  { path: '/coupons', label: 'menu.coupons', permission: 'settings:read' },
  { path: '/stores', label: 'menu.stores', permission: 'settings:read' },
  { path: '/cashiers', label: 'menu.cashiers', permission: 'settings:read' },
  { path: '/terminals', label: 'menu.terminals', permission: 'terminals:read' },
  // Every import kind needs buyers:write or more; the page offers the kinds the role may run.
  { path: '/imports', label: 'menu.imports', permission: 'buyers:write' },
  // Programme settings are for those who may change them (owner, admin).
  { path: '/programme', label: 'menu.programme', permission: 'settings:write' },
  // Questionnaire settings change what every buyer form asks: owner and admin.
  { path: '/questionnaire', label: 'menu.questionnaire', permission: 'settings:write' },
  // Users, roles and API keys: owner and admin.
  { path: '/users', label: 'menu.users', permission: 'users:manage' },
  // The audit log: who changed what, owner and admin.
  { path: '/audit', label: 'menu.audit', permission: 'audit:read' },
  // Company name and time zone: owner and admin.
  { path: '/settings', label: 'menu.settings', permission: 'settings:write' },
];

/** The menu entry an address belongs to (the buyer card belongs to Buyers). */
export function selectedEntry(pathname: string): string {
  const match = menuEntries
    .filter((e) => (e.path === '/' ? pathname === '/' : pathname.startsWith(e.path)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return match?.path ?? pathname;
}
