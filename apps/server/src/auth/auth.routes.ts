// Sign in and out, who am I, password change and reset (C10).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  loginRequestSchema,
  passwordChangeSchema,
  passwordResetRequestSchema,
  passwordResetSchema,
  sessionSchema,
} from '@loyalty/protocol/api/auth.schema';
import { errorResponses } from '@loyalty/protocol/api/common.schema';
import type { Db } from '#db/database.ts';
import { ApiError, ErrorCode, badRequest } from '#http/api-error.ts';
import { actorOf, SESSION_COOKIE } from './auth.plugin.ts';
import {
  createSession,
  deleteOtherSessions,
  deleteSession,
  recentFailures,
  recordAttempt,
} from './auth.repository.ts';
import { logQueuedMail } from './mail-outbox.repository.ts';
import { requestPasswordReset, resetPassword } from './password-reset.service.ts';
import { rolePermissions } from './permissions.ts';
import { hashSecret, newToken, tokenHash, verifySecret } from './secrets.ts';
import { findUser, findUserByEmail, userView } from './user.repository.ts';

const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_EMAIL = 10;
const MAX_FAILURES_PER_ADDRESS = 50;
/** Reset requests per address in WINDOW_MS: the same answer for every e-mail, so no account is revealed. */
const MAX_RESET_REQUESTS_PER_ADDRESS = 20;
/**
 * A reset request answers no sooner than this: a known e-mail costs a few more queries than an
 * unknown one, and the answer's timing must not tell them apart either.
 */
const RESET_ANSWER_FLOOR_MS = 300;
// Verifying against a real hash when the e-mail is unknown keeps timing from revealing accounts.
const decoyHash = hashSecret('decoy-password-for-timing');

/** The merchant part of the session answer. */
async function sessionMerchant(db: Db, merchantId: string) {
  const row = await db
    .selectFrom('merchants')
    .select(['id', 'name', 'time_zone'])
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, timeZone: row.time_zone };
}

/** Registers /auth routes. */
export function authRoutes(
  app: FastifyInstance,
  db: Db,
  options: { secureCookies: boolean; publicUrl?: string | undefined },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: options.secureCookies,
  };

  r.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Вход в кабинет',
        body: loginRequestSchema,
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const keys = [`email:${email.toLowerCase()}`, `ip:${request.ip}`];
      const [byEmail, byAddress] = await Promise.all([
        recentFailures(db, keys[0] ?? '', WINDOW_MS),
        recentFailures(db, keys[1] ?? '', WINDOW_MS),
      ]);
      if (byEmail >= MAX_FAILURES_PER_EMAIL || byAddress >= MAX_FAILURES_PER_ADDRESS)
        throw new ApiError(
          429,
          ErrorCode.tooManyRequests,
          'Слишком много неудачных попыток входа. Подождите 15 минут или восстановите пароль.',
        );
      const user = await findUserByEmail(db, email);
      const valid = await verifySecret(password, user?.password_hash ?? (await decoyHash));
      if (!user || !valid || user.disabled_at !== null) {
        await recordAttempt(db, keys, false);
        throw new ApiError(401, ErrorCode.unauthenticated, 'Неверный e-mail или пароль');
      }
      await recordAttempt(db, keys, true);
      const token = newToken();
      const csrfToken = newToken(24);
      await createSession(db, {
        hash: tokenHash(token),
        userId: user.id,
        merchantId: user.merchant_id,
        csrfToken,
        now: new Date(),
      });
      void reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: 12 * 60 * 60 });
      return {
        user: userView(user),
        merchant: await sessionMerchant(db, user.merchant_id),
        csrfToken,
        permissions: [...rolePermissions[user.role]],
      };
    },
  );

  r.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'Выход', response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.kind === 'user') await deleteSession(db, actor.sessionId);
      void reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Текущий пользователь',
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.kind !== 'user')
        throw badRequest('not_a_user', 'Запрос сделан ключом API, а не пользователем');
      const user = await findUser(db, actor.merchantId, actor.id);
      if (!user) throw new ApiError(401, ErrorCode.unauthenticated, 'Пользователь не найден');
      const session = await db
        .selectFrom('sessions')
        .select('csrf_token')
        .where('id', '=', actor.sessionId)
        .executeTakeFirstOrThrow();
      return {
        user: userView(user),
        merchant: await sessionMerchant(db, actor.merchantId),
        csrfToken: session.csrf_token,
        permissions: [...rolePermissions[user.role]],
      };
    },
  );

  r.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Смена пароля',
        body: passwordChangeSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.kind !== 'user') throw badRequest('not_a_user', 'Пароль меняет пользователь кабинета');
      const user = await findUser(db, actor.merchantId, actor.id);
      if (!user || !(await verifySecret(request.body.currentPassword, user.password_hash)))
        throw badRequest('wrong_password', 'Текущий пароль указан неверно');
      await db
        .updateTable('users')
        .set({ password_hash: await hashSecret(request.body.newPassword), updated_at: new Date() })
        .where('id', '=', user.id)
        .execute();
      await deleteOtherSessions(db, user.id, actor.sessionId);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password-reset-request',
    {
      schema: {
        tags: ['auth'],
        summary: 'Забыли пароль: выслать ссылку восстановления на e-mail (ответ одинаков для любого адреса)',
        body: passwordResetRequestSchema,
        response: { 202: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const key = `reset-ip:${request.ip}`;
      if ((await recentFailures(db, key, WINDOW_MS)) >= MAX_RESET_REQUESTS_PER_ADDRESS)
        throw new ApiError(
          429,
          ErrorCode.tooManyRequests,
          'Слишком много запросов восстановления пароля. Подождите 15 минут.',
        );
      const started = Date.now();
      // Counted as a "failure" of the address: the throttle counts requests, not outcomes.
      await recordAttempt(db, [key], false);
      const queued = await requestPasswordReset(db, request.body.email, options.publicUrl, new Date());
      if (queued) logQueuedMail(request.log, queued.id, queued.mail);
      const wait = started + RESET_ANSWER_FLOOR_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return reply.status(202).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Новый пароль по ссылке восстановления',
        body: passwordResetSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const done = await resetPassword(db, request.body.token, request.body.newPassword, new Date());
      if (!done)
        throw badRequest('reset_token_invalid', 'Ссылка восстановления недействительна или устарела');
      return reply.status(204).send(null);
    },
  );
}
