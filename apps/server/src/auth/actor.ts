// Who is calling: a cabinet user (by session) or an integration (by API key), always within one
// merchant. Every route reads the merchant from here, never from the request body.
import type { Role } from '#db/database-schema.ts';
import { forbidden } from '#http/api-error.ts';
import { rolePermissions, type Permission } from './permissions.ts';

/** The authenticated caller. */
export type Actor =
  | { kind: 'user'; id: string; merchantId: string; role: Role; sessionId: string }
  | { kind: 'api_key'; id: string; merchantId: string; scopes: ReadonlySet<string> }
  | { kind: 'system'; id: null; merchantId: string };

/** True when the actor holds the permission. */
export function can(actor: Actor, permission: Permission): boolean {
  switch (actor.kind) {
    case 'user':
      return rolePermissions[actor.role].has(permission);
    case 'api_key':
      return actor.scopes.has(permission);
    case 'system':
      return true;
  }
}

/** Throws 403 unless the actor holds the permission. */
export function demand(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden();
}
