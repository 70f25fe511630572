// The terminal's side of the sync protocol (packages/protocol/SYNC.md): pairing, pull with the
// safe watermark, buyer lookup, Server-Sent Events pokes, points holds and the op log push.
// Every route but pairing authenticates the terminal's bearer token.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { holdSchema } from '@loyalty/protocol/api/purchases.schema';
import { pairRequestSchema, pairResponseSchema } from '@loyalty/protocol/sync/pairing.schema';
import {
  buyerLookupQuerySchema,
  buyerLookupResponseSchema,
  pullQuerySchema,
  pullResponseSchema,
  type SyncStream,
} from '@loyalty/protocol/sync/pull.schema';
import {
  pushRequestSchema,
  pushResponseSchema,
  syncHoldRequestSchema,
} from '@loyalty/protocol/sync/push.schema';
import {
  couponLookupQuerySchema,
  couponLookupResponseSchema,
} from '@loyalty/protocol/sync/coupon-lookup.schema';
import {
  receiptLookupQuerySchema,
  receiptLookupResponseSchema,
} from '@loyalty/protocol/sync/receipt-lookup.schema';
import { SYNC_PROTOCOL_VERSION } from '@loyalty/protocol/sync/sync-common.schema';
import type { Db } from '#db/database.ts';
import { cancelHold, holdPoints } from '#purchases/purchase.service.ts';
import { lookupBuyer } from './buyer-lookup.ts';
import { lookupCoupons } from './coupon-lookup.ts';
import { pairTerminal } from './pairing.service.ts';
import { createPokeHub } from './poke-hub.ts';
import { pullPage, touchTerminal } from './pull.service.ts';
import { pushOps } from './push.service.ts';
import { lookupReceipt } from './receipt-lookup.ts';
import { authenticateTerminal, type TerminalActor } from './terminal-auth.ts';

/** Comments keep proxies from closing an idle event stream. */
const KEEP_ALIVE_MS = 25_000;

const security = [{ terminalToken: [] }];

