// Reads and writes of the merchants' QR signing keys.
import type { Db } from '#db/database.ts';

/** A merchant's stored key pair, if it exists. */
export function findQrKey(db: Db, merchantId: string) {
  return db
    .selectFrom('qr_keys')
    .select(['public_key', 'private_key_encrypted'])
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
}

/** Stores a key pair unless the merchant already has one (two first uses may race). */
export async function insertQrKeyIfMissing(
  db: Db,
  merchantId: string,
  publicKey: Buffer,
  privateKeyEncrypted: Buffer,
): Promise<void> {
  await db
    .insertInto('qr_keys')
    .values({ merchant_id: merchantId, public_key: publicKey, private_key_encrypted: privateKeyEncrypted })
    .onConflict((oc) => oc.column('merchant_id').doNothing())
    .execute();
}
