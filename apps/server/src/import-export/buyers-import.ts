// Buyers from a file (B5) under the rules of POST /buyers: the same body schema, the same phone
// normalisation, the same questionnaire check (D2), consents with the text version as proof
// (D6), and a card only when it is issued and free. Registration channel is 'import'.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { buyerCreateSchema } from '@loyalty/protocol/api/buyers.schema';
import { Permission } from '#auth/permissions.ts';
import { merchantClock, type BuyerValues } from '#buyers/buyers.repository.ts';
import type { ConsentInput } from '#buyers/consents.repository.ts';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import type { ConsentKind } from '#db/database-schema.ts';
import { isUniqueViolation } from '#db/pg-error.ts';
import { conflict } from '#http/api-error.ts';
import { checkProfile, type ProfileInput } from '#questionnaire/questionnaire-check.ts';
import {
  listFields,
  loadStandardFields,
  type QuestionnaireField,
} from '#questionnaire/questionnaire.repository.ts';
import { parseDate, parseDecimal, parseGender, parseYesNo, splitList } from './cell-values.ts';
import {
  attachCards,
  buyerIdsByPhone,
  cardsByNumber,
  insertBuyers,
  insertConsentRecords,
} from './import-batches.repository.ts';
import { localMidnight } from './merchant-time.ts';
import {
  flagRepeats,
  reportIssues,
  rowCells,
  type Importer,
  type RowCells,
  type RowError,
} from './importer.ts';

const consentFields = {
  smsConsent: 'sms',
  advertisingConsent: 'advertising',
  emailConsent: 'email',
  messengerConsent: 'messenger',
} as const satisfies Record<string, ConsentKind>;
const consentFieldOf = Object.fromEntries(
  Object.entries(consentFields).map(([field, kind]) => [kind, field]),
) as Record<ConsentKind, string>;

const plainFields = ['phone', 'email', 'lastName', 'firstName', 'middleName', 'cardNumber'] as const;
const answerField = (key: string) => `answers.${key}`;

type Clock = { today: string; timeZone: string };
type Questionnaire = Parameters<typeof checkProfile>[0];

/** A row read into what registerBuyer would receive. */
type BuyerLine = {
  cells: RowCells;
  phone: string | null;
  cardNumber: string | null;
  values: BuyerValues & { id: string };
  consents: ConsentInput[];
};

/**
 * The file field an issue of buyerCreateSchema points to. A missing text version is blamed on
 * its column, or on the consent itself when the file has no such column.
 */
function fieldOfIssue(
  cells: RowCells,
  path: readonly PropertyKey[],
  consents: readonly ConsentInput[],
): string | null {
  const [head, index, leaf] = path;
  if (head === undefined) return null;
  if (head === 'answers') return index === undefined ? null : answerField(String(index));
  if (head === 'consents') {
    if (leaf === 'textVersion' && cells.has('consentTextVersion')) return 'consentTextVersion';
    if (leaf === 'recordedAt') return 'consentDate';
    const consent = typeof index === 'number' ? consents[index] : undefined;
    return consent ? consentFieldOf[consent.kind] : null;
  }
  return String(head);
}

/** The file field a questionnaire issue ('body.firstName', 'body.answers.size') points to. */
const fieldOfProfilePath = (path: string) => path.replace(/^body\./, '');

function readAnswers(
  cells: RowCells,
  fields: readonly QuestionnaireField[],
): Record<string, string | number> {
  const answers: Record<string, string | number> = {};
  for (const field of fields) {
    const raw = cells.value(answerField(field.key));
    if (raw === '') continue;
    const parsed =
      field.kind === 'number'
        ? parseDecimal(raw)
        : field.kind === 'date'
          ? parseDate(raw)
          : { ok: true as const, value: raw };
    if (parsed.ok) answers[field.key] = parsed.value;
    else cells.fail(answerField(field.key), parsed.error.code, parsed.error.message);
  }
  return answers;
}

