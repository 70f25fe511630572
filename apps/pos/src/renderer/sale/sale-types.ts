// Shapes the sale screen works with, taken from the handler map's answers.
import type { HandlerAnswer } from '#renderer/rpc/terminal-client.ts';

/** The identified buyer (`buyer.identify`). */
export type Buyer = Extract<HandlerAnswer<'buyer.identify'>, { ok: true }>['value'];
/** The priced receipt (`sale.calculate`). */
export type Priced = Extract<HandlerAnswer<'sale.calculate'>, { ok: true }>['value'];
/** The booked receipt's slip (`sale.commit`). */
export type Committed = Extract<HandlerAnswer<'sale.commit'>, { ok: true }>['value'];
/** A catalogue product (`catalogue.search`). */
export type Product = Extract<HandlerAnswer<'catalogue.search'>, { ok: true }>['value']['products'][number];

/** A receipt line as the cashier built it. */
export type DraftLine = {
  readonly key: string;
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  /** Set for a free amount; catalogue lines use the synced price. */
  readonly price?: number;
};
