// Terminals in the cabinet (B1): create with a one-time pairing code, list and read with their
// sync state, rename, issue a new code, revoke; and the dead letters of their pushes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import {
  deadLetterListQuerySchema,
  deadLetterPageSchema,
  offlineExposureSchema,
  terminalCreateSchema,
  terminalListQuerySchema,
  terminalPageSchema,
  terminalSchema,
  terminalUpdateSchema,
  terminalWithPairingCodeSchema,
} from '@loyalty/protocol/sync/terminals.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import type { Db } from '#db/database.ts';
import { pageOf } from '#db/list-query.ts';
import { notFound } from '#http/api-error.ts';
import { offlineExposure } from './offline-exposure.ts';
import { findTerminal, listDeadLetters, listTerminals, terminalView } from './terminals.repository.ts';
import { createTerminal, issuePairingCode, renameTerminal, revokeTerminal } from './terminals.service.ts';

/** Registers /terminals routes. */
export function terminalRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['terminals'];

  r.get(
    '/api/v1/terminals',
    {
      schema: {
        tags,
        summary: 'Терминалы: последняя синхронизация, очередь, ошибки, чеки сверх баланса',
        querystring: terminalListQuerySchema,
        response: { 200: terminalPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.terminalsRead);
      const { rows, total } = await listTerminals(db, actor.merchantId, request.query);
      const now = new Date();
      return pageOf(
        rows.map((row) => terminalView(row, now)),
        total,
        request.query,
      );
    },
  );

  r.get(
    '/api/v1/terminals/dead-letters',
    {
      schema: {
        tags,
        summary: 'Операции терминалов, которые не удалось применить',
        querystring: deadLetterListQuerySchema,
        response: { 200: deadLetterPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.terminalsRead);
      const { rows, total } = await listDeadLetters(db, actor.merchantId, request.query);
      return pageOf(rows, total, request.query);
    },
  );

  r.get(
    '/api/v1/terminals/offline-exposure',
    {
      schema: {
        tags,
        summary: 'Худший случай списания сверх баланса офлайн и долг, оставшийся после офлайн-чеков',
        response: { 200: offlineExposureSchema, ...errorResponses },
      },
    },
    async (request) => offlineExposure(db, authorize(request, Permission.terminalsRead).merchantId),
  );

  r.get(
    '/api/v1/terminals/:id',
    {
      schema: {
        tags,
        summary: 'Терминал',
        params: idParamsSchema,
        response: { 200: terminalSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.terminalsRead);
      const row = await findTerminal(db, actor.merchantId, request.params.id);
      if (!row) throw notFound('Терминал');
      return terminalView(row);
    },
  );

  r.post(
    '/api/v1/terminals',
    {
      schema: {
        tags,
        summary: 'Добавить терминал (код подключения показывается один раз)',
        body: terminalCreateSchema,
        response: { 201: terminalWithPairingCodeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, Permission.terminalsManage);
      return reply.status(201).send(await createTerminal(db, actor, request.body));
    },
  );

  r.patch(
    '/api/v1/terminals/:id',
    {
      schema: {
        tags,
        summary: 'Переименовать терминал',
        params: idParamsSchema,
        body: terminalUpdateSchema,
        response: { 200: terminalSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.terminalsManage);
      const row = await findTerminal(db, actor.merchantId, request.params.id);
      if (!row) throw notFound('Терминал');
      return renameTerminal(db, actor, request.params.id, request.body.name ?? row.name);
    },
  );

  r.post(
    '/api/v1/terminals/:id/pairing-code',
    {
      schema: {
        tags,
        summary: 'Новый код подключения (прежний перестаёт действовать)',
        params: idParamsSchema,
        response: { 200: terminalWithPairingCodeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.terminalsManage);
      return issuePairingCode(db, actor, request.params.id);
    },
  );

  r.post(
    '/api/v1/terminals/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Отключить терминал',
        params: idParamsSchema,
        response: { 200: terminalSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.terminalsManage);
      return revokeTerminal(db, actor, request.params.id);
    },
  );
}