function readConsents(cells: RowCells, clock: Clock, now: Date): ConsentInput[] {
  let recordedAt: string | undefined;
  const date = cells.value('consentDate');
  if (date !== '') {
    const parsed = parseDate(date);
    if (!parsed.ok) cells.fail('consentDate', parsed.error.code, parsed.error.message);
    else {
      const at = localMidnight(parsed.value, clock.timeZone);
      if (at > now) cells.fail('consentDate', 'consent_in_future', 'Дата согласия в будущем');
      recordedAt = at.toISOString();
    }
  }
  const textVersion = cells.value('consentTextVersion') || undefined;
  const consents: ConsentInput[] = [];
  for (const [field, kind] of Object.entries(consentFields)) {
    const raw = cells.value(field);
    if (raw === '') continue;
    const granted = parseYesNo(raw);
    if (!granted.ok) cells.fail(field, granted.error.code, granted.error.message);
    else consents.push({ kind, granted: granted.value, channel: 'import', textVersion, recordedAt });
  }
  return consents;
}

function readLine(
  cells: RowCells,
  questionnaire: Questionnaire,
  answerFields: readonly QuestionnaireField[],
  clock: Clock,
  now: Date,
): BuyerLine {
  const body: Record<string, unknown> = { channel: 'import' };
  for (const field of plainFields) if (cells.value(field) !== '') body[field] = cells.value(field);
  const tags = splitList(cells.value('tags'), /[,;]/);
  if (tags.length > 0) body.tags = tags;
  if (cells.value('gender') !== '') {
    const gender = parseGender(cells.value('gender'));
    if (gender.ok) body.gender = gender.value;
    else cells.fail('gender', gender.error.code, gender.error.message);
  }
  if (cells.value('birthDate') !== '') {
    const birthDate = parseDate(cells.value('birthDate'));
    if (birthDate.ok) body.birthDate = birthDate.value;
    else cells.fail('birthDate', birthDate.error.code, birthDate.error.message);
  }
  const answers = readAnswers(cells, answerFields);
  body.answers = answers;
  const consents = readConsents(cells, clock, now);
  if (consents.length > 0) body.consents = consents;

  const parsed = buyerCreateSchema.safeParse(body);
  if (!parsed.success)
    reportIssues(cells, parsed.error.issues, (path) => fieldOfIssue(cells, path, consents));
  const data: z.infer<typeof buyerCreateSchema> = parsed.success ? parsed.data : {};

  let phone: string | null = null;
  if (typeof body.phone === 'string') {
    const normal = normalizePhone(body.phone);
    if (normal.ok) phone = normal.value;
    else cells.fail('phone', normal.error.code, normal.error.message);
  }
  if (body.phone === undefined && body.cardNumber === undefined)
    cells.fail(null, 'identifier_required', 'Укажите телефон или номер карты покупателя');

  // The questionnaire sees the cells even when another cell failed the schema, so a row gets
  // every problem at once and no "required" for a field that is filled in.
  const text = (field: string) => (typeof body[field] === 'string' ? body[field] : undefined);
  const profile: ProfileInput = {
    firstName: text('firstName'),
    lastName: text('lastName'),
    middleName: text('middleName'),
    gender: text('gender'),
    birthDate: text('birthDate'),
    email: text('email')?.toLowerCase(),
    answers,
  };
  for (const issue of checkProfile(questionnaire, profile, 'create', clock.today))
    cells.fail(fieldOfProfilePath(issue.path), issue.code, issue.message);

  return {
    cells,
    phone,
    cardNumber: typeof body.cardNumber === 'string' ? body.cardNumber : null,
    consents: data.consents ?? [],
    values: {
      id: randomUUID(),
      phone,
      email: data.email?.toLowerCase() ?? null,
      firstName: data.firstName || null,
      lastName: data.lastName || null,
      middleName: data.middleName || null,
      gender: data.gender ?? null,
      birthDate: data.birthDate ?? null,
      channel: 'import',
      registrationStoreId: null,
      registrationCashierId: null,
      referrerId: null,
      answers,
      favouriteCategoryIds: [],
      tags: data.tags ?? [],
    },
  };
}