/** Registers /sync routes; `databaseUrl` lets this instance LISTEN for pokes. */
export function syncRoutes(
  app: FastifyInstance,
  db: Db,
  options: { databaseUrl?: string | undefined },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sync'];
  const hub = createPokeHub(options.databaseUrl, app.log);
  const streams = new Set<() => void>();
  // Open event streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => {
    for (const end of streams) end();
    await hub.close();
  });

  // The same points-hold logic as the purchase API; holds carry no actor, only the merchant.
  const holdActor = (terminal: TerminalActor) => ({
    kind: 'system' as const,
    id: null,
    merchantId: terminal.merchantId,
  });

  r.post(
    '/api/v1/sync/pair',
    {
      schema: {
        tags,
        summary: 'Подключить терминал одноразовым кодом из кабинета',
        security: [],
        body: pairRequestSchema,
        response: { 200: pairResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const paired = await pairTerminal(db, request.body, request.ip);
      return {
        type: 'paired' as const,
        protocolVersion: SYNC_PROTOCOL_VERSION,
        ...paired,
        serverTime: Date.now(),
      };
    },
  );

  r.get(
    '/api/v1/sync/pull',
    {
      schema: {
        tags,
        summary: 'Изменения потока после позиции (страницами, с удалёнными)',
        security,
        querystring: pullQuerySchema,
        response: { 200: pullResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const terminal = await authenticateTerminal(db, request);
      await touchTerminal(db, terminal.terminalId, request.query.pendingOps);
      const page = await pullPage(db, terminal, request.query);
      return { ...page, serverTime: Date.now() } as z.infer<typeof pullResponseSchema>;
    },
  );

  r.get(
    '/api/v1/sync/buyers/lookup',
    {
      schema: {
        tags,
        summary: 'Покупатель по телефону, карте или id (если его нет в кэше терминала)',
        security,
        querystring: buyerLookupQuerySchema,
        response: { 200: buyerLookupResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const terminal = await authenticateTerminal(db, request);
      return { ...(await lookupBuyer(db, terminal, request.query)), serverTime: Date.now() };
    },
  );

  r.get(
    '/api/v1/sync/coupons/lookup',
    {
      schema: {
        tags,
        summary: 'Купоны со счётчиками использований перед продажей (онлайн)',
        security,
        querystring: couponLookupQuerySchema,
        response: { 200: couponLookupResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const terminal = await authenticateTerminal(db, request);
      return { ...(await lookupCoupons(db, terminal, request.query)), serverTime: Date.now() };
    },
  );

  r.get(
    '/api/v1/sync/receipts/lookup',
    {
      schema: {
        tags,
        summary: 'Чек любой кассы продавца для возврата (по id или номеру в магазине терминала)',
        security,
        querystring: receiptLookupQuerySchema,
        response: { 200: receiptLookupResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const terminal = await authenticateTerminal(db, request);
      return { receipt: await lookupReceipt(db, terminal, request.query), serverTime: Date.now() };
    },
  );

  r.get(
    '/api/v1/sync/events',
    {
      schema: {
        tags,
        summary: 'Server-Sent Events: `poke` после изменения потоков продавца',
        description:
          'text/event-stream. `event: poke` with `data: {"streams":[...]}` after a commit that changes a stream; a comment every 25 s.',
        security,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const terminal = await authenticateTerminal(db, request);
      const send = (text: string) => {
        if (!reply.raw.writableEnded) reply.raw.write(text);
      };
      const { ready, unsubscribe } = hub.subscribe(terminal.merchantId, (changed: SyncStream[]) =>
        send(`event: poke\ndata: ${JSON.stringify({ streams: changed })}\n\n`),
      );
      await ready;
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // The first line tells the terminal it is subscribed: from here on no change is missed.
      send(`retry: 5000\n: subscribed ${Date.now()}\n\n`);
      const keepAlive = setInterval(() => send(`: keep-alive ${Date.now()}\n\n`), KEEP_ALIVE_MS);
      const end = () => {
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(end);
        if (!reply.raw.writableEnded) reply.raw.end();
      };
      streams.add(end);
      request.raw.on('close', end);
    },
  );

  r.post(
    '/api/v1/sync/holds',
    {
      schema: {
        tags,
        summary: 'Зарезервировать баллы перед продажей (онлайн)',
        security,
        body: syncHoldRequestSchema,
        response: { 201: holdSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const terminal = await authenticateTerminal(db, request);
      const row = await holdPoints(db, holdActor(terminal), {
        buyer: { buyerId: request.body.buyerId },
        points: request.body.points,
        ttlSeconds: request.body.ttlSeconds,
      });
      return reply.status(201).send({
        id: row.id,
        buyerId: row.buyer_id,
        points: row.points,
        status: row.status,
        expiresAt: row.expires_at.toISOString(),
      });
    },
  );

  r.delete(
    '/api/v1/sync/holds/:id',
    {
      schema: {
        tags,
        summary: 'Отменить резерв баллов',
        security,
        params: idParamsSchema,
        response: { 200: holdSchema, ...errorResponses },
      },
    },
    async (request) => {
      const terminal = await authenticateTerminal(db, request);
      const row = await cancelHold(db, holdActor(terminal), request.params.id);
      return {
        id: row.id,
        buyerId: row.buyer_id,
        points: row.points,
        status: row.status,
        expiresAt: row.expires_at.toISOString(),
      };
    },
  );

  r.post(
    '/api/v1/sync/push',
    {
      schema: {
        tags,
        summary: 'Операции терминала по порядку: ответ на каждую',
        security,
        body: pushRequestSchema,
        response: { 200: pushResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const terminal = await authenticateTerminal(db, request);
      return pushOps(db, terminal, request.body);
    },
  );
}
