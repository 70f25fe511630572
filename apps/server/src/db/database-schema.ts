// The Kysely view of the schema: one interface per table, composed into Database.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Role = 'owner' | 'admin' | 'marketer' | 'manager' | 'analyst';

export interface MerchantsTable {
  id: Generated<string>;
  name: string;
  time_zone: Generated<string>;
  currency: Generated<string>;
  created_at: CreatedAt;
}
export interface UsersTable {
  id: Generated<string>;
  merchant_id: string;
  email: string;
  name: Generated<string>;
  role: Role;
  password_hash: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  disabled_at: Timestamp | null;
}
export interface SessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  merchant_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}
export interface LoginAttemptsTable {
  id: Generated<number>;
  key: string;
  succeeded: boolean;
  attempted_at: CreatedAt;
}
export interface PasswordResetsTable {
  token_hash: Buffer;
  user_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}
export interface ApiKeysTable {
  id: Generated<string>;
  merchant_id: string;
  name: string;
  secret_hash: Buffer;
  scopes: string[];
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
export interface AuditLogTable {
  id: Generated<number>;
  merchant_id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  created_at: CreatedAt;
}

/** Every table the server reads or writes. */
export interface Database {
  merchants: MerchantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  password_resets: PasswordResetsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}
