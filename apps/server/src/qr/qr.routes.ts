// Buyer QR certificates (A1): the chatbot or the buyer page asks for one with the phone's key.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { qrCertificateRequestSchema, qrCertificateSchema } from '@loyalty/protocol/api/buyer-qr.schema';
import { errorResponses, idParamsSchema } from '@loyalty/protocol/api/common.schema';
import { authorize } from '#auth/auth.plugin.ts';
import { Permission } from '#auth/permissions.ts';
import { buyerExists } from '#buyers/buyers.repository.ts';
import type { Db } from '#db/database.ts';
import { notFound } from '#http/api-error.ts';
import { issueQrCertificate } from './qr-certificate.service.ts';

/** Registers /buyers/:id/qr-certificate. */
export function qrRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/buyers/:id/qr-certificate',
    {
      schema: {
        tags: ['buyers'],
        summary: 'Выдать сертификат QR-кода для телефона покупателя',
        description:
          'Телефон присылает свой открытый ключ Ed25519 и получает сертификат, подписанный ключом ' +
          'программы. Из сертификата телефон каждые 30 секунд делает QR-код, который касса проверяет без связи.',
        params: idParamsSchema,
        body: qrCertificateRequestSchema,
        response: { 200: qrCertificateSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = authorize(request, Permission.buyersWrite);
      const buyerId = request.params.id;
      if (!(await buyerExists(db, actor.merchantId, buyerId))) throw notFound('Покупатель');
      return issueQrCertificate(db, actor.merchantId, buyerId, request.body.publicKey, new Date());
    },
  );
}
