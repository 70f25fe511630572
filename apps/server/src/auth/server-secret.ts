// The one server-wide secret (SERVER_SECRET): keys the cashier code lookup and encrypts the
// merchants' QR signing keys. Production must set it to a long random string and keep it: the
// fallback is public, and changing it orphans everything derived from it.

const DEV_SERVER_SECRET = 'loyalty-dev-server-secret-not-for-production';

/** SERVER_SECRET, or the public development fallback. */
export const serverSecret: string = process.env.SERVER_SECRET || DEV_SERVER_SECRET;
