// The merchants' QR signing keys (see migration 2026-11-22T21-10-qr-keys).
import type { ColumnType } from 'kysely';

export interface QrKeysTable {
  merchant_id: string;
  /** Raw 32-byte Ed25519 public key, shipped to terminals. */
  public_key: Buffer;
  /** PKCS#8 private key, AES-256-GCM under SERVER_SECRET (qr-key-encryption.ts); never leaves the server. */
  private_key_encrypted: Buffer;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Tables of buyer QR codes. */
export interface QrTables {
  qr_keys: QrKeysTable;
}
