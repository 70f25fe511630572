// The questionnaire (D2): standard fields on/off/required and the merchant's own fields.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import {
  questionnaireFieldCreateSchema,
  questionnaireFieldSchema,
  questionnaireFieldUpdateSchema,
  questionnaireSchema,
  standardFieldsUpdateSchema,
} from '@loyalty/protocol/api/questionnaire.schema';
import { writeAudit } from '#audit/audit.repository.ts';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { isUniqueViolation } from '#db/pg-error.ts';
import { badRequest, conflict, notFound } from '#http/api-error.ts';
import {
  deleteField,
  findField,
  insertField,
  listFields,
  loadStandardFields,
  saveStandardFields,
  updateField,
} from './questionnaire.repository.ts';

/** The ids as given, once every one is a category of this merchant; else a 400 naming the strays. */
async function knownCategories(db: Db, merchantId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .selectFrom('categories')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .execute();
  const known = new Set(found.map((c) => c.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0)
    throw badRequest('category_not_found', 'Нет таких категорий товаров: проверьте выбранные категории', {
      categoryIds: missing,
    });
  return [...ids];
}

/** Registers /questionnaire routes. */
export function questionnaireRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['questionnaire'];

  r.get(
    '/api/v1/questionnaire',
    {
      schema: {
        tags,
        summary: 'Анкета покупателя: стандартные и свои поля',
        response: { 200: questionnaireSchema, ...errorResponses },
      },
    },
    async (request) => {
      // Whoever enters buyers needs the form, so reading it takes buyers:read.
      const actor = authorize(request, Permission.buyersRead);
      const [standardFields, fields] = await Promise.all([
        loadStandardFields(db, actor.merchantId),
        listFields(db, actor.merchantId),
      ]);
      return { standardFields, fields };
    },
  );

  r.patch(
    '/api/v1/questionnaire/standard-fields',
    {
      schema: {
        tags,
        summary: 'Включить, выключить или сделать обязательными стандартные поля',
        body: standardFieldsUpdateSchema,
        response: { 200: questionnaireSchema.shape.standardFields, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsWrite);
      return db.transaction().execute(async (trx) => {
        const before = await loadStandardFields(trx, actor.merchantId);
        const after = { ...before };
        for (const [name, setting] of Object.entries(request.body))
          if (setting) after[name as keyof typeof after] = setting;
        await saveStandardFields(trx, actor.merchantId, after);
        await writeAudit(trx, actor, {
          action: 'questionnaire.standard_fields',
          entity: 'questionnaire',
          entityId: null,
          before,
          after,
        });
        return after;
      });
    },
  );

  r.post(
    '/api/v1/questionnaire/fields',
    {
      schema: {
        tags,
        summary: 'Добавить поле анкеты',
        body: questionnaireFieldCreateSchema,
        response: { 201: questionnaireFieldSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsWrite);
      const body = request.body;
      try {
        const field = await db.transaction().execute(async (trx) => {
          const created = await insertField(trx, actor.merchantId, {
            key: body.key,
            label: body.label,
            kind: body.kind,
            options: body.options ?? null,
            required: body.required,
            requiredCategoryIds: await knownCategories(trx, actor.merchantId, body.requiredCategoryIds),
            position: body.position,
            enabled: body.enabled,
          });
          await writeAudit(trx, actor, {
            action: 'questionnaire.field_create',
            entity: 'questionnaire_field',
            entityId: created.id,
            after: created,
          });
          return created;
        });
        return await reply.status(201).send(field);
      } catch (error) {
        if (isUniqueViolation(error, 'questionnaire_fields_key_unique'))
          throw conflict(`Поле с ключом «${body.key}» уже есть`);
        throw error;
      }
    },
  );

  r.patch(
    '/api/v1/questionnaire/fields/:id',
    {
      schema: {
        tags,
        summary: 'Изменить поле анкеты (ключ и тип не меняются)',
        params: idParamsSchema,
        body: questionnaireFieldUpdateSchema,
        response: { 200: questionnaireFieldSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.settingsWrite);
      return db.transaction().execute(async (trx) => {
        const before = await findField(trx, actor.merchantId, request.params.id);
        if (!before) throw notFound('Поле анкеты');
        const change = request.body;
        if (change.options !== undefined && before.kind !== 'list')
          throw badRequest('options_not_list', 'Варианты задаются только для поля-списка');
        if ((change.enabled ?? before.enabled) === false && (change.required ?? before.required))
          throw badRequest('disabled_required', 'Выключенное поле не может быть обязательным');
        if (change.requiredCategoryIds !== undefined)
          await knownCategories(trx, actor.merchantId, change.requiredCategoryIds);
        const after = await updateField(trx, actor.merchantId, before.id, change);
        await writeAudit(trx, actor, {
          action: 'questionnaire.field_update',
          entity: 'questionnaire_field',
          entityId: before.id,
          before,
          after,
        });
        return after;
      });
    },
  );

  r.delete(
    '/api/v1/questionnaire/fields/:id',
    {
      schema: {
        tags,
        summary: 'Удалить поле анкеты вместе с ответами покупателей',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.settingsWrite);
      await db.transaction().execute(async (trx) => {
        const field = await findField(trx, actor.merchantId, request.params.id);
        if (!field) throw notFound('Поле анкеты');
        await deleteField(trx, actor.merchantId, field);
        await writeAudit(trx, actor, {
          action: 'questionnaire.field_delete',
          entity: 'questionnaire_field',
          entityId: field.id,
          before: field,
        });
      });
      return reply.status(204).send(null);
    },
  );
}
