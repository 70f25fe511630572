// The typed handler map (STYLE rule 5): the only way in to the terminal core. The renderer (via
// the Electron preload), browser mode and third-party tills (over HTTP/WebSocket) all call
// `name -> (args) => Promise<result>`; arguments are validated by each handler.
import { hostname } from 'node:os';
import { z } from 'zod';
import { ok } from '@loyalty/core/shared/result';
import { pairingCodeSchema } from '@loyalty/protocol/sync/pairing.schema';
import {
  buyerIdArgsSchema,
  checkCodeArgsSchema,
  confirmConsentArgsSchema,
  identifyArgsSchema,
  questionnaireArgsSchema,
  registerArgsSchema,
  sendCodeArgsSchema,
  sendPhoneCodeArgsSchema,
  updateArgsSchema,
} from '#core/buyers/buyer.schema.ts';
import { confirmConsent, sendConsentCode } from '#core/buyers/buyer-consent.ts';
import { buyerDetails } from '#core/buyers/buyer-details.ts';
import { sendPhoneCode, updateBuyer } from '#core/buyers/buyer-update.ts';
import { cachedQuestionnaire, formFor, receiptCategories } from '#core/buyers/till-questionnaire.ts';
import { sendPointsCode } from '#core/sale/points-code.ts';
import { checkRegistrationCode, sendRegistrationCode } from '#core/buyers/confirmation-codes.ts';
import { identifyBuyer, registerBuyer } from '#core/buyers/buyer-service.ts';
import { loginCashier } from '#core/cashiers/cashier-login.ts';
import { countCashiers } from '#core/cashiers/cashiers.repository.ts';
import { countBuyers } from '#core/buyers/buyers.repository.ts';
import { countProducts, productsByBarcode, searchProducts } from '#core/catalogue/products.repository.ts';
import {
  commitReturnArgsSchema,
  findReturnArgsSchema,
  returnArgsSchema,
} from '#core/returns/return.schema.ts';
import { calculateReturnAtTill, commitReturn, findForReturn } from '#core/returns/return-service.ts';
import { commitSale } from '#core/sale/sale-commit.ts';
import { printReceipt, printTestPage } from '#core/printing/print-service.ts';
import { calculateAtTill } from '#core/sale/sale-pricing.ts';
import { scanAtTill } from '#core/sale/sale-scan.ts';
import { commitArgsSchema, saleArgsSchema, scanArgsSchema } from '#core/sale/sale.schema.ts';
import { getRulesVersion, getSettings } from '#core/store/cache-settings.repository.ts';
import { getIdentity, setServerUrl } from '#core/store/identity.repository.ts';
import { readLocalSettings, writeLocalSettings } from '#core/store/local-settings.repository.ts';
import { flaggedOps } from '#core/store/outbox.repository.ts';
import { listCursors } from '#core/store/sync-cursors.repository.ts';
import { fail, TerminalError } from '#core/shared/terminal-error.ts';
import { checkDeviceSettings, createDeviceHandlers } from '#core/devices/device-handlers.ts';
import { defineHandler, type Handler } from './define-handler.ts';
import type { TerminalContext } from './terminal-context.ts';

const empty = z.object({}).strict();
const serverUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Адрес сервера — http:// или https:// адрес' })
  .max(500);

