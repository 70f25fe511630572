// A page opened by address still checks the role: the same rule as the menu (the API checks again).
import type { ReactNode } from 'react';
import type { Permission } from '@loyalty/protocol/api/auth.schema';
import { ForbiddenPage } from '#app/status-pages.tsx';
import { useSession } from './session-context.tsx';

/** Renders the page when the role has `permission` (null: any signed-in user). */
export function RequirePermission({
  permission,
  children,
}: {
  permission: Permission | null;
  children: ReactNode;
}) {
  const { can } = useSession();
  return permission === null || can(permission) ? children : <ForbiddenPage />;
}
