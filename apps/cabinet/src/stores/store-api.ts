// Stores with attributes and cashiers with access codes (C11) over REST. A cashier's code comes back
// only from creation and reset; the server keeps its hash.
import type { z } from 'zod';
import {
  cashierPageSchema,
  cashierSchema as cashierResponseSchema,
  cashierWithCodeSchema,
  type cashierCreateSchema,
  type cashierListQuerySchema,
  type cashierSchema,
  type cashierUpdateSchema,
} from '@loyalty/protocol/api/cashiers.schema';
import {
  storePageSchema,
  storeSchema,
  type storeCreateSchema,
  type storeListQuerySchema,
  type storeUpdateSchema,
} from '@loyalty/protocol/api/stores.schema';
import { api, apiNoContent, withQuery, type Query } from '#api/http-client.ts';

export type Store = z.output<typeof storeSchema>;
export type Cashier = z.output<typeof cashierSchema>;
export type CashierWithCode = z.output<typeof cashierWithCodeSchema>;

/** Paging typed as numbers: the schemas coerce query strings, so their input type is unknown. */
type Paged<T> = Omit<Partial<T>, 'page' | 'pageSize'> & { page?: number; pageSize?: number };
export type StoreQuery = Paged<z.input<typeof storeListQuerySchema>>;
export type CashierQuery = Paged<z.input<typeof cashierListQuerySchema>>;

export const fetchStores = (query: StoreQuery) =>
  api(storePageSchema, 'GET', withQuery('/stores', query as Query));
export const createStore = (body: z.input<typeof storeCreateSchema>) =>
  api(storeSchema, 'POST', '/stores', body);
export const updateStore = (id: string, body: z.input<typeof storeUpdateSchema>) =>
  api(storeSchema, 'PATCH', `/stores/${id}`, body);
export const archiveStore = (id: string) => apiNoContent('DELETE', `/stores/${id}`);

export const fetchCashiers = (query: CashierQuery) =>
  api(cashierPageSchema, 'GET', withQuery('/cashiers', query as Query));
export const createCashier = (body: z.input<typeof cashierCreateSchema>) =>
  api(cashierWithCodeSchema, 'POST', '/cashiers', body);
export const updateCashier = (id: string, body: z.input<typeof cashierUpdateSchema>) =>
  api(cashierResponseSchema, 'PATCH', `/cashiers/${id}`, body);
export const resetCashierCode = (id: string) =>
  api(cashierWithCodeSchema, 'POST', `/cashiers/${id}/reset-code`);
export const archiveCashier = (id: string) => apiNoContent('DELETE', `/cashiers/${id}`);
