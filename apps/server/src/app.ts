// The HTTP application: external plugins, then app plugins (errors, auth), then routes.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { authRoutes } from '#auth/auth.routes.ts';
import { installAuth } from '#auth/auth.plugin.ts';
import { userRoutes } from '#auth/users.routes.ts';
import { buyerRoutes } from '#buyers/buyers.routes.ts';
import { cardRoutes } from '#cards/cards.routes.ts';
import { cashierRoutes } from '#cashiers/cashiers.routes.ts';
import { categoryRoutes } from '#catalogue/categories.routes.ts';
import { productRoutes } from '#catalogue/products.routes.ts';
import type { Db } from '#db/database.ts';
import { serveCabinet } from '#http/cabinet-static.ts';
import { installErrorHandler } from '#http/error-handler.ts';
import { importExportRoutes } from '#import-export/import-export.routes.ts';
import { merchantSettingsRoutes } from '#merchants/merchant-settings.routes.ts';
import { programmeRoutes } from '#programme/programme.routes.ts';
import { promotionRoutes } from '#promotions/promotions.routes.ts';
import { purchaseRoutes } from '#purchases/purchases.routes.ts';
import { qrRoutes } from '#qr/qr.routes.ts';
import { questionnaireRoutes } from '#questionnaire/questionnaire.routes.ts';
import { receiptRoutes } from '#receipts/receipts.routes.ts';
import { reportRoutes } from '#reports/reports.routes.ts';
import { auditRoutes } from '#audit/audit.routes.ts';
import { storeRoutes } from '#stores/stores.routes.ts';
import { syncRoutes } from '#sync/sync.routes.ts';
import { terminalRoutes } from '#terminals/terminals.routes.ts';
import { updatesDirFromEnv } from '#updates/update-feed.config.ts';
import { updateFeedRoutes } from '#updates/update-feed.routes.ts';

// Validation messages reach cashiers and managers: Russian first.
z.config(z.locales.ru());

/** What the application needs from outside. */
export type AppOptions = {
  db: Db;
  logger: FastifyBaseLogger;
  secureCookies?: boolean;
  /** Lets this instance LISTEN for sync pokes (a dedicated connection); without it SSE never pokes. */
  databaseUrl?: string;
  /** The cabinet's build folder (apps/cabinet/dist); served at `/` when it holds a build. */
  cabinetDir?: string;
  /** The cashier workstation's releases for electron-updater (default: UPDATES_DIR or .data/updates). */
  updatesDir?: string;
  /** The cabinet's public address for links in mail (PUBLIC_URL); links are relative without it. */
  publicUrl?: string | undefined;
};

/** Builds the Fastify application; the caller listens or injects. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 10 * 1024 * 1024,
    // Errors Fastify raises before routing (over-long or badly encoded URLs) keep our shape too.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.status(error.statusCode ?? 400).send({
        code: 'invalid_request',
        message: `Неверный адрес запроса: ${error.message}`,
        details: { reason: error.code },
      });
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Loyalty REST API v1',
        version: '1.0.0',
        description:
          'API for integrations (1C, ERP, tills) and the manager cabinet. Errors: { code, message, details }. ' +
          'Authenticate with a cabinet session cookie (plus X-CSRF-Token on writes) or `Authorization: Bearer lk_...`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'sid' },
          terminalToken: { type: 'http', scheme: 'bearer', description: 'tt_... token of a paired terminal' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installErrorHandler(app);
  installAuth(app, options.db);

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Проверка работы',
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async () => {
      await options.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      return { ok: true };
    },
  );
  r.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());

  authRoutes(app, options.db, {
    secureCookies: options.secureCookies ?? false,
    publicUrl: options.publicUrl,
  });
  userRoutes(app, options.db);
  storeRoutes(app, options.db);
  cashierRoutes(app, options.db);
  categoryRoutes(app, options.db);
  productRoutes(app, options.db);
  programmeRoutes(app, options.db);
  promotionRoutes(app, options.db);
  purchaseRoutes(app, options.db);
  buyerRoutes(app, options.db);
  qrRoutes(app, options.db);
  cardRoutes(app, options.db);
  questionnaireRoutes(app, options.db);
  await importExportRoutes(app, options.db);
  terminalRoutes(app, options.db);
  syncRoutes(app, options.db, { databaseUrl: options.databaseUrl });
  receiptRoutes(app, options.db);
  reportRoutes(app, options.db);
  auditRoutes(app, options.db);
  merchantSettingsRoutes(app, options.db);
  updateFeedRoutes(app, { dir: options.updatesDir ?? updatesDirFromEnv() });
  await serveCabinet(app, options.cabinetDir);
  return app;
}
