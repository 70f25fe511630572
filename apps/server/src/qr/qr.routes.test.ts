// A1 on the server: certificates for buyers' phones, per-merchant keys created on first use and
// stored encrypted, and the whole path to a QR that a terminal accepts offline.
import { randomUUID } from 'node:crypto';
import { decodeBase64Url } from '@loyalty/core/qr/base64url';
import { verifyQrToken, type QrVerifyOptions } from '@loyalty/core/qr/qr-verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateOverHttp,
  createBuyerWallet,
  type CertificateRequester,
} from '../../test/buyer-wallet.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { generateEd25519, verifyEd25519 } from './ed25519.ts';
import { decryptQrPrivateKey } from './qr-key-encryption.ts';
import { qrPublicKeyFor } from './qr-keys.service.ts';

type Certificate = { certificate: string; serverSignature: string; expiresAt: string; windowSeconds: number };

let t: TestApp;
let owner: Session;
let buyerId: string;
let phoneCounter = 0;

async function createBuyer(session: Session): Promise<string> {
  const res = await session.request('POST', '/api/v1/buyers', {
    phone: `+7 901 ${1_000_000 + ++phoneCounter}`,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json<{ id: string }>().id;
}

const viaSession =
  (session: Session, id: string): CertificateRequester =>
  async (publicKey) => {
    const res = await session.request('POST', `/api/v1/buyers/${id}/qr-certificate`, { publicKey });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json<Certificate>();
  };

async function terminalOptions(merchantId: string, now: number): Promise<QrVerifyOptions> {
  // What a terminal holds after sync: the key from the `settings` stream, as base64url.
  const serverPublicKey = decodeBase64Url(await qrPublicKeyFor(t.db, merchantId));
  if (!serverPublicKey) throw new Error('qrPublicKey is not base64url');
  return { now, merchantId, serverPublicKey, verify: verifyEd25519, seen: () => false };
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  buyerId = await createBuyer(owner);
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/buyers/:id/qr-certificate', () => {
  it('certifies the phone key, and the phone QR passes the offline check at a terminal', async () => {
    const wallet = createBuyerWallet();
    const before = Date.now();
    const answer = await wallet.enroll(viaSession(owner, buyerId));
    expect(answer.windowSeconds).toBe(30);
    const expiresIn = Date.parse(answer.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(30 * 86_400_000 - 2_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 86_400_000);

    const now = Date.now();
    const result = verifyQrToken(wallet.qrAt(now), await terminalOptions(owner.merchantId, now));
    expect(result.ok ? result.value.buyerId : result.error).toBe(buyerId);
    // A code from five minutes ago is refused with the reason.
    const stale = verifyQrToken(wallet.qrAt(now - 300_000), await terminalOptions(owner.merchantId, now));
    expect(stale.ok ? 'ok' : stale.error.code).toBe('stale_window');
  });

  it('answers 404 for another merchant’s buyer and for an unknown one, and 403 without buyer edits', async () => {
    const other = await t.signIn('owner');
    const otherBuyer = await createBuyer(other);
    const publicKey = createBuyerWallet().publicKey;
    const foreign = await owner.request('POST', `/api/v1/buyers/${otherBuyer}/qr-certificate`, { publicKey });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json<{ code: string }>().code).toBe('not_found');
    const unknown = await owner.request('POST', `/api/v1/buyers/${randomUUID()}/qr-certificate`, {
      publicKey,
    });
    expect(unknown.statusCode).toBe(404);

    const analyst = await t.signIn('analyst', owner.merchantId);
    const refused = await analyst.request('POST', `/api/v1/buyers/${buyerId}/qr-certificate`, { publicKey });
    expect(refused.statusCode).toBe(403);
    const marketer = await t.signIn('marketer', owner.merchantId);
    expect(
      (await marketer.request('POST', `/api/v1/buyers/${buyerId}/qr-certificate`, { publicKey })).statusCode,
    ).toBe(200);
  });

  it('refuses an erased buyer', async () => {
    const erased = await createBuyer(owner);
    await t.db
      .updateTable('buyers')
      .set({ erased_at: new Date(), phone: null })
      .where('id', '=', erased)
      .execute();
    const res = await owner.request('POST', `/api/v1/buyers/${erased}/qr-certificate`, {
      publicKey: createBuyerWallet().publicKey,
    });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a key that is not 32 bytes of base64url, in Russian', async () => {
    for (const publicKey of [
      '',
      'abc',
      `${createBuyerWallet().publicKey}A`,
      Buffer.alloc(32).toString('base64'),
    ]) {
      const res = await owner.request('POST', `/api/v1/buyers/${buyerId}/qr-certificate`, { publicKey });
      expect(res.statusCode, publicKey).toBe(400);
      const { details } = res.json<{ details: { issues: Array<{ path: string; message: string }> } }>();
      expect(details.issues[0]).toMatchObject({
        path: 'body.publicKey',
        message: expect.stringMatching(/Ed25519/) as string,
      });
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(doc.paths['/api/v1/buyers/{id}/qr-certificate']).toBeDefined();
  });
});

describe('the buyer wallet over real HTTP', () => {
  it('enrolls with an API key the way the chatbot will, and its QR identifies the buyer', async () => {
    const created = await owner.request('POST', '/api/v1/api-keys', {
      name: 'Чат-бот',
      scopes: ['buyers:write'],
    });
    expect(created.statusCode).toBe(201);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const wallet = createBuyerWallet();
    await wallet.enroll(certificateOverHttp(address, created.json<{ key: string }>().key, buyerId));
    const now = Date.now();
    const result = verifyQrToken(wallet.qrAt(now), await terminalOptions(owner.merchantId, now));
    expect(result.ok && result.value.buyerId).toBe(buyerId);
    await expect(certificateOverHttp(address, 'lk_bad', buyerId)(wallet.publicKey)).rejects.toThrow(/401/);
  });
});

describe('merchant QR keys', () => {
  it('are created once on first use, even by racing first uses', async () => {
    const merchantId = await t.createMerchant('Гонка');
    const keys = await Promise.all(Array.from({ length: 6 }, () => qrPublicKeyFor(t.db, merchantId)));
    expect(new Set(keys).size).toBe(1);
    expect(decodeBase64Url(keys[0]!)?.length).toBe(32);
    const rows = await t.db.selectFrom('qr_keys').selectAll().where('merchant_id', '=', merchantId).execute();
    expect(rows).toHaveLength(1);
    expect(await qrPublicKeyFor(t.db, merchantId)).toBe(keys[0]);
  });

  it('differ per merchant: one merchant’s terminal refuses another merchant’s QR', async () => {
    const wallet = createBuyerWallet();
    await wallet.enroll(viaSession(owner, buyerId));
    const elsewhere = await t.createMerchant('Другая сеть');
    const now = Date.now();
    const result = verifyQrToken(wallet.qrAt(now), await terminalOptions(elsewhere, now));
    expect(result.ok ? 'ok' : result.error.code).toBe('wrong_merchant');
    // Even when a terminal is told the right merchant id, the other merchant's key does not sign it.
    const options = await terminalOptions(elsewhere, now);
    const forged = verifyQrToken(wallet.qrAt(now), { ...options, merchantId: owner.merchantId });
    expect(forged.ok ? 'ok' : forged.error.code).toBe('bad_server_signature');
  });

  it('keep the private key encrypted, bound to its merchant and to SERVER_SECRET', async () => {
    const row = await t.db
      .selectFrom('qr_keys')
      .selectAll()
      .where('merchant_id', '=', owner.merchantId)
      .executeTakeFirstOrThrow();
    const der = decryptQrPrivateKey(row.private_key_encrypted, owner.merchantId);
    expect(row.private_key_encrypted.includes(der.subarray(-32))).toBe(false);
    expect(() => decryptQrPrivateKey(row.private_key_encrypted, randomUUID())).toThrow();
    expect(() =>
      decryptQrPrivateKey(row.private_key_encrypted, owner.merchantId, 'another secret'),
    ).toThrow();
    // The answer carries only the certificate and the signature.
    const res = await owner.request('POST', `/api/v1/buyers/${buyerId}/qr-certificate`, {
      publicKey: generateEd25519().publicKey.toString('base64url'),
    });
    expect(Object.keys(res.json<object>()).sort()).toEqual([
      'certificate',
      'expiresAt',
      'serverSignature',
      'windowSeconds',
    ]);
    expect(res.body).not.toContain(der.subarray(-32).toString('base64url'));
  });
});
