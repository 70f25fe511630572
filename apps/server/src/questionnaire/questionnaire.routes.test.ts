// D2: the merchant's questionnaire — standard fields on, off or required, own fields of four kinds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

type Field = {
  id: string;
  key: string;
  kind: string;
  options: string[] | null;
  required: boolean;
  position: number;
  enabled: boolean;
};
type Problem = { code: string; details: { issues?: Array<{ path: string }> } | null };

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
});
afterAll(async () => {
  await t.close();
});

const addField = (session: Session, body: object) =>
  session.request('POST', '/api/v1/questionnaire/fields', body);

describe('questionnaire', () => {
  it('starts with every standard field on and optional, and no own fields', async () => {
    const res = await owner.request('GET', '/api/v1/questionnaire');
    expect(res.statusCode).toBe(200);
    const { standardFields, fields } = res.json<{
      standardFields: Record<string, unknown>;
      fields: Field[];
    }>();
    expect(Object.keys(standardFields).sort()).toEqual([
      'birthDate',
      'email',
      'firstName',
      'gender',
      'lastName',
      'middleName',
    ]);
    expect(
      Object.values(standardFields).every((s) => JSON.stringify(s) === '{"enabled":true,"required":false}'),
    ).toBe(true);
    expect(fields).toEqual([]);
  });

  it('switches standard fields, keeping the ones not named, and audits the change', async () => {
    const res = await owner.request('PATCH', '/api/v1/questionnaire/standard-fields', {
      gender: { enabled: false, required: false },
      email: { enabled: true, required: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      gender: { enabled: false, required: false },
      email: { enabled: true, required: true },
      firstName: { enabled: true, required: false },
    });
    const contradictory = await owner.request('PATCH', '/api/v1/questionnaire/standard-fields', {
      lastName: { enabled: false, required: true },
    });
    expect(contradictory.statusCode).toBe(400);
    expect(contradictory.json<Problem>().details?.issues?.map((i) => i.path)).toEqual([
      'body.lastName.required',
    ]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('merchant_id', '=', owner.merchantId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['questionnaire.standard_fields']);
  });

  it('adds fields of each kind in order; lists need options, others refuse them', async () => {
    const kinds = [
      { key: 'pet', label: 'Питомец', kind: 'list', options: ['кошка', 'собака'] },
      { key: 'car', label: 'Автомобиль', kind: 'text' },
      { key: 'children', label: 'Дети', kind: 'number', required: true },
      { key: 'wedding', label: 'Годовщина свадьбы', kind: 'date' },
    ];
    for (const body of kinds) expect((await addField(owner, body)).statusCode).toBe(201);
    const { fields } = (await owner.request('GET', '/api/v1/questionnaire')).json<{ fields: Field[] }>();
    expect(fields.map((f) => [f.key, f.position])).toEqual([
      ['pet', 0],
      ['car', 1],
      ['children', 2],
      ['wedding', 3],
    ]);
    const noOptions = await addField(owner, { key: 'size', label: 'Размер', kind: 'list' });
    expect(noOptions.statusCode).toBe(400);
    expect(noOptions.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.options']);
    const stray = await addField(owner, { key: 'note', label: 'Заметка', kind: 'text', options: ['a'] });
    expect(stray.statusCode).toBe(400);
    const badKey = await addField(owner, { key: 'Bad Key', label: 'x', kind: 'text' });
    expect(badKey.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.key']);
    expect((await addField(owner, { key: 'pet', label: 'Ещё питомец', kind: 'text' })).statusCode).toBe(409);
  });

  it('changes a field but never its key or kind, and keeps a switched-off field optional', async () => {
    const { fields } = (await owner.request('GET', '/api/v1/questionnaire')).json<{ fields: Field[] }>();
    const pet = fields.find((f) => f.key === 'pet');
    const car = fields.find((f) => f.key === 'car');
    const children = fields.find((f) => f.key === 'children');
    const res = await owner.request('PATCH', `/api/v1/questionnaire/fields/${pet?.id}`, {
      options: ['кошка', 'собака', 'попугай'],
      required: true,
    });
    expect(res.json<Field>()).toMatchObject({
      key: 'pet',
      options: ['кошка', 'собака', 'попугай'],
      required: true,
    });
    expect(
      (await owner.request('PATCH', `/api/v1/questionnaire/fields/${car?.id}`, { options: ['x'] }))
        .statusCode,
    ).toBe(400);
    const off = await owner.request('PATCH', `/api/v1/questionnaire/fields/${children?.id}`, {
      enabled: false,
    });
    expect(off.statusCode).toBe(400);
    expect(off.json<Problem>().code).toBe('disabled_required');
    const empty = await owner.request('PATCH', `/api/v1/questionnaire/fields/${car?.id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it("deletes a field together with buyers' answers to it", async () => {
    const buyer = await owner.request('POST', '/api/v1/buyers', {
      phone: '+79170000001',
      email: 'a@b.ru',
      answers: { pet: 'кошка', children: 2, car: 'Лада' },
    });
    expect(buyer.statusCode).toBe(201);
    const { fields } = (await owner.request('GET', '/api/v1/questionnaire')).json<{ fields: Field[] }>();
    const car = fields.find((f) => f.key === 'car');
    expect((await owner.request('DELETE', `/api/v1/questionnaire/fields/${car?.id}`)).statusCode).toBe(204);
    const after = await owner.request('GET', `/api/v1/buyers/${buyer.json<{ id: string }>().id}`);
    expect(after.json<{ answers: object }>().answers).toEqual({ pet: 'кошка', children: 2 });
    expect((await owner.request('DELETE', `/api/v1/questionnaire/fields/${car?.id}`)).statusCode).toBe(404);
  });

  it("needs settings:write to change it, and answers 404 for another merchant's field", async () => {
    const marketer = await t.signIn('marketer', owner.merchantId);
    expect((await marketer.request('GET', '/api/v1/questionnaire')).statusCode).toBe(200);
    expect((await addField(marketer, { key: 'x', label: 'x', kind: 'text' })).statusCode).toBe(403);
    expect(
      (
        await marketer.request('PATCH', '/api/v1/questionnaire/standard-fields', {
          email: { enabled: false, required: false },
        })
      ).statusCode,
    ).toBe(403);

    const other = await t.signIn('owner');
    const foreign = (await addField(other, { key: 'secret', label: 'Чужое', kind: 'text' })).json<Field>();
    expect(
      (await owner.request('PATCH', `/api/v1/questionnaire/fields/${foreign.id}`, { label: 'x' })).statusCode,
    ).toBe(404);
    expect((await owner.request('DELETE', `/api/v1/questionnaire/fields/${foreign.id}`)).statusCode).toBe(
      404,
    );
    // Another merchant's field is not this merchant's questionnaire: answering it is unknown.
    const res = await owner.request('POST', '/api/v1/buyers', {
      phone: '+79170000002',
      email: 'c@d.ru',
      answers: { pet: 'кошка', children: 1, secret: 'x' },
    });
    expect(res.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.answers.secret']);
  });
});
