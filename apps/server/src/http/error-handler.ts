// The one error handler: every failure leaves as { code, message, details? }.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { countErrors } from '@loyalty/core/shared/russian-plural';
import { ApiError, ErrorCode } from './api-error.ts';

/** Installs the error and not-found handlers. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply
        .status(error.statusCode)
        .send({ code: error.code, message: error.message, details: error.details ?? null });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        code: v.keyword,
        message: v.message ?? 'Неверное значение',
      }));
      return reply.status(400).send({
        code: ErrorCode.invalidRequest,
        message: `Неверный запрос: ${countErrors(issues.length)}. Исправьте поля, указанные в деталях.`,
        details: { issues },
      });
    }
    // Fastify's own 4xx (bad JSON, body too large, unsupported media type...).
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 429 ? ErrorCode.tooManyRequests : ErrorCode.invalidRequest;
      return reply.status(status).send({
        code,
        message:
          status === 415 ? 'Ожидается тело запроса в формате JSON' : `Неверный запрос: ${error.message}`,
        details: { reason: error.code ?? null },
      });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({
      code: ErrorCode.internal,
      message: `Внутренняя ошибка сервера. Номер запроса: ${request.id}`,
      details: { requestId: request.id },
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      code: ErrorCode.notFound,
      message: `Нет такого адреса: ${request.method} ${request.url.split('?')[0] ?? ''}`,
      details: null,
    }),
  );
}
