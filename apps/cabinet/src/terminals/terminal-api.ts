// Terminals (B1) over REST: list with sync state, create, new pairing code, revoke.
import type { z } from 'zod';
import {
  terminalPageSchema,
  terminalSchema,
  terminalWithPairingCodeSchema,
  type terminalCreateSchema,
  type terminalListQuerySchema,
} from '@loyalty/protocol/sync/terminals.schema';
import { api, withQuery, type Query } from '#api/http-client.ts';

export type Terminal = z.output<typeof terminalSchema>;
export type TerminalWithCode = z.output<typeof terminalWithPairingCodeSchema>;
/** Paging is typed as numbers: the schema coerces query strings, so its input type is unknown. */
export type TerminalQuery = Omit<Partial<z.input<typeof terminalListQuerySchema>>, 'page' | 'pageSize'> & {
  page?: number;
  pageSize?: number;
};

export const fetchTerminals = (query: TerminalQuery) =>
  api(terminalPageSchema, 'GET', withQuery('/terminals', query as Query));

export const createTerminal = (body: z.input<typeof terminalCreateSchema>) =>
  api(terminalWithPairingCodeSchema, 'POST', '/terminals', body);

export const newPairingCode = (id: string) =>
  api(terminalWithPairingCodeSchema, 'POST', `/terminals/${id}/pairing-code`);

export const revokeTerminal = (id: string) => api(terminalSchema, 'POST', `/terminals/${id}/revoke`);
