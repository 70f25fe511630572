// Demo buyers: Russian names, real-looking mobile numbers, birthdays, registrations over two
// years (growing towards today), the store and cashier that registered them, referrers, consents
// with their proof, and plastic cards from one series for most of them.
import type { Transaction } from 'kysely';
import type { BuyerChannel, Database } from '#db/database-schema.ts';
import type { BulkWriter } from './bulk-insert.ts';
import { localDayStart } from './local-day.ts';
import { randomPerson, transliterate } from './russian-names.ts';
import { WeightedPicker, type SeededRandom } from './seeded-random.ts';

const DAY = 86_400_000;
// Mobile operator codes (DEF) in use in Russia; the seven digits after them are free.
const MOBILE_CODES = `
  901 903 905 906 909 910 911 912 913 914 915 916 917 918 919 920 921 922 923 924 925 926 927 928
  929 950 951 952 953 958 960 961 962 963 964 965 966 967 968 977 978 980 981 982 983 985 986 987
  988 991 993 995 996 999
`
  .trim()
  .split(/\s+/);
const MAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'list.ru', 'inbox.ru', 'ya.ru'];
const CONSENT_TEXT = 'Согласие на рассылки «Ромашки», ред. 2024-09';

/** A buyer as written, plus what the receipt replay needs. */
export type DemoBuyer = {
  id: string;
  phone: string;
  email: string | null;
  firstName: string;
  lastName: string;
  middleName: string | null;
  gender: 'male' | 'female';
  birthDate: string | null;
  registeredAt: number;
  channel: BuyerChannel;
  /** Index of the store the buyer shops at most. */
  homeStore: number;
  registrationStoreId: string | null;
  registrationCashierId: string | null;
  referrerId: string | null;
  favouriteCategoryIds: string[];
  /** Relative purchase frequency; 0 for buyers who registered and never came back. */
  activity: number;
  /** Card number, for the ~60 % who took a plastic card. */
  cardNumber: string | null;
};

/** What the generator needs to know about the merchant's stores. */
export type StoreRef = { id: string; traffic: number; cashierIds: string[] };

/** Card series written for the demo. */
export const CARD_PREFIX = '7800';

/** Builds `count` buyers registered over the two years before `now`, oldest first. */
export function generateBuyers(
  random: SeededRandom,
  count: number,
  now: number,
  stores: readonly StoreRef[],
  leafCategoryIds: readonly string[],
): DemoBuyer[] {
  const storePicker = new WeightedPicker(stores.map((s) => s.traffic));
  const phones = new Set<string>();
  const registered: number[] = [];
  for (let i = 0; i < count; i++) {
    // More recent registrations are denser: the programme grows.
    const age = 730 * DAY * Math.pow(random.next(), 1.4);
    const day = localDayStart(now - age);
    registered.push(
      Math.min(now - 60_000, day + random.int(9 * 60, 21 * 60) * 60_000 + random.int(0, 59_999)),
    );
  }
  registered.sort((a, b) => a - b);

  const buyers: DemoBuyer[] = [];
  for (const registeredAt of registered) {
    const gender = random.chance(0.62) ? 'female' : 'male';
    const person = randomPerson(random, gender);
    let phone: string;
    do phone = `+7${random.pick(MOBILE_CODES)}${random.digits(7)}`;
    while (phones.has(phone));
    phones.add(phone);
    const homeStore = storePicker.pick(random);
    const store = stores[homeStore];
    const roll = random.next();
    const channel: BuyerChannel =
      roll < 0.8 ? 'till' : roll < 0.9 ? 'chatbot' : roll < 0.97 ? 'web' : 'import';
    const ageYears = Math.min(80, Math.max(18, 42 + 13 * random.normal()));
    const birth = new Date(registeredAt - ageYears * 365.25 * DAY);
    const email = random.chance(0.45)
      ? `${transliterate(person.firstName)}.${transliterate(person.lastName)}${random.chance(0.5) ? random.int(1, 99) : ''}@${random.pick(MAIL_DOMAINS)}`
      : null;
    const favourites: string[] = [];
    if (channel === 'chatbot' || random.chance(0.1))
      for (let k = random.int(1, 3); k > 0; k--) {
        const id = random.pick(leafCategoryIds);
        if (!favourites.includes(id)) favourites.push(id);
      }
    buyers.push({
      id: random.uuidAt(registeredAt),
      phone,
      email,
      firstName: person.firstName,
      lastName: person.lastName,
      middleName: random.chance(0.85) ? person.middleName : null,
      gender,
      birthDate: random.chance(0.9) ? birth.toISOString().slice(0, 10) : null,
      registeredAt,
      channel,
      homeStore,
      registrationStoreId: channel === 'till' || channel === 'import' ? (store?.id ?? null) : null,
      registrationCashierId: channel === 'till' && store ? random.pick(store.cashierIds) : null,
      // Someone invited ~5 %: always a buyer who registered earlier.
      referrerId: buyers.length > 10 && random.chance(0.05) ? random.pick(buyers).id : null,
      favouriteCategoryIds: favourites,
      // Log-normal: most buyers come now and then, a few twice a week (capped: a loyalty base
      // has no one who shops daily for a year, and one such buyer would skew the reports).
      activity: random.chance(0.12) ? 0 : Math.min(15, Math.exp(0.9 * random.normal())),
      cardNumber: null,
    });
  }
  return buyers;
}

