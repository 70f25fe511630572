// Applies one op's payload inside the op's transaction (push.service.ts). Payloads are checked
// here, per op, so a malformed one is dead-lettered instead of failing the batch. A receipt is
// never refused for business reasons: it is booked as the till calculated it (that is what was
// printed), and a spend beyond the buyer's lots becomes overdraft (debt).
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import {
  buyerConsentPayloadSchema,
  buyerRegistrationPayloadSchema,
  buyerUpdatePayloadSchema,
  opKindSchema,
  receiptPayloadSchema,
  returnPayloadSchema,
  type OpEnvelope,
} from '@loyalty/protocol/sync/push.schema';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import { insertConsents } from '#buyers/consents.repository.ts';
import { attachCard, findCardByNumber } from '#cards/cards.repository.ts';
import type { Database } from '#db/database-schema.ts';
import { referralModeFor } from '#buyers/referral-policy.ts';
import { periodTotalOrNull } from '#tiers/tier-total.ts';
import { buyerStateColumns, type BuyerStateRow } from '#purchases/buyer-state.ts';
import {
  loadPostingContext,
  lockReferrers,
  readPostingContext,
  type PostingContext,
  type PostingReadOptions,
} from '#purchases/posting-context.ts';
import { postReceipt } from '#purchases/receipt-posting.ts';
import { postReturn } from '#purchases/return-posting.ts';
import { preparedRulesFor } from '#programme/rules-snapshot.ts';
import { applyBuyerConsent } from './buyer-consent-op.ts';
import { applyBuyerUpdate } from './buyer-update-op.ts';
import { DeadLetterReason, refuse, type OpOutcome } from './op-result.ts';
import type { TerminalActor } from './terminal-auth.ts';

type Trx = Transaction<Database>;

/** A registration merged at sync: later ops naming the terminal's id apply to the real buyer. */
async function realBuyerId(trx: Trx, merchantId: string, id: string): Promise<string> {
  const alias = await trx
    .selectFrom('buyer_aliases')
    .select('buyer_id')
    .where('merchant_id', '=', merchantId)
    .where('alias_id', '=', id)
    .executeTakeFirst();
  return alias?.buyer_id ?? id;
}

async function rulesOf(trx: Trx, merchantId: string): Promise<PreparedRules | null> {
  return preparedRulesFor(trx, merchantId);
}

