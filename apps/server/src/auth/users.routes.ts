// Managing the merchant's cabinet users and integration API keys (C10, B4).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiKeyCreateSchema,
  apiKeyCreatedSchema,
  apiKeySchema,
  passwordResetIssuedSchema,
  userCreateSchema,
  userSchema,
  userUpdateSchema,
} from '@loyalty/protocol/api/auth.schema';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Db } from '#db/database.ts';
import { badRequest, conflict, notFound } from '#http/api-error.ts';
import { authorize } from './auth.plugin.ts';
import { allPermissions, Permission } from './permissions.ts';
import { hashSecret, newToken, tokenHash } from './secrets.ts';
import { findUser, findUserByEmail, insertUser, listUsers, userView } from './user.repository.ts';

const RESET_TTL_MS = 24 * 60 * 60 * 1000;

/** Registers /users and /api-keys routes. */
export function userRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  r.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Пользователи кабинета',
        response: { 200: z.array(userSchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.usersManage);
      return (await listUsers(db, actor.merchantId)).map(userView);
    },
  );

  r.post(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Добавить пользователя',
        body: userCreateSchema,
        response: { 201: userSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.usersManage);
      const body = request.body;
      if (body.role === 'owner' && !(actor.kind === 'user' && actor.role === 'owner'))
        throw badRequest('owner_only', 'Владельца может назначить только владелец');
      if (await findUserByEmail(db, body.email)) throw conflict('Пользователь с таким e-mail уже есть');
      const user = await insertUser(db, {
        merchantId: actor.merchantId,
        email: body.email,
        name: body.name,
        role: body.role,
        passwordHash: await hashSecret(body.password),
      });
      await writeAudit(db, actor, {
        action: 'user.create',
        entity: 'user',
        entityId: user.id,
        after: { email: user.email, role: user.role },
      });
      return reply.status(201).send(userView(user));
    },
  );

  r.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        summary: 'Изменить пользователя',
        params: idParamsSchema,
        body: userUpdateSchema,
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.usersManage);
      const before = await findUser(db, actor.merchantId, request.params.id);
      if (!before) throw notFound('Пользователь');
      const { name, role, disabled } = request.body;
      const touchesOwner = before.role === 'owner' || role === 'owner';
      if (touchesOwner && !(actor.kind === 'user' && actor.role === 'owner'))
        throw badRequest('owner_only', 'Роль владельца меняет только владелец');
      if (
        actor.kind === 'user' &&
        actor.id === before.id &&
        (disabled === true || (role && role !== before.role))
      )
        throw badRequest('self_lockout', 'Нельзя отключить себя или сменить себе роль');
      const after = await db
        .updateTable('users')
        .set({
          ...(name === undefined ? {} : { name }),
          ...(role === undefined ? {} : { role }),
          ...(disabled === undefined ? {} : { disabled_at: disabled ? new Date() : null }),
          updated_at: new Date(),
        })
        .where('id', '=', before.id)
        .where('merchant_id', '=', actor.merchantId)
        .returning(['id', 'merchant_id', 'email', 'name', 'role', 'disabled_at'])
        .executeTakeFirstOrThrow();
      if (disabled === true) await db.deleteFrom('sessions').where('user_id', '=', before.id).execute();
      await writeAudit(db, actor, {
        action: 'user.update',
        entity: 'user',
        entityId: before.id,
        before: userView(before),
        after: userView(after),
      });
      return userView(after);
    },
  );

  r.post(
    '/api/v1/users/:id/password-reset',
    {
      schema: {
        tags,
        summary: 'Выдать ссылку восстановления пароля (показывается один раз)',
        params: idParamsSchema,
        response: { 201: passwordResetIssuedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.usersManage);
      const user = await findUser(db, actor.merchantId, request.params.id);
      if (!user) throw notFound('Пользователь');
      const token = newToken();
      const expiresAt = new Date(Date.now() + RESET_TTL_MS);
      await db
        .insertInto('password_resets')
        .values({ token_hash: tokenHash(token), user_id: user.id, expires_at: expiresAt })
        .execute();
      await writeAudit(db, actor, { action: 'user.password_reset', entity: 'user', entityId: user.id });
      return reply.status(201).send({ resetToken: token, expiresAt: expiresAt.toISOString() });
    },
  );

  const keyView = (row: {
    id: string;
    name: string;
    scopes: string[];
    created_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
  }) => ({
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revoked: row.revoked_at !== null,
  });
  const keyColumns = ['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'] as const;

  r.get(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Ключи API интеграций',
        response: { 200: z.array(apiKeySchema), ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.usersManage);
      const rows = await db
        .selectFrom('api_keys')
        .select(keyColumns)
        .where('merchant_id', '=', actor.merchantId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(keyView);
    },
  );

  r.post(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Создать ключ API (ключ показывается один раз)',
        body: apiKeyCreateSchema,
        response: { 201: apiKeyCreatedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.usersManage);
      const unknown = request.body.scopes.filter((s) => !(allPermissions as readonly string[]).includes(s));
      if (unknown.length > 0)
        throw badRequest('unknown_scope', `Неизвестные права: ${unknown.join(', ')}`, {
          allowed: allPermissions,
        });
      const secret = newToken(30);
      const row = await db
        .insertInto('api_keys')
        .values({
          merchant_id: actor.merchantId,
          name: request.body.name,
          secret_hash: tokenHash(secret),
          scopes: request.body.scopes,
        })
        .returning(keyColumns)
        .executeTakeFirstOrThrow();
      await writeAudit(db, actor, {
        action: 'api_key.create',
        entity: 'api_key',
        entityId: row.id,
        after: { name: row.name, scopes: row.scopes },
      });
      return reply.status(201).send({ ...keyView(row), key: `lk_${row.id.replaceAll('-', '')}_${secret}` });
    },
  );

  r.delete(
    '/api/v1/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Отозвать ключ API',
        params: idParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.usersManage);
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', request.params.id)
        .where('merchant_id', '=', actor.merchantId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw notFound('Ключ API');
      await writeAudit(db, actor, {
        action: 'api_key.revoke',
        entity: 'api_key',
        entityId: request.params.id,
      });
      return reply.status(204).send(null);
    },
  );
}