/** Buyers: POST /imports/buyers. */
export const buyersImporter: Importer = {
  permissions: [Permission.buyersWrite],
  lockScopes: ['import:buyers'],

  async columnRules(db, merchantId) {
    const [standard, fields] = await Promise.all([
      loadStandardFields(db, merchantId),
      listFields(db, merchantId),
    ]);
    return {
      extra: fields.map((f) => ({ field: answerField(f.key), title: f.label, names: [f.key, f.label] })),
      // The import fields of the standard ones carry the same names (firstName, birthDate...).
      required: [
        ...Object.entries(standard).flatMap(([name, s]) => (s.enabled && s.required ? [name] : [])),
        ...fields.flatMap((f) => (f.enabled && f.required ? [answerField(f.key)] : [])),
      ],
    };
  },

  async check(trx, actor, rows, columns, now) {
    const merchantId = actor.merchantId;
    const clock = await merchantClock(trx, merchantId, now);
    const questionnaire: Questionnaire = {
      standardFields: await loadStandardFields(trx, merchantId),
      fields: await listFields(trx, merchantId),
    };
    const answerFields = questionnaire.fields.filter((f) => columns.index.has(answerField(f.key)));
    const errors: RowError[] = [];
    const lines = rows.map((row) =>
      readLine(rowCells(row, columns, errors), questionnaire, answerFields, clock, now),
    );

    flagRepeats(
      lines.map((l) => ({ cells: l.cells, key: l.phone })),
      'phone',
      'Этот телефон',
    );
    flagRepeats(
      lines.map((l) => ({ cells: l.cells, key: l.cardNumber })),
      'cardNumber',
      'Эта карта',
    );
    const taken = await buyerIdsByPhone(
      trx,
      merchantId,
      lines.flatMap((l) => (l.phone ? [l.phone] : [])),
    );
    const cards = await cardsByNumber(
      trx,
      merchantId,
      lines.flatMap((l) => (l.cardNumber ? [l.cardNumber] : [])),
    );
    for (const line of lines) {
      if (line.phone && taken.has(line.phone))
        line.cells.fail('phone', 'phone_taken', 'Покупатель с таким телефоном уже есть');
      if (line.cardNumber === null) continue;
      const card = cards.get(line.cardNumber);
      if (!card) line.cells.fail('cardNumber', 'card_not_found', 'Карта с таким номером не выпущена');
      else if (card.buyer_id !== null || (card.status !== 'issued' && card.status !== 'active'))
        line.cells.fail('cardNumber', 'card_taken', 'Карта уже выдана, заблокирована или заменена');
    }

    return {
      errors,
      write: async (db) => {
        try {
          await insertBuyers(
            db,
            merchantId,
            lines.map((l) => l.values),
          );
        } catch (error) {
          // A buyer registered at a till while the file was being checked.
          if (isUniqueViolation(error, 'buyers_phone_key'))
            throw conflict(
              'Покупатель с телефоном из файла только что зарегистрирован: загрузите файл снова',
            );
          throw error;
        }
        await insertConsentRecords(
          db,
          merchantId,
          lines.flatMap((l) => l.consents.map((consent) => ({ buyerId: l.values.id, consent }))),
          now,
        );
        const pairs = lines.flatMap((l) => {
          const card = l.cardNumber === null ? undefined : cards.get(l.cardNumber);
          return card ? [{ cardId: card.id, buyerId: l.values.id }] : [];
        });
        if ((await attachCards(db, merchantId, pairs, now)) !== pairs.length)
          throw conflict('Карту из файла только что выдали или заблокировали: загрузите файл снова');
        return lines.length;
      },
    };
  },
};
