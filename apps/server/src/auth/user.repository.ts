// Cabinet users of a merchant.
import type { Db } from '#db/database.ts';
import type { Role } from '#db/database-schema.ts';

const columns = ['id', 'merchant_id', 'email', 'name', 'role', 'disabled_at', 'password_hash'] as const;

/** A user by e-mail (case-insensitive), across merchants: e-mail is the login. */
export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(columns)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

/** A user of this merchant. */
export function findUser(db: Db, merchantId: string, id: string) {
  return db
    .selectFrom('users')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** All users of a merchant, by e-mail. */
export function listUsers(db: Db, merchantId: string) {
  return db
    .selectFrom('users')
    .select(columns)
    .where('merchant_id', '=', merchantId)
    .orderBy('email')
    .execute();
}

/** Creates a user; the caller has hashed the password. */
export function insertUser(
  db: Db,
  user: { merchantId: string; email: string; name: string; role: Role; passwordHash: string },
) {
  return db
    .insertInto('users')
    .values({
      merchant_id: user.merchantId,
      email: user.email,
      name: user.name,
      role: user.role,
      password_hash: user.passwordHash,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** The public view of a user row. */
export function userView(row: {
  id: string;
  merchant_id: string;
  email: string;
  name: string;
  role: Role;
  disabled_at: Date | null;
}) {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
  };
}
