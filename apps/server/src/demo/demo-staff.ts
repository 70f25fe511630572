// The demo merchant's fixed cast: cabinet users with printed logins, three stores of different
// formats and their cashiers with printed access codes. These are constants, not random, so the
// logins in the README and in the start banner never change.
import type { CashierRole, Role } from '#db/database-schema.ts';

/** A cabinet login of the demo merchant. */
export type DemoLogin = { role: Role; email: string; password: string; name: string };

/** The demo owner's credentials (printed at start; change them on any real deployment). */
export const DEMO_OWNER = { email: 'owner@demo.local', password: 'demo-owner-2026' } as const;

export const DEMO_MERCHANT_NAME = 'Демо-магазин «Ромашка»';

export const DEMO_USERS: readonly DemoLogin[] = [
  { role: 'owner', ...DEMO_OWNER, name: 'Владелец (демо)' },
  { role: 'manager', email: 'manager@demo.local', password: 'demo-manager-2026', name: 'Ольга Смирнова' },
  { role: 'marketer', email: 'marketer@demo.local', password: 'demo-marketer-2026', name: 'Дмитрий Волков' },
  { role: 'analyst', email: 'analyst@demo.local', password: 'demo-analyst-2026', name: 'Анна Кузнецова' },
];

/** A store and its share of the merchant's traffic. */
export type DemoStoreSpec = {
  key: string;
  name: string;
  address: string;
  attributes: { format: 'hyper' | 'supermarket' | 'convenience'; cluster: string; city: string };
  /** Share of buyers who call this store home. */
  traffic: number;
  /** Typical number of lines in a basket here. */
  basketLines: number;
  /** Receipt number prefix printed by this store's tills. */
  receiptPrefix: string;
};

export const DEMO_STORES: readonly DemoStoreSpec[] = [
  {
    key: 'msk',
    name: 'Гипермаркет «Ромашка» на Ленинском',
    address: 'Москва, Ленинский проспект, 101',
    attributes: { format: 'hyper', cluster: 'Москва и область', city: 'Москва' },
    traffic: 0.5,
    basketLines: 6,
    receiptPrefix: 'МСК',
  },
  {
    key: 'kzn',
    name: '«Ромашка у дома» на Баумана',
    address: 'Казань, улица Баумана, 44',
    attributes: { format: 'convenience', cluster: 'Поволжье', city: 'Казань' },
    traffic: 0.2,
    basketLines: 2.5,
    receiptPrefix: 'КЗН',
  },
  {
    key: 'spb',
    name: 'Супермаркет «Ромашка» на Невском',
    address: 'Санкт-Петербург, Невский проспект, 114',
    attributes: { format: 'supermarket', cluster: 'Северо-Запад', city: 'Санкт-Петербург' },
    traffic: 0.3,
    basketLines: 4,
    receiptPrefix: 'СПБ',
  },
];

/** A cashier with the access code printed at start. */
export type DemoCashierSpec = { storeKey: string; name: string; role: CashierRole; code: string };

export const DEMO_CASHIERS: readonly DemoCashierSpec[] = [
  { storeKey: 'msk', name: 'Елена Петрова', role: 'senior', code: '111111' },
  { storeKey: 'msk', name: 'Игорь Соколов', role: 'cashier', code: '111222' },
  { storeKey: 'msk', name: 'Марина Лебедева', role: 'cashier', code: '111333' },
  { storeKey: 'kzn', name: 'Айдар Гарипов', role: 'senior', code: '222111' },
  { storeKey: 'kzn', name: 'Гульнара Сафина', role: 'cashier', code: '222222' },
  { storeKey: 'spb', name: 'Наталья Орлова', role: 'senior', code: '333111' },
  { storeKey: 'spb', name: 'Павел Морозов', role: 'cashier', code: '333222' },
  { storeKey: 'spb', name: 'Виктория Белова', role: 'cashier', code: '333333' },
];
