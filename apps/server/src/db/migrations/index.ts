// Every migration, in order. Names sort by time; add new ones at the end.
import type { Migration } from 'kysely';
import * as tenancyAuth from './2026-11-22T18-30-tenancy-auth.ts';
import * as programme from './2026-11-22T19-20-programme.ts';
import * as storesCatalogue from './2026-11-22T19-00-stores-catalogue.ts';
import * as buyers from './2026-11-22T19-10-buyers.ts';
import * as ledgerReceipts from './2026-11-22T19-30-ledger-receipts.ts';
import * as importReports from './2026-11-22T20-00-import-reports.ts';
import * as terminalsSync from './2026-11-22T21-00-terminals-sync.ts';
import * as receiptPosting from './2026-11-22T20-30-receipt-posting.ts';
import * as tiersReferrals from './2026-11-22T21-20-tiers-referrals.ts';
import * as qrKeys from './2026-11-22T21-10-qr-keys.ts';
import * as buyerSearch from './2026-11-22T21-30-buyer-search.ts';
import * as tillRegistration from './2026-12-03T17-40-till-registration.ts';
import * as mailOutbox from './2026-12-03T17-50-mail-outbox.ts';
import * as salesLog from './2026-12-03T18-10-sales-log.ts';
import * as icuNames from './2026-12-03T19-00-icu-names.ts';
import * as receiptCashier from './2026-12-03T20-10-receipt-cashier.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-22T18-30-tenancy-auth': tenancyAuth,
  '2026-11-22T19-20-programme': programme,
  '2026-11-22T19-00-stores-catalogue': storesCatalogue,
  '2026-11-22T19-10-buyers': buyers,
  '2026-11-22T19-30-ledger-receipts': ledgerReceipts,
  '2026-11-22T20-00-import-reports': importReports,
  '2026-11-22T21-00-terminals-sync': terminalsSync,
  '2026-11-22T20-30-receipt-posting': receiptPosting,
  '2026-11-22T21-20-tiers-referrals': tiersReferrals,
  '2026-11-22T21-10-qr-keys': qrKeys,
  '2026-11-22T21-30-buyer-search': buyerSearch,
  '2026-12-03T17-40-till-registration': tillRegistration,
  '2026-12-03T17-50-mail-outbox': mailOutbox,
  '2026-12-03T18-10-sales-log': salesLog,
  '2026-12-03T19-00-icu-names': icuNames,
  '2026-12-03T20-10-receipt-cashier': receiptCashier,
};
