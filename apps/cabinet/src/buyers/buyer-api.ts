// The buyer base over REST: the list with the D1 filters, the card's parts, manual points, cards.
import {
  buyerPageSchema,
  buyerSchema,
  type buyerCreateSchema,
  type buyerListQuerySchema,
  type buyerUpdateSchema,
} from '@loyalty/protocol/api/buyers.schema';
import { cardSchema } from '@loyalty/protocol/api/cards.schema';
import { pageOf } from '@loyalty/protocol/api/common.schema';
import {
  buyerPointsSchema,
  ledgerEntrySchema,
  lotSchema,
  type manualPointsSchema,
} from '@loyalty/protocol/api/purchases.schema';
import { z } from 'zod';
import { api, apiNoContent, download, withQuery, type Query } from '#api/http-client.ts';

/** What the list asks for: the schema's input (filters, sort, paging), as query parameters. */
export type BuyerQuery = Partial<z.input<typeof buyerListQuerySchema>>;
export type Buyer = z.output<typeof buyerSchema>;
export type BuyerUpdate = z.input<typeof buyerUpdateSchema>;

const asQuery = (query: BuyerQuery): Query => query as Query;

export const fetchBuyers = (query: BuyerQuery) =>
  api(buyerPageSchema, 'GET', withQuery('/buyers', asQuery(query)));

export const createBuyer = (body: z.input<typeof buyerCreateSchema>) =>
  api(buyerSchema, 'POST', '/buyers', body);

export const fetchBuyer = (id: string) => api(buyerSchema, 'GET', `/buyers/${id}`);

export const updateBuyer = (id: string, body: BuyerUpdate) =>
  api(buyerSchema, 'PATCH', `/buyers/${id}`, body);

/** Erasure (D1): personal data blanked, cards blocked; receipts and points stay anonymous. */
export const eraseBuyer = (id: string) => apiNoContent('DELETE', `/buyers/${id}`);

export const fetchPoints = (id: string) => api(buyerPointsSchema, 'GET', `/buyers/${id}/points`);

export const fetchLedger = (id: string, page: number, pageSize: number) =>
  api(pageOf(ledgerEntrySchema), 'GET', withQuery(`/buyers/${id}/ledger`, { page, pageSize }));

export const fetchLots = (id: string) => api(z.array(lotSchema), 'GET', `/buyers/${id}/lots`);

export const postManualPoints = (id: string, body: z.input<typeof manualPointsSchema>) =>
  api(buyerPointsSchema, 'POST', `/buyers/${id}/points`, body);

export const blockCard = (cardId: string, reason: string) =>
  api(cardSchema, 'POST', `/cards/${cardId}/block`, { reason });

export const unblockCard = (cardId: string) => api(cardSchema, 'POST', `/cards/${cardId}/unblock`);

export const replaceCard = (cardId: string, newNumber: string) =>
  api(z.object({ old: cardSchema, new: cardSchema }), 'POST', `/cards/${cardId}/replace`, { newNumber });

/** The server's export of the same filters and order, without paging (B5). */
export const exportBuyers = (query: BuyerQuery) => {
  const { page: _page, pageSize: _size, ...rest } = query;
  return download(withQuery('/exports/buyers.xlsx', asQuery(rest)));
};
