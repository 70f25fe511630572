// Pokes for online terminals (B2). Synced tables NOTIFY `sync_poke` with `<merchant id>:<streams>`
// from their triggers, delivered at commit, so every server instance hears every change whichever
// instance made it. One LISTEN connection per instance, opened when the first terminal subscribes;
// if it drops, it reconnects and pokes everyone for every stream (a missed notification must not
// leave a terminal behind).
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { SYNC_STREAMS, type SyncStream } from '@loyalty/protocol/sync/pull.schema';

type Listener = (streams: SyncStream[]) => void;

const CHANNEL = 'sync_poke';
const RECONNECT_MS = 1000;
const known = new Set<string>(SYNC_STREAMS);

/** Subscriptions of this instance's terminals, by merchant. */
export type PokeHub = {
  /** Adds a listener; `ready` settles once this instance is listening (or cannot). */
  subscribe(merchantId: string, listener: Listener): { ready: Promise<void>; unsubscribe: () => void };
  close(): Promise<void>;
};

/** A hub over a dedicated connection to `databaseUrl`; without one it never pokes. */
export function createPokeHub(databaseUrl: string | undefined, logger: FastifyBaseLogger): PokeHub {
  const listeners = new Map<string, Set<Listener>>();
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  let everConnected = false;
  let retry: NodeJS.Timeout | null = null;

  const dispatch = (merchantId: string, streams: SyncStream[]) => {
    for (const listener of listeners.get(merchantId) ?? []) listener(streams);
  };

  const onNotification = (message: pg.Notification) => {
    const [merchantId, list] = (message.payload ?? '').split(':');
    if (!merchantId || !list) return;
    const streams = list.split(',').filter((s): s is SyncStream => known.has(s));
    if (streams.length > 0) dispatch(merchantId, streams);
  };

  const connect = (): Promise<void> => {
    if (!databaseUrl || closed) return Promise.resolve();
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: databaseUrl });
      next.on('notification', onNotification);
      next.on('error', (error) => {
        logger.warn({ msg: error.message }, 'sync poke listener lost');
        if (client === next) client = null;
        void next.end().catch(() => undefined);
        scheduleReconnect();
      });
      try {
        await next.connect();
        await next.query(`LISTEN ${CHANNEL}`);
        if (closed) {
          await next.end();
          return;
        }
        const reconnected = everConnected;
        everConnected = true;
        client = next;
        // Changes committed while nobody listened are unknown: everyone pulls everything.
        if (reconnected) for (const merchantId of listeners.keys()) dispatch(merchantId, [...SYNC_STREAMS]);
      } catch (error) {
        logger.warn({ msg: (error as Error).message }, 'sync poke listener cannot connect');
        void next.end().catch(() => undefined);
        scheduleReconnect();
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  };

  const scheduleReconnect = () => {
    if (closed || retry || listeners.size === 0) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, RECONNECT_MS);
  };

  return {
    subscribe(merchantId, listener) {
      let set = listeners.get(merchantId);
      if (!set) listeners.set(merchantId, (set = new Set()));
      set.add(listener);
      const ready = client ? Promise.resolve() : connect();
      return {
        ready,
        unsubscribe: () => {
          set.delete(listener);
          if (set.size === 0) listeners.delete(merchantId);
        },
      };
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      listeners.clear();
      await connecting?.catch(() => undefined);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