function invalid(error: z.ZodError): OpOutcome {
  return refuse(DeadLetterReason.invalidPayload, 'Операция не соответствует протоколу синхронизации', {
    issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}

/** Applies the op; a refusal is a dead letter (the caller rolls the effects back). */
export async function applyOp(trx: Trx, terminal: TerminalActor, op: OpEnvelope): Promise<OpOutcome> {
  const kind = opKindSchema.safeParse(op.kind);
  if (!kind.success) return refuse(DeadLetterReason.unknownKind, `Неизвестный вид операции: ${op.kind}`);
  switch (kind.data) {
    case 'receipt': {
      const parsed = receiptPayloadSchema.safeParse(op.payload);
      return parsed.success ? applyReceipt(trx, terminal, op, parsed.data) : invalid(parsed.error);
    }
    case 'return': {
      const parsed = returnPayloadSchema.safeParse(op.payload);
      return parsed.success ? applyReturn(trx, terminal, parsed.data) : invalid(parsed.error);
    }
    case 'buyer_registration': {
      const parsed = buyerRegistrationPayloadSchema.safeParse(op.payload);
      return parsed.success ? applyRegistration(trx, terminal, parsed.data) : invalid(parsed.error);
    }
    case 'buyer_update': {
      const parsed = buyerUpdatePayloadSchema.safeParse(op.payload);
      return parsed.success ? applyBuyerUpdate(trx, terminal, parsed.data) : invalid(parsed.error);
    }
    case 'buyer_consent': {
      const parsed = buyerConsentPayloadSchema.safeParse(op.payload);
      return parsed.success ? applyBuyerConsent(trx, terminal, parsed.data) : invalid(parsed.error);
    }
  }
}

async function applyReceipt(
  trx: Trx,
  terminal: TerminalActor,
  op: OpEnvelope,
  payload: z.output<typeof receiptPayloadSchema>,
): Promise<OpOutcome> {
  const merchantId = terminal.merchantId;
  const idempotencyKey = `terminal:${payload.receiptId}`;
  const answerOf = (row: { id: string; response: unknown }) => {
    const response = row.response as { buyer: unknown; overdraft?: number };
    return { receiptId: row.id, buyer: response.buyer ?? null, overdraft: response.overdraft ?? 0 };
  };
  // One round trip for what decides whether and how the receipt applies: is it booked already
  // (the same receipt under a new op, from a till that lost its outbox marks, is booked once),
  // is the store the merchant's, is the buyer's id an alias of a merged registration, and is the
  // cashier the merchant's (an unknown one is stored as null: the sale happened all the same).
  const checks = await sql<{
    stored: { id: string; response: unknown } | null;
    store_ok: boolean;
    alias: string | null;
    cashier_ok: boolean;
  }>`
    SELECT
      (SELECT json_build_object('id', id, 'response', response) FROM receipts
        WHERE merchant_id = ${merchantId} AND idempotency_key = ${idempotencyKey}) AS stored,
      EXISTS (SELECT 1 FROM stores WHERE merchant_id = ${merchantId} AND id = ${payload.storeId}::uuid) AS store_ok,
      (SELECT buyer_id FROM buyer_aliases
        WHERE merchant_id = ${merchantId} AND alias_id = ${payload.buyerId}::uuid) AS alias,
      EXISTS (SELECT 1 FROM cashiers
        WHERE merchant_id = ${merchantId} AND id = ${payload.cashierId}::uuid) AS cashier_ok`.execute(trx);
  const check = checks.rows[0];
  if (check?.stored) return { ok: true, answer: answerOf(check.stored) };
  if (!check?.store_ok) return refuse(DeadLetterReason.storeNotFound, 'Магазин чека не найден');
  const store = { id: payload.storeId };
  const rules = await rulesOf(trx, merchantId);
  if (!rules)
    return refuse(DeadLetterReason.programmeNotConfigured, 'Программа лояльности не настроена в кабинете');

  const buyerId = payload.buyerId ? (check.alias ?? payload.buyerId) : null;
  const now = new Date();
  const options: PostingReadOptions = {
    now,
    holdId: payload.holdId,
    productKeys: [],
    defaultCardTypeId: rules.snapshot.programme.defaultCardTypeId,
    // The till priced the receipt, rewards included; the server still pays only the referrers
    // its own chain allows (the invite-only mode is not in the till's rules snapshot).
    referralMode: await referralModeFor(trx, merchantId),
  };
  // The till's figures, as printed; the schema checked every figure the posting reads.
  const calculation = payload.calculation as unknown as Calculation;
  // First without a lock, like the API confirm: the posting applies only if the buyer's row did
  // not move since the read. If an online sale moved it, the row is locked and read again.
  let posted: Awaited<ReturnType<typeof postReceipt>> = { ok: false, code: 'stale' };
  for (const lock of [false, true]) {
    let row: BuyerStateRow | null;
    let context: PostingContext;
    if (lock && buyerId) {
      row =
        (await trx
          .selectFrom('buyers')
          .select(buyerStateColumns)
          .where('merchant_id', '=', merchantId)
          .where('id', '=', buyerId)
          .where('erased_at', 'is', null)
          .forUpdate()
          .executeTakeFirst()) ?? null;
      context = await loadPostingContext(trx, merchantId, row, options);
    } else {
      context = await readPostingContext(trx, merchantId, buyerId ? { buyerId } : null, options);
      row = context.row;
    }
    if (buyerId && !row) {
      // An erased buyer still gets the receipt, anonymously; an unknown one is a dead letter.
      const erased = await trx
        .selectFrom('buyers')
        .select('id')
        .where('merchant_id', '=', merchantId)
        .where('id', '=', buyerId)
        .executeTakeFirst();
      if (!erased) return refuse(DeadLetterReason.buyerNotFound, 'Покупатель чека не найден', { buyerId });
    }
    posted = await postReceipt(trx, {
      merchantId,
      receiptId: payload.receiptId,
      idempotencyKey,
      requestHash: Buffer.from(op.opId.replaceAll('-', ''), 'hex'),
      number: payload.number,
      storeId: store.id,
      cashierId: check.cashier_ok ? payload.cashierId : null,
      source: 'terminal',
      actor: { type: 'terminal', id: terminal.terminalId },
      calculation,
      buyer: row && context.buyer ? { row, state: context.buyer } : null,
      referrerDebts:
        row && context.buyer
          ? await lockReferrers(
              trx,
              merchantId,
              calculation.referralRewards
                .map((r) => r.referrerId)
                .filter((id) => context.buyer?.referrers.some((r) => r.buyerId === id)),
            )
          : new Map(),
      // An expired hold does not refuse an offline receipt: the spend is simply not reserved.
      holdId: payload.holdId && context.holdLive ? payload.holdId : null,
      tierTotalBefore: row ? await periodTotalOrNull(trx, merchantId, row.id, now) : null,
      allowOverdraft: true,
      terminal: { id: terminal.terminalId, seq: op.seq },
      rules,
      now,
    });
    if (posted.ok || posted.code !== 'stale') break;
  }
  // A receipt id or key taken by another merchant's receipt raises a unique violation, which
  // push dead-letters. With overdraft allowed and the second attempt locked, neither outcome below can
  // happen; if one does, the op is kept for a person to look at rather than lost.
  if (!posted.ok)
    return refuse(DeadLetterReason.applyFailed, 'Чек не удалось провести', { code: posted.code });
  return {
    ok: true,
    answer: { receiptId: payload.receiptId, buyer: posted.answerBuyer, overdraft: posted.overdraft },
  };
}

async function applyReturn(
  trx: Trx,
  terminal: TerminalActor,
  payload: z.output<typeof returnPayloadSchema>,
): Promise<OpOutcome> {
  const rules = await rulesOf(trx, terminal.merchantId);
  if (!rules)
    return refuse(DeadLetterReason.programmeNotConfigured, 'Программа лояльности не настроена в кабинете');
  // A cashier the server does not know (deleted, another merchant's) is stored as null.
  const cashier = payload.cashierId
    ? await trx
        .selectFrom('cashiers')
        .select('id')
        .where('merchant_id', '=', terminal.merchantId)
        .where('id', '=', payload.cashierId)
        .executeTakeFirst()
    : undefined;
  const result = await postReturn(trx, rules, {
    merchantId: terminal.merchantId,
    receiptId: payload.receiptId,
    returnId: payload.returnId,
    idempotencyKey: `terminal:${payload.returnId}`,
    requestHash: createHash('sha256')
      .update(JSON.stringify({ receiptId: payload.receiptId, lines: payload.lines }))
      .digest(),
    lines: payload.lines,
    cashierId: cashier?.id ?? null,
    actor: { type: 'terminal', id: terminal.terminalId },
    now: new Date(),
  });
  if (result.ok) return { ok: true, answer: result.answer };
  switch (result.code) {
    case 'receipt_not_found':
      return refuse(DeadLetterReason.receiptNotFound, 'Чек возврата не найден', {
        receiptId: payload.receiptId,
      });
    case 'duplicate':
      return { ok: true, answer: result.answer };
    case 'key_conflict':
      return refuse(DeadLetterReason.returnInvalid, 'Возврат с этим id уже проведён с другими строками', {
        returnId: payload.returnId,
      });
    case 'refused':
      // Quantities beyond what is left to return, or lines the receipt does not have.
      return refuse(
        exceedsReceipt(result.error.details)
          ? DeadLetterReason.returnExceedsReceipt
          : DeadLetterReason.returnInvalid,
        result.error.message,
        { ...(result.error.details as object | null), engineCode: result.error.code },
      );
  }
}

// The engine answers one `invalid_return` listing its issues; asking for more than is left is one.
function exceedsReceipt(details: unknown): boolean {
  const issues = (details as { issues?: Array<{ code?: string }> } | null)?.issues;
  return Array.isArray(issues) && issues.some((issue) => issue.code === 'quantity_exceeds_remaining');
}

async function applyRegistration(
  trx: Trx,
  terminal: TerminalActor,
  payload: z.output<typeof buyerRegistrationPayloadSchema>,
): Promise<OpOutcome> {
  const merchantId = terminal.merchantId;
  let phone: string | null = null;
  if (payload.phone) {
    const normalised = normalizePhone(payload.phone);
    if (!normalised.ok) return refuse(DeadLetterReason.phoneInvalid, normalised.error.message);
    phone = normalised.value;
  }
  const existing = await trx
    .selectFrom('buyers')
    .select(['id', 'phone'])
    .where('merchant_id', '=', merchantId)
    .where((eb) => eb.or([eb('id', '=', payload.buyerId), ...(phone ? [eb('phone', '=', phone)] : [])]))
    .where('erased_at', 'is', null)
    .execute();
  if (existing.some((b) => b.id === payload.buyerId))
    return { ok: true, answer: { buyerId: payload.buyerId, merged: false } };
  const holder = existing.find((b) => b.phone === phone);
  if (holder) {
    // Registered meanwhile elsewhere (another till, the chatbot): one person, one account.
    await trx
      .insertInto('buyer_aliases')
      .values({
        alias_id: payload.buyerId,
        merchant_id: merchantId,
        buyer_id: holder.id,
        terminal_id: terminal.terminalId,
      })
      .onConflict((oc) => oc.column('alias_id').doNothing())
      .execute();
    return { ok: true, answer: { buyerId: holder.id, merged: true } };
  }
  const referrer = payload.referrerId ? await realBuyerId(trx, merchantId, payload.referrerId) : null;
  const referrerExists = referrer
    ? await trx
        .selectFrom('buyers')
        .select('id')
        .where('merchant_id', '=', merchantId)
        .where('id', '=', referrer)
        .where('erased_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  const card = payload.cardNumber ? await findCardByNumber(trx, merchantId, payload.cardNumber) : undefined;
  if (payload.cardNumber && !card) return refuse(DeadLetterReason.cardUnavailable, 'Карта не найдена');
  const cashierIds = payload.consents.flatMap((c) => (c.cashierId ? [c.cashierId] : []));
  const knownCashiers = new Set(
    cashierIds.length === 0
      ? []
      : (
          await trx
            .selectFrom('cashiers')
            .select('id')
            .where('merchant_id', '=', merchantId)
            .where('id', 'in', cashierIds)
            .execute()
        ).map((c) => c.id),
  );
  await trx
    .insertInto('buyers')
    .values({
      id: payload.buyerId,
      merchant_id: merchantId,
      phone,
      email: payload.email,
      first_name: payload.firstName,
      last_name: payload.lastName,
      middle_name: payload.middleName,
      gender: payload.gender,
      birth_date: payload.birthDate,
      channel: 'till',
      registration_store_id: terminal.storeId,
      referrer_id: referrerExists ? referrer : null,
      consent_pending: payload.consentPending,
      answers: JSON.stringify(
        Object.fromEntries(Object.entries(payload.answers).filter(([, v]) => v !== null)),
      ),
    })
    .execute();
  await insertConsents(
    trx,
    merchantId,
    payload.buyerId,
    payload.consents.map((c) => ({
      kind: c.kind,
      granted: true,
      channel: c.channel,
      textVersion: c.textVersion,
      code: c.code,
      cashierId: c.cashierId && knownCashiers.has(c.cashierId) ? c.cashierId : null,
      recordedAt: new Date(c.confirmedAt).toISOString(),
    })),
    new Date(),
  );
  if (card && !(await attachCard(trx, merchantId, card.id, payload.buyerId)))
    return refuse(DeadLetterReason.cardUnavailable, 'Карта уже выдана, заблокирована или заменена', {
      cardNumber: payload.cardNumber,
    });
  return { ok: true, answer: { buyerId: payload.buyerId, merged: false } };
}