/** Builds the handler map over one terminal context. */
export function createHandlers(ctx: TerminalContext) {
  return {
    'terminal.status': defineHandler('состояние терминала', empty, () => {
      const identity = getIdentity(ctx.db);
      const settings = getSettings(ctx.db);
      return ok({
        terminalId: identity.terminalId,
        merchantId: identity.merchantId,
        store: settings?.store ?? null,
        merchant: settings?.merchant ?? null,
        pairing: identity.status,
        pairingMessage: identity.statusMessage,
        serverUrl: identity.serverUrl,
        cashier: ctx.session.current(),
        rulesVersion: getRulesVersion(ctx.db),
        cache: {
          products: countProducts(ctx.db),
          buyers: countBuyers(ctx.db),
          cashiers: countCashiers(ctx.db),
        },
        online: ctx.sync.isOnline(),
        now: ctx.clock.now(),
      });
    }),

    'settings.get': defineHandler('настройки', empty, () => {
      const identity = getIdentity(ctx.db);
      return ok({
        serverUrl: identity.serverUrl,
        deviceName: identity.deviceName ?? hostname(),
        local: readLocalSettings(ctx.db),
        offlineLimits: getSettings(ctx.db)?.offlineLimits ?? null,
      });
    }),

    'settings.set': defineHandler(
      'настройки',
      z.object({
        serverUrl: serverUrlSchema.optional(),
        /** Settings of this workstation (printer, scanner...), JSON by key; null removes a key. */
        local: z.record(z.string().min(1).max(100), z.json()).optional(),
      }),
      async (args) => {
        // Device settings (scanners, printer) are checked first, so a bad one changes nothing.
        const local = args.local ? checkDeviceSettings(args.local) : null;
        if (local && !local.ok) return local;
        if (args.serverUrl !== undefined) setServerUrl(ctx.db, args.serverUrl);
        if (local) writeLocalSettings(ctx.db, local.value);
        if (args.local && 'scanners' in args.local) await ctx.devices.reload();
        return ok({ serverUrl: getIdentity(ctx.db).serverUrl, local: readLocalSettings(ctx.db) });
      },
    ),

    'pairing.pair': defineHandler(
      'подключение',
      z.object({
        code: pairingCodeSchema,
        serverUrl: serverUrlSchema.optional(),
        deviceName: z.string().trim().max(200).optional(),
      }),
      async (args) => {
        const serverUrl = args.serverUrl ?? getIdentity(ctx.db).serverUrl;
        if (!serverUrl)
          return fail(
            TerminalError.invalidInput,
            'Укажите адрес сервера (serverUrl), например https://loyalty.example.ru',
          );
        const paired = await ctx.sync.pair(serverUrl, args.code, args.deviceName ?? hostname());
        if (!paired.ok) return paired;
        return ok({ terminalId: paired.value.terminalId, storeId: paired.value.storeId, serverUrl });
      },
    ),

    'cashier.login': defineHandler(
      'вход кассира',
      z.object({
        code: z.string().trim().min(1, 'Введите код доступа').max(20),
        cashierId: z.string().min(1).max(100).optional(),
      }),
      (args) => loginCashier(ctx, args),
    ),

    'cashier.logout': defineHandler('выход кассира', empty, () => {
      ctx.session.logout();
      ctx.events.emit('cashier', null);
      return ok({ loggedOut: true });
    }),

    'catalogue.search': defineHandler(
      'поиск товара',
      z.object({
        text: z.string().trim().min(1, 'Введите название, артикул или штрихкод').max(100),
        limit: z.int().min(1).max(200).default(50),
      }),
      (args) => ok({ products: searchProducts(ctx.db, args.text, args.limit) }),
    ),

    'catalogue.byBarcode': defineHandler(
      'штрихкод',
      z.object({ barcode: z.string().trim().min(1).max(64) }),
      (args) => {
        const products = productsByBarcode(ctx.db, args.barcode);
        if (products.length === 0)
          return fail(
            TerminalError.productNotFound,
            `Товар со штрихкодом ${args.barcode} не найден в каталоге терминала.`,
          );
        return ok({ products });
      },
    ),

    'buyer.identify': defineHandler('поиск покупателя', identifyArgsSchema, (args) =>
      identifyBuyer(ctx, args),
    ),

    'buyer.register': defineHandler('регистрация покупателя', registerArgsSchema, (args) =>
      registerBuyer(ctx, args),
    ),

    'buyer.sendCode': defineHandler('код регистрации', sendCodeArgsSchema, (args) =>
      sendRegistrationCode(ctx, args.phone),
    ),

    'buyer.checkCode': defineHandler('код регистрации', checkCodeArgsSchema, (args) =>
      checkRegistrationCode(ctx, args.phone, args.code),
    ),

    'buyer.questionnaire': defineHandler('анкета покупателя', questionnaireArgsSchema, (args) =>
      ok({ fields: formFor(cachedQuestionnaire(ctx.db), receiptCategories(ctx.db, args.productIds)) }),
    ),

    'buyer.details': defineHandler('карточка покупателя', buyerIdArgsSchema, (args) =>
      buyerDetails(ctx, args.buyerId),
    ),

    'buyer.update': defineHandler('данные покупателя', updateArgsSchema, (args) => updateBuyer(ctx, args)),

    'buyer.sendPhoneCode': defineHandler('код смены телефона', sendPhoneCodeArgsSchema, (args) =>
      sendPhoneCode(ctx, args.buyerId, args.phone),
    ),

    'buyer.sendConsentCode': defineHandler('код согласия', buyerIdArgsSchema, (args) =>
      sendConsentCode(ctx, args.buyerId),
    ),

    'buyer.confirmConsent': defineHandler('код согласия', confirmConsentArgsSchema, (args) =>
      confirmConsent(ctx, args),
    ),

    'sale.sendPointsCode': defineHandler('код оплаты баллами', buyerIdArgsSchema, (args) =>
      sendPointsCode(ctx, args.buyerId),
    ),

    'sale.calculate': defineHandler('чек', saleArgsSchema, (args) => calculateAtTill(ctx, args)),

    'sale.scan': defineHandler('скан', scanArgsSchema, (args) => scanAtTill(ctx, args)),

    'sale.commit': defineHandler('чек', commitArgsSchema, (args) => commitSale(ctx, args)),

    'receipt.print': defineHandler(
      'печать чека',
      z.object({ receiptId: z.string().min(1).max(100) }),
      (args) => printReceipt(ctx, args.receiptId),
    ),

    'printer.test': defineHandler('проверка принтера', empty, () => printTestPage(ctx)),

    'return.find': defineHandler('поиск чека', findReturnArgsSchema, (args) => findForReturn(ctx, args)),

    'return.calculate': defineHandler('возврат', returnArgsSchema, (args) =>
      calculateReturnAtTill(ctx, args),
    ),

    'return.commit': defineHandler('возврат', commitReturnArgsSchema, (args) => commitReturn(ctx, args)),

    'sync.now': defineHandler('синхронизация', empty, async () => {
      const result = await ctx.sync.syncNow();
      if (!result.ok) return result;
      return ok({ ...result.value, state: ctx.sync.state() });
    }),

    'sync.status': defineHandler('синхронизация', empty, () =>
      ok({ ...ctx.sync.state(), streams: listCursors(ctx.db), flagged: flaggedOps(ctx.db, 20) }),
    ),

    ...createDeviceHandlers(ctx),
  } satisfies Record<string, Handler<never, unknown>>;
}

/** The handler map's type: name -> (args) => Promise<result>. The renderer imports only this type. */
export type TerminalHandlers = ReturnType<typeof createHandlers>;
/** A handler name. */
export type HandlerName = keyof TerminalHandlers;
/** Arguments of a handler. */
export type HandlerArgs<N extends HandlerName> = Parameters<TerminalHandlers[N]>[0];
/** The value a handler answers with when it succeeds. */
export type HandlerValue<N extends HandlerName> =
  Awaited<ReturnType<TerminalHandlers[N]>> extends infer R
    ? R extends { ok: true; value: infer V }
      ? V
      : never
    : never;
