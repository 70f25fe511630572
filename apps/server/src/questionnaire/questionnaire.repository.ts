// The merchant's questionnaire (D2): standard-field switches in buyer_settings and own fields.
import { sql } from 'kysely';
import type { StandardFieldName } from '@loyalty/protocol/api/questionnaire.schema';
import type { Db } from '#db/database.ts';
import type { QuestionnaireFieldKind, StandardFieldSetting } from '#db/database-schema.ts';

/** The buyers column behind each standard field, also the key in buyer_settings.standard_fields. */
export const standardFieldColumns = {
  firstName: 'first_name',
  lastName: 'last_name',
  middleName: 'middle_name',
  gender: 'gender',
  birthDate: 'birth_date',
  email: 'email',
} as const satisfies Record<StandardFieldName, string>;

export type StandardFields = Record<StandardFieldName, StandardFieldSetting>;

const DEFAULT_SETTING: StandardFieldSetting = { enabled: true, required: false };

const fieldColumns = [
  'id',
  'key',
  'label',
  'kind',
  'options',
  'required',
  'required_category_ids as requiredCategoryIds',
  'position',
  'enabled',
] as const;

/** A questionnaire field as stored. */
export type QuestionnaireField = {
  id: string;
  key: string;
  label: string;
  kind: QuestionnaireFieldKind;
  options: string[] | null;
  required: boolean;
  /** Required at the till also when the receipt holds products of these categories (A2). */
  requiredCategoryIds: string[];
  position: number;
  enabled: boolean;
};

/** Standard-field switches; a field never configured is on and optional. */
export async function loadStandardFields(db: Db, merchantId: string): Promise<StandardFields> {
  const row = await db
    .selectFrom('buyer_settings')
    .select('standard_fields')
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  const stored = row?.standard_fields ?? {};
  const entries = Object.entries(standardFieldColumns).map(([name, column]) => [
    name,
    stored[column] ?? DEFAULT_SETTING,
  ]);
  return Object.fromEntries(entries) as StandardFields;
}

/** Replaces the standard-field switches. */
export async function saveStandardFields(db: Db, merchantId: string, fields: StandardFields): Promise<void> {
  const stored = Object.fromEntries(
    Object.entries(fields).map(([name, setting]) => [
      standardFieldColumns[name as StandardFieldName],
      setting,
    ]),
  );
  const json = JSON.stringify(stored);
  await db
    .insertInto('buyer_settings')
    .values({ merchant_id: merchantId, standard_fields: json })
    .onConflict((oc) =>
      oc.column('merchant_id').doUpdateSet({ standard_fields: json, updated_at: new Date() }),
    )
    .execute();
}

/** The merchant's own fields in form order. */
export function listFields(db: Db, merchantId: string): Promise<QuestionnaireField[]> {
  return db
    .selectFrom('questionnaire_fields')
    .select(fieldColumns)
    .where('merchant_id', '=', merchantId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

/** One field of this merchant. */
export function findField(db: Db, merchantId: string, id: string): Promise<QuestionnaireField | undefined> {
  return db
    .selectFrom('questionnaire_fields')
    .select(fieldColumns)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Adds a field; without a position it goes last. */
export async function insertField(
  db: Db,
  merchantId: string,
  field: Omit<QuestionnaireField, 'id' | 'position'> & { position: number | undefined },
): Promise<QuestionnaireField> {
  const position =
    field.position ??
    ((
      await db
        .selectFrom('questionnaire_fields')
        .select((eb) => eb.fn.max('position').as('last'))
        .where('merchant_id', '=', merchantId)
        .executeTakeFirst()
    )?.last ?? -1) + 1;
  return db
    .insertInto('questionnaire_fields')
    .values({
      merchant_id: merchantId,
      key: field.key,
      label: field.label,
      kind: field.kind,
      options: field.options === null ? null : JSON.stringify(field.options),
      required: field.required,
      required_category_ids: JSON.stringify(field.requiredCategoryIds),
      position,
      enabled: field.enabled,
    })
    .returning(fieldColumns)
    .executeTakeFirstOrThrow();
}

/** Changes the mutable parts of a field. */
export function updateField(
  db: Db,
  merchantId: string,
  id: string,
  change: Partial<
    Pick<
      QuestionnaireField,
      'label' | 'options' | 'required' | 'requiredCategoryIds' | 'position' | 'enabled'
    >
  >,
): Promise<QuestionnaireField> {
  const { options, requiredCategoryIds, ...rest } = change;
  return db
    .updateTable('questionnaire_fields')
    .set({
      ...rest,
      ...(options === undefined ? {} : { options: JSON.stringify(options) }),
      ...(requiredCategoryIds === undefined
        ? {}
        : { required_category_ids: JSON.stringify(requiredCategoryIds) }),
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returning(fieldColumns)
    .executeTakeFirstOrThrow();
}

/** Removes a field and every buyer's answer to it, so no orphan answers stay behind. */
export async function deleteField(db: Db, merchantId: string, field: QuestionnaireField): Promise<void> {
  await db
    .deleteFrom('questionnaire_fields')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', field.id)
    .execute();
  await db
    .updateTable('buyers')
    .set({ answers: sql<string>`answers - ${field.key}::text` })
    .where('merchant_id', '=', merchantId)
    .where(sql<boolean>`answers ? ${field.key}::text`)
    .execute();
}
