// The buyer questionnaire (D2): standard fields the merchant turns on, off or makes required, and
// the merchant's own fields (list, text, number, date).
import { z } from 'zod';
import { nameSchema, somethingToChange } from '#api/fields.schema.ts';

export const questionnaireFieldKindSchema = z.enum(['list', 'text', 'number', 'date']);

/** The standard profile fields a merchant can switch; the phone is the buyer's identity, always on. */
export const standardFieldNames = [
  'firstName',
  'lastName',
  'middleName',
  'gender',
  'birthDate',
  'email',
] as const;
export type StandardFieldName = (typeof standardFieldNames)[number];

export const standardFieldSettingSchema = z
  .object({ enabled: z.boolean(), required: z.boolean() })
  .refine((s) => s.enabled || !s.required, {
    path: ['required'],
    message: 'Выключенное поле не может быть обязательным',
  });

export const standardFieldsSchema = z.object({
  firstName: standardFieldSettingSchema,
  lastName: standardFieldSettingSchema,
  middleName: standardFieldSettingSchema,
  gender: standardFieldSettingSchema,
  birthDate: standardFieldSettingSchema,
  email: standardFieldSettingSchema,
});

/** Only the fields named change. */
export const standardFieldsUpdateSchema = standardFieldsSchema
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');

const options = z
  .array(nameSchema(100))
  .min(1, 'Укажите варианты списка')
  .max(100)
  .refine((list) => new Set(list).size === list.length, 'Варианты не должны повторяться');

/** Categories whose products in the receipt make the field required at the till (A2). */
const requiredCategoryIds = z
  .array(z.uuid('Укажите id категории'))
  .max(100)
  .refine((list) => new Set(list).size === list.length, 'Категории не должны повторяться');

export const questionnaireFieldCreateSchema = z
  .object({
    /** Answers are stored under the key; it cannot change later. */
    key: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'Ключ — латиница, цифры и _, с буквы, до 50 символов'),
    label: nameSchema(100),
    kind: questionnaireFieldKindSchema,
    options: options.optional(),
    required: z.boolean().default(false),
    requiredCategoryIds: requiredCategoryIds.default([]),
    position: z.number().int().min(0).max(10_000).optional(),
    enabled: z.boolean().default(true),
  })
  .refine((f) => (f.kind === 'list') === (f.options !== undefined), {
    path: ['options'],
    message: 'Варианты задаются только для списка, и для списка обязательны',
  })
  .refine((f) => f.enabled || !f.required, {
    path: ['required'],
    message: 'Выключенное поле не может быть обязательным',
  });

/** Key and kind are fixed: answers already given depend on them. */
export const questionnaireFieldUpdateSchema = z
  .object({
    label: nameSchema(100),
    options,
    required: z.boolean(),
    requiredCategoryIds,
    position: z.number().int().min(0).max(10_000),
    enabled: z.boolean(),
  })
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');

export const questionnaireFieldSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    label: z.string(),
    kind: questionnaireFieldKindSchema,
    options: z.array(z.string()).nullable(),
    required: z.boolean(),
    /** Required at the till also when the receipt holds products of these categories. */
    requiredCategoryIds: z.array(z.uuid()),
    position: z.number().int(),
    enabled: z.boolean(),
  })
  .meta({ id: 'QuestionnaireField' });

export const questionnaireSchema = z
  .object({ standardFields: standardFieldsSchema, fields: z.array(questionnaireFieldSchema) })
  .meta({ id: 'Questionnaire' });
