// The terminal's side of SYNC.md: pairing, pulls of every stream (page and cursor in one SQLite
// transaction), the SSE `events` listener that pokes pulls and reconnects with backoff, pushes of
// the outbox in seq order with per-op answers, holds, buyer lookups and the clock offset.
import { z } from 'zod';
import type { Problem } from '@loyalty/core/shared/result';
import { err, ok, type Result } from '@loyalty/core/shared/result';
import {
  pairResponseSchema,
  TerminalAuthError,
  type PairResponse,
} from '@loyalty/protocol/sync/pairing.schema';
import {
  buyerLookupResponseSchema,
  pullResponseSchema,
  SYNC_STREAMS,
  type RecentReceipt,
  type SyncStream,
} from '@loyalty/protocol/sync/pull.schema';
import {
  buyerRegistrationAnswerSchema,
  pushResponseSchema,
  type OpResult,
} from '@loyalty/protocol/sync/push.schema';
import { couponLookupResponseSchema } from '@loyalty/protocol/sync/coupon-lookup.schema';
import {
  receiptLookupResponseSchema,
  type StoredReceiptItem,
} from '@loyalty/protocol/sync/receipt-lookup.schema';
import { getBuyer, mergeLocalBuyer, putBuyer, type CachedBuyer } from '#core/buyers/buyers.repository.ts';
import { putForeignReceipt } from '#core/returns/foreign-receipts.repository.ts';
import { saveCoupons } from '#core/sale/coupon-cache.ts';
import type { Sqlite } from '#core/store/database.ts';
import {
  getIdentity,
  markPushed,
  markSynced,
  PairingStatus,
  raiseSeqFloor,
  savePairing,
  setClockOffset,
  setPairingStatus,
} from '#core/store/identity.repository.ts';
import {
  outboxCounts,
  pendingOps,
  recordAttemptFailure,
  recordOpResult,
} from '#core/store/outbox.repository.ts';
import { getSettings } from '#core/store/cache-settings.repository.ts';
import { getCursor } from '#core/store/sync-cursors.repository.ts';
import { measureOffset, type TerminalClock } from '#core/shared/terminal-clock.ts';
import type { TerminalEvents } from '#core/shared/terminal-events.ts';
import { fail, notPaired, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import { applyPage } from './apply-page.ts';
import { backoffDelay } from './backoff.ts';
import { readEvents } from './event-stream.ts';
import { apiUrl, callServer, type ApiOutcome, type ApiRequest } from './server-api.ts';
import { CrashPoint, crashPoint } from './test-crash-point.ts';

/** What `sync.status` reports. */
export type SyncState = {
  readonly paired: boolean;
  readonly pairingStatus: PairingStatus;
  readonly statusMessage: string | null;
  readonly online: boolean;
  readonly eventsConnected: boolean;
  readonly syncing: boolean;
  readonly queuedOps: number;
  readonly deadLetters: number;
  readonly conflicts: number;
  readonly lastSyncAt: number | null;
  readonly lastPushAt: number | null;
  readonly lastError: Problem | null;
  readonly clockOffsetMs: number;
  readonly nextRetryAt: number | null;
};

/** What one full sync did. */
export type SyncReport = { readonly pushed: number; readonly pulled: Readonly<Record<string, number>> };

/** A buyer reference for the on-demand lookup. */
export type BuyerLookup = { phone: string } | { cardNumber: string } | { buyerId: string };

/** Options for the client; `autoSync` off keeps tests in control of when requests happen. */
export type SyncClientOptions = {
  readonly db: Sqlite;
  readonly clock: TerminalClock;
  readonly events: TerminalEvents;
  readonly autoSync?: boolean;
  /** Full sync at least this often even without pokes (the events stream may be blocked by a proxy). */
  readonly periodicSyncMs?: number;
  readonly pageSize?: number;
  readonly pushBatch?: number;
  /** Time limit of one pull or push request (default 60 s); fault tests shorten it to see stalls. */
  readonly requestTimeoutMs?: number;
  readonly log?: (message: string) => void;
};

const PULL_PAGE_SIZE = 1000;
const PUSH_BATCH = 200;
const REQUEST_TIMEOUT_MS = 60_000;
// The server comments every 25 s; silence for longer than two of those means a dead connection.
const EVENTS_SILENCE_MS = 60_000;
const holdSchema = z.looseObject({ id: z.uuid() });

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

const isAuthFailure = (problem: Problem): boolean =>
  problem.code === TerminalAuthError.revoked || problem.code === TerminalAuthError.unauthorized;

/** The sync client of one terminal. */
export class SyncClient {
  private online = false;
  private eventsConnected = false;
  private lastError: Problem | null = null;
  private running: Promise<Result<SyncReport, Problem>> | null = null;
  /** The run that starts after the current one, shared by every request made during it. */
  private following: Promise<Result<SyncReport, Problem>> | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private nextRetryAt: number | null = null;
  private pushTimer: NodeJS.Timeout | null = null;
  private periodicTimer: NodeJS.Timeout | null = null;
  private lifetime = new AbortController();
  private eventsLoop: Promise<void> | null = null;
  private started = false;

  constructor(private readonly options: SyncClientOptions) {}

  private get db(): Sqlite {
    return this.options.db;
  }

  /** Starts the events listener and periodic sync when paired and `autoSync` is on. */
  start(): void {
    if (this.started || this.options.autoSync === false) return;
    this.started = true;
    this.lifetime = new AbortController();
    if (getIdentity(this.db).status !== PairingStatus.paired) return;
    this.eventsLoop ??= this.listenForEvents();
    const every = this.options.periodicSyncMs ?? 5 * 60_000;
    this.periodicTimer = setInterval(() => void this.syncNow(), every);
    this.periodicTimer.unref();
  }

  /** Stops every timer and connection and waits for the work in flight. */
  async stop(): Promise<void> {
    this.started = false;
    this.lifetime.abort();
    for (const timer of [this.retryTimer, this.pushTimer, this.periodicTimer]) if (timer) clearTimeout(timer);
    this.retryTimer = this.pushTimer = this.periodicTimer = null;
    await this.eventsLoop;
    this.eventsLoop = null;
    await this.running;
  }

  /** True while the last call to the server got an answer. */
  isOnline(): boolean {
    return this.online;
  }

  /** The state shown by `sync.status` and sent to the UI as `sync` events. */
  state(): SyncState {
    const identity = getIdentity(this.db);
    const counts = outboxCounts(this.db);
    return {
      paired: identity.status === PairingStatus.paired,
      pairingStatus: identity.status,
      statusMessage: identity.statusMessage,
      online: this.online,
      eventsConnected: this.eventsConnected,
      syncing: this.running !== null,
      queuedOps: counts.pending,
      deadLetters: counts.dead_letter,
      conflicts: counts.conflict,
      lastSyncAt: identity.lastSyncAt,
      lastPushAt: identity.lastPushAt,
      lastError: this.lastError,
      clockOffsetMs: identity.clockOffsetMs,
      nextRetryAt: this.nextRetryAt,
    };
  }

  private announce(): void {
    this.options.events.emit('sync', this.state());
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.announce();
  }

  /** One authenticated call; keeps the online flag, the clock offset and the pairing status. */
  private async call<S extends z.ZodType>(request: ApiRequest<S>): Promise<ApiOutcome<z.output<S>>> {
    const identity = getIdentity(this.db);
    if (identity.status !== PairingStatus.paired || !identity.serverUrl || !identity.token)
      return { ok: false, error: notPaired().error, status: null };
    const outcome = await callServer(
      identity.serverUrl,
      { ...request, token: identity.token },
      this.options.clock.deviceNow,
    );
    if (outcome.ok) {
      const serverTime = (outcome.value as { serverTime?: unknown } | null)?.serverTime;
      if (typeof serverTime === 'number') this.adoptOffset(serverTime, outcome.sentAt, outcome.receivedAt);
      this.setOnline(true);
    } else if (outcome.status === null) this.setOnline(false);
    else if (outcome.status === 401 && isAuthFailure(outcome.error)) this.refused(outcome.error);
    else this.setOnline(true);
    return outcome;
  }

  private adoptOffset(serverTime: number, sentAt: number, receivedAt: number): void {
    const offset = measureOffset(serverTime, sentAt, receivedAt);
    this.options.clock.setOffset(offset);
    setClockOffset(this.db, offset, receivedAt);
  }

  /** The server refused the token: say so and stop syncing, keeping every unsent op. */
  private refused(problem: Problem): void {
    const status =
      problem.code === TerminalAuthError.revoked ? PairingStatus.revoked : PairingStatus.unauthorized;
    setPairingStatus(this.db, status, problem.message);
    this.lastError = problem;
    this.online = false;
    this.lifetime.abort();
    this.announce();
  }

  /** Trades a pairing code for credentials (SYNC.md "Identity and pairing"). */
  async pair(serverUrl: string, code: string, deviceName: string): Promise<HandlerResult<PairResponse>> {
    const before = getIdentity(this.db);
    const outcome = await callServer(
      serverUrl,
      { method: 'POST', path: '/api/v1/sync/pair', body: { code, deviceName }, schema: pairResponseSchema },
      this.options.clock.deviceNow,
    );
    if (!outcome.ok) {
      if (outcome.status === null) return err(outcome.error);
      return fail(
        TerminalError.pairingRefused,
        outcome.error.code === TerminalAuthError.pairingCodeInvalid
          ? outcome.error.message
          : `Сервер не принял код подключения: ${outcome.error.message}`,
        { serverCode: outcome.error.code },
      );
    }
    const paired = outcome.value;
    const pending = outboxCounts(this.db).pending;
    // Unsent ops carry the old terminal's sequence numbers: only the same terminal may send them.
    if (before.terminalId && before.terminalId !== paired.terminalId && pending > 0)
      return fail(
        TerminalError.pendingOpsOfOtherTerminal,
        `Код выдан другому терминалу, а здесь ${pending} неотправленных операций прежнего терминала. ` +
          'Восстановите подключение прежнего терминала (новый код для него в кабинете), дождитесь отправки и подключайте снова.',
        { pending, terminalId: before.terminalId },
      );
    this.db.transaction(() => {
      savePairing(this.db, {
        terminalId: paired.terminalId,
        merchantId: paired.merchantId,
        storeId: paired.storeId,
        token: paired.token,
        serverUrl,
        deviceName,
        pairedAt: this.options.clock.deviceNow(),
      });
      // A different terminal starts a new sequence space and caches of another store.
      if (before.terminalId !== paired.terminalId && before.terminalId !== null)
        this.db.exec(`UPDATE terminal_identity SET last_sync_at = NULL; DELETE FROM sync_cursors;`);
      // A reinstalled till (empty database, same terminal id) must not reuse a number the server
      // has applied: every op under it would be answered as a conflict.
      raiseSeqFloor(this.db, paired.lastSeq);
    })();
    this.adoptOffset(paired.serverTime, outcome.sentAt, outcome.receivedAt);
    this.lastError = null;
    this.setOnline(true);
    this.announce();
    if (this.options.autoSync !== false) {
      this.started = false;
      this.start();
    }
    return ok(paired);
  }

  /** Asks for a push soon (after a sale); many requests in a burst make one push. */
  requestPush(): void {
    if (this.options.autoSync === false || this.pushTimer || this.lifetime.signal.aborted) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      void this.syncNow({ pullStreams: [] });
    }, 50);
    this.pushTimer.unref();
  }

  /**
   * Push, then pull the given streams (all by default), then push what arrived meanwhile. One
   * run at a time: a request during a run gets the run after it (one for all such requests, every
   * stream), because the run going may have read the server before the change the caller waits
   * for (a cashier's "sync now" after a change in the cabinet must see it).
   */
  syncNow(options: { pullStreams?: readonly SyncStream[] } = {}): Promise<Result<SyncReport, Problem>> {
    if (this.running) {
      this.following ??= this.running.then((previous) => {
        this.following = null;
        return this.lifetime.signal.aborted ? previous : this.syncNow();
      });
      return this.following;
    }
    const run = this.runOnce(options.pullStreams ?? SYNC_STREAMS).finally(() => {
      this.running = null;
      this.announce();
    });
    this.running = run;
    return run;
  }

  private async runOnce(streams: readonly SyncStream[]): Promise<Result<SyncReport, Problem>> {
    if (getIdentity(this.db).status !== PairingStatus.paired) return notPaired();
    this.announce();
    const pushed = await this.pushAll();
    if (!pushed.ok) return this.failed(pushed.error);
    const pulled: Record<string, number> = {};
    for (const stream of streams) {
      const result = await this.pullStream(stream);
      if (!result.ok) return this.failed(result.error);
      pulled[stream] = result.value;
    }
    const after = await this.pushAll();
    if (!after.ok) return this.failed(after.error);
    if (streams.length === SYNC_STREAMS.length) markSynced(this.db, this.options.clock.deviceNow());
    this.attempt = 0;
    this.lastError = null;
    this.nextRetryAt = null;
    return ok({ pushed: pushed.value + after.value, pulled });
  }

  private failed(problem: Problem): Result<SyncReport, Problem> {
    this.lastError = problem;
    if (!isAuthFailure(problem) && problem.code !== TerminalError.notPaired) this.scheduleRetry();
    return err(problem);
  }

  private scheduleRetry(): void {
    if (this.options.autoSync === false || this.lifetime.signal.aborted || this.retryTimer) return;
    const delay = backoffDelay(this.attempt++);
    this.nextRetryAt = this.options.clock.deviceNow() + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.syncNow();
    }, delay);
    this.retryTimer.unref();
  }

  /** Pulls one stream to its end, each page applied with its cursor in one transaction. */
  private async pullStream(stream: SyncStream): Promise<Result<number, Problem>> {
    let items = 0;
    for (;;) {
      // Settings cached before the server shipped the QR key have none: fetch the item again.
      const refetch = stream === 'settings' && getSettings(this.db)?.qrPublicKey === null;
      const cursor = refetch ? undefined : (getCursor(this.db, stream)?.cursor ?? undefined);
      const outcome = await this.call({
        method: 'GET',
        path: '/api/v1/sync/pull',
        query: {
          stream,
          cursor,
          limit: this.options.pageSize ?? PULL_PAGE_SIZE,
          pendingOps: outboxCounts(this.db).pending,
        },
        schema: pullResponseSchema,
        timeoutMs: this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      });
      if (!outcome.ok) return err(outcome.error);
      const page = outcome.value;
      if (page.stream !== stream)
        return fail(TerminalError.serverError, `Сервер прислал поток ${page.stream} вместо ${stream}`);
      applyPage(this.db, page, this.options.clock.deviceNow());
      items += page.items.length + page.deleted.length;
      if (!page.hasMore) return ok(items);
    }
  }

  /** Sends every pending op in seq order; stops at the first failed request. */
  private async pushAll(): Promise<Result<number, Problem>> {
    let sent = 0;
    for (;;) {
      const batch = pendingOps(this.db, this.options.pushBatch ?? PUSH_BATCH);
      if (batch.length === 0) {
        markPushed(this.db, this.options.clock.deviceNow());
        return ok(sent);
      }
      crashPoint(CrashPoint.beforePush);
      const outcome = await this.call({
        method: 'POST',
        path: '/api/v1/sync/push',
        body: {
          ops: batch.map((op) => ({
            opId: op.opId,
            seq: op.seq,
            kind: op.kind,
            occurredAt: op.occurredAt,
            payload: op.payload,
          })),
          pendingOps: Math.max(0, outboxCounts(this.db).pending - batch.length),
        },
        schema: pushResponseSchema,
        timeoutMs: this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      });
      if (!outcome.ok) {
        recordAttemptFailure(
          this.db,
          batch.map((op) => op.opId),
          `${outcome.error.code}: ${outcome.error.message}`,
        );
        return err(outcome.error);
      }
      const answer = outcome.value;
      crashPoint(CrashPoint.afterPushAnswer);
      const reopened = this.db.transaction(() => {
        for (const result of answer.results) this.applyOpResult(result);
        raiseSeqFloor(this.db, answer.nextSeq - 1);
        // The balances after these ops, so the till shows them at once; `appliedSeq` makes the
        // local spends of the acknowledged ops stop counting against the new snapshot.
        for (const item of answer.buyers?.items ?? [])
          putBuyer(this.db, item, answer.buyers?.appliedSeq ?? 0, answer.serverTime, 'lookup');
        // The server lost ops we had marked done (restored from a backup): send them again;
        // it answers `duplicate` for any it still has.
        if (answer.resendFrom === null) return 0;
        return this.db
          .prepare(`UPDATE outbox SET status = 'pending' WHERE status = 'done' AND seq >= ?`)
          .run(answer.resendFrom).changes;
      })();
      sent += answer.results.length;
      if (answer.results.length === 0 && reopened === 0)
        return fail(
          TerminalError.serverError,
          `Сервер ждёт операцию №${answer.resendFrom ?? answer.nextSeq}, которой нет на терминале. ` +
            'Обратитесь к администратору: нужна проверка журнала терминала.',
          { resendFrom: answer.resendFrom, nextSeq: answer.nextSeq, firstPending: batch[0]?.seq },
        );
    }
  }

  private applyOpResult(result: OpResult): void {
    recordOpResult(this.db, result, this.options.clock.deviceNow());
    if (result.status === 'dead_letter' || result.status === 'conflict')
      this.options.log?.(`op ${result.seq} ${result.status}: ${result.error?.message ?? ''}`);
    const registration = buyerRegistrationAnswerSchema.safeParse(result.answer);
    if (registration.success && registration.data.merged) {
      const op = this.db
        .prepare<[string], { payload: string }>(
          `SELECT payload FROM outbox WHERE op_id = ? AND kind = 'buyer_registration'`,
        )
        .get(result.opId);
      const localId = op ? (JSON.parse(op.payload) as { buyerId: string }).buyerId : null;
      if (localId && localId !== registration.data.buyerId)
        mergeLocalBuyer(this.db, localId, registration.data.buyerId);
    }
  }

  /** Fetches one buyer not in the cache and caches them; ok(null) when the server has none. */
  async lookupBuyer(query: BuyerLookup, timeoutMs = 5_000): Promise<Result<CachedBuyer | null, Problem>> {
    const outcome = await this.call({
      method: 'GET',
      path: '/api/v1/sync/buyers/lookup',
      query,
      schema: buyerLookupResponseSchema,
      timeoutMs,
    });
    if (!outcome.ok) return outcome.status === 404 ? ok(null) : err(outcome.error);
    const { buyer, appliedSeq, serverTime } = outcome.value;
    this.db.transaction(() => putBuyer(this.db, buyer, appliedSeq, serverTime, 'lookup'))();
    return ok(getBuyer(this.db, buyer.id));
  }

  /**
   * The buyer panel's lookup (A4): refreshes the cached buyer and answers the server's latest
   * receipts of the buyer on any till; ok(null) when the server has none.
   */
  async lookupBuyerHistory(
    buyerId: string,
    timeoutMs = 3_000,
  ): Promise<Result<{ buyer: CachedBuyer | null; recentReceipts: RecentReceipt[] } | null, Problem>> {
    const outcome = await this.call({
      method: 'GET',
      path: '/api/v1/sync/buyers/lookup',
      query: { buyerId },
      schema: buyerLookupResponseSchema,
      timeoutMs,
    });
    if (!outcome.ok) return outcome.status === 404 ? ok(null) : err(outcome.error);
    const { buyer, appliedSeq, serverTime, recentReceipts } = outcome.value;
    this.db.transaction(() => putBuyer(this.db, buyer, appliedSeq, serverTime, 'lookup'))();
    return ok({ buyer: getBuyer(this.db, buyer.id), recentReceipts });
  }

  /** Fetches the counters of coupon codes for a sale and keeps them for pricing (and offline use). */
  async lookupCoupons(codes: readonly string[], buyerId: string | null, timeoutMs = 3_000): Promise<boolean> {
    const outcome = await this.call({
      method: 'GET',
      path: '/api/v1/sync/coupons/lookup',
      query: { codes: codes.join(','), buyerId: buyerId ?? undefined },
      schema: couponLookupResponseSchema,
      timeoutMs,
    });
    if (!outcome.ok) return false;
    const { coupons, appliedSeq } = outcome.value;
    saveCoupons(this.db, buyerId, coupons, appliedSeq, this.options.clock.deviceNow());
    return true;
  }

  /** Fetches a receipt of any till of the merchant for a return and keeps it; ok(null) when none. */
  async lookupReceipt(
    query: { receiptId: string } | { number: string },
    timeoutMs = 5_000,
  ): Promise<ApiOutcome<StoredReceiptItem | null>> {
    const outcome = await this.call({
      method: 'GET',
      path: '/api/v1/sync/receipts/lookup',
      query,
      schema: receiptLookupResponseSchema,
      timeoutMs,
    });
    if (!outcome.ok)
      return outcome.status === 404 ? { ok: true, value: null, sentAt: 0, receivedAt: 0 } : outcome;
    putForeignReceipt(this.db, outcome.value.receipt, this.options.clock.deviceNow());
    return { ...outcome, value: outcome.value.receipt };
  }

  /** Holds points on the server before an online sale (SYNC.md "Holds"). */
  async placeHold(buyerId: string, points: number, ttlSeconds = 120): Promise<ApiOutcome<{ id: string }>> {
    return this.call({
      method: 'POST',
      path: '/api/v1/sync/holds',
      body: { buyerId, points, ttlSeconds },
      schema: holdSchema,
      timeoutMs: 5_000,
    });
  }

  /** Cancels a hold the sale did not use. */
  async cancelHold(holdId: string): Promise<void> {
    await this.call({
      method: 'DELETE',
      path: `/api/v1/sync/holds/${holdId}`,
      schema: z.unknown(),
      timeoutMs: 5_000,
    });
  }

  /** Keeps `GET /sync/events` open; every (re)connect catches up with a full sync. */
  private async listenForEvents(): Promise<void> {
    let attempt = 0;
    const signal = this.lifetime.signal;
    while (!signal.aborted) {
      const identity = getIdentity(this.db);
      if (identity.status !== PairingStatus.paired || !identity.serverUrl || !identity.token) break;
      const connection = new AbortController();
      const abortConnection = () => connection.abort();
      signal.addEventListener('abort', abortConnection, { once: true });
      let watchdog: NodeJS.Timeout | null = null;
      const feed = () => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => connection.abort(), EVENTS_SILENCE_MS);
        watchdog.unref();
      };
      try {
        feed();
        const response = await fetch(apiUrl(identity.serverUrl, '/api/v1/sync/events'), {
          headers: { authorization: `Bearer ${identity.token}`, accept: 'text/event-stream' },
          signal: connection.signal,
        });
        if (response.status === 401) {
          const body = (await response.json().catch(() => null)) as Problem | null;
          if (body && isAuthFailure(body)) this.refused(body);
          break;
        }
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        attempt = 0;
        this.eventsConnected = true;
        this.setOnline(true);
        this.announce();
        void this.syncNow();
        for await (const event of readEvents(response.body, feed)) {
          if (event.event !== 'poke') continue;
          this.options.events.emit('poke', event.data);
          void this.syncNow();
        }
      } catch {
        // A dropped or refused connection: the loop reconnects after a backoff.
      } finally {
        if (watchdog) clearTimeout(watchdog);
        signal.removeEventListener('abort', abortConnection);
      }
      if (this.eventsConnected) {
        this.eventsConnected = false;
        this.announce();
      }
      await sleep(backoffDelay(attempt++), signal);
    }
  }
}