/** Gives ~60 % of buyers a card, numbered in order of registration; returns the series size. */
export function assignCards(random: SeededRandom, buyers: DemoBuyer[]): number {
  const holders = buyers.filter(() => random.chance(0.6));
  // The series was printed with a fifth to spare, in whole thousands.
  const size = Math.max(1000, Math.ceil((holders.length * 1.2) / 1000) * 1000);
  const width = String(size).length;
  holders.forEach((buyer, i) => {
    buyer.cardNumber = `${CARD_PREFIX}${String(i + 1).padStart(width, '0')}`;
  });
  return size;
}

/** Where and how writeBuyers writes. */
export type BuyerWriteOptions = {
  merchantId: string;
  /** Every buyer starts on the default card type; the replay upgrades those who earn more. */
  standardCardTypeId: string;
  cardSeriesSize: number;
  seriesPrintedAt: Date;
};

/** Writes buyers (counters zero: the receipt replay fills them in), consents and cards. */
export async function writeBuyers(
  trx: Transaction<Database>,
  writer: BulkWriter,
  random: SeededRandom,
  buyers: readonly DemoBuyer[],
  options: BuyerWriteOptions,
): Promise<void> {
  const { merchantId, standardCardTypeId, cardSeriesSize, seriesPrintedAt } = options;
  const table = writer.table('buyers', [
    { name: 'id', type: 'uuid' },
    { name: 'merchant_id', type: 'uuid' },
    { name: 'phone', type: 'text' },
    { name: 'email', type: 'text' },
    { name: 'first_name', type: 'text' },
    { name: 'last_name', type: 'text' },
    { name: 'middle_name', type: 'text' },
    { name: 'gender', type: 'text' },
    { name: 'birth_date', type: 'date' },
    { name: 'card_type_id', type: 'uuid' },
    { name: 'registered_at', type: 'timestamptz' },
    { name: 'registration_store_id', type: 'uuid' },
    { name: 'registration_cashier_id', type: 'uuid' },
    { name: 'channel', type: 'text' },
    { name: 'referrer_id', type: 'uuid' },
    { name: 'favourite_category_ids', type: 'uuid[]' },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'updated_at', type: 'timestamptz' },
  ]);
  for (const b of buyers) {
    const at = new Date(b.registeredAt).toISOString();
    table.add(
      b.id,
      merchantId,
      b.phone,
      b.email,
      b.firstName,
      b.lastName,
      b.middleName,
      b.gender,
      b.birthDate,
      standardCardTypeId,
      at,
      b.registrationStoreId,
      b.registrationCashierId,
      b.channel,
      b.referrerId,
      `{${b.favouriteCategoryIds.join(',')}}`,
      at,
      at,
    );
    await table.flushIfFull();
  }
  await table.flush();

  const consents = writer.table('buyer_consents', [
    { name: 'id', type: 'uuid' },
    { name: 'merchant_id', type: 'uuid' },
    { name: 'buyer_id', type: 'uuid' },
    { name: 'kind', type: 'text' },
    { name: 'granted', type: 'boolean' },
    { name: 'channel', type: 'text' },
    { name: 'text_version', type: 'text' },
    { name: 'code', type: 'text' },
    { name: 'cashier_id', type: 'uuid' },
    { name: 'recorded_at', type: 'timestamptz' },
  ]);
  for (const b of buyers) {
    const at = new Date(b.registeredAt).toISOString();
    // At a till the buyer confirms with the SMS code; that code is the proof kept with the consent.
    const code = b.channel === 'till' ? random.digits(4) : null;
    const grant = (kind: string) =>
      consents.add(
        random.uuidAt(b.registeredAt),
        merchantId,
        b.id,
        kind,
        true,
        b.channel,
        CONSENT_TEXT,
        code,
        b.registrationCashierId,
        at,
      );
    if (random.chance(0.85)) grant('sms');
    if (random.chance(0.7)) {
      grant('advertising');
      // A few change their mind later: the withdrawal is recorded, the grant stays as history.
      if (random.chance(0.04)) {
        const later = new Date(b.registeredAt + random.int(1, 200) * DAY);
        consents.add(
          random.uuidAt(later.getTime()),
          merchantId,
          b.id,
          'advertising',
          false,
          'web',
          null,
          null,
          null,
          later.toISOString(),
        );
      }
    }
    if (b.email && random.chance(0.6)) grant('email');
    if (b.channel === 'chatbot') grant('messenger');
    await consents.flushIfFull();
  }
  await consents.flush();

  const seriesId = random.uuid();
  await trx
    .insertInto('card_series')
    .values({
      id: seriesId,
      merchant_id: merchantId,
      name: 'Пластиковые карты «Ромашка»',
      prefix: CARD_PREFIX,
      number_from: 1,
      number_to: cardSeriesSize,
      kind: 'personal',
      created_at: seriesPrintedAt,
    })
    .execute();
  const cards = writer.table('cards', [
    { name: 'id', type: 'uuid' },
    { name: 'merchant_id', type: 'uuid' },
    { name: 'series_id', type: 'uuid' },
    { name: 'number', type: 'text' },
    { name: 'buyer_id', type: 'uuid' },
    { name: 'status', type: 'text' },
    { name: 'activated_at', type: 'timestamptz' },
  ]);
  const width = String(cardSeriesSize).length;
  const holders = new Map(buyers.filter((b) => b.cardNumber).map((b) => [b.cardNumber, b]));
  for (let n = 1; n <= cardSeriesSize; n++) {
    const number = `${CARD_PREFIX}${String(n).padStart(width, '0')}`;
    const holder = holders.get(number);
    cards.add(
      random.uuidAt(seriesPrintedAt.getTime() + n),
      merchantId,
      seriesId,
      number,
      holder?.id ?? null,
      holder ? 'active' : 'issued',
      holder ? new Date(holder.registeredAt).toISOString() : null,
    );
    await cards.flushIfFull();
  }
  await cards.flush();
}
