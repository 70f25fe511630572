// Header mapping: every accepted name of a kind leads to one field only, spelling does not
// matter, and fixed columns win over questionnaire fields with the same name.
import { describe, expect, it } from 'vitest';
import { importColumns, importKindSchema } from '@loyalty/protocol/api/import-export.schema';
import { headerKey, mapColumns } from './import-columns.ts';

describe('import columns', () => {
  it.each(importKindSchema.options)('gives every header of %s one field', (kind) => {
    const owner = new Map<string, string>();
    for (const column of importColumns[kind])
      for (const name of [column.title, column.field, ...column.aliases]) {
        const key = headerKey(name);
        expect(owner.get(key) ?? column.field, `${kind}: «${name}»`).toBe(column.field);
        owner.set(key, column.field);
      }
  });

  it('matches headers whatever their case, spaces, punctuation and ё', () => {
    const { index, header } = mapColumns('buyers', [
      'ТЕЛЕФОН',
      ' e-mail ',
      'Фамилия:',
      'Дата  рождения',
      'СОГЛАСИЕ НА СМС',
    ]);
    expect([...index.entries()]).toEqual([
      ['phone', 0],
      ['email', 1],
      ['lastName', 2],
      ['birthDate', 3],
      ['smsConsent', 4],
    ]);
    expect(header.get('email')).toBe(' e-mail ');
    expect(headerKey('Ёлка')).toBe(headerKey('елка'));
  });

  it('lets a fixed column win over a questionnaire field of the same name', () => {
    const extra = [{ field: 'answers.phone', title: 'Телефон', names: ['phone', 'Телефон'] }];
    expect(mapColumns('buyers', ['Телефон'], { extra, required: [] }).index.get('phone')).toBe(0);
  });

  it('refuses a file without a column the settings make required, naming it', () => {
    const extra = [{ field: 'answers.size', title: 'Размер', names: ['size', 'Размер'] }];
    expect(() =>
      mapColumns('buyers', ['Телефон'], { extra, required: ['firstName', 'answers.size'] }),
    ).toThrow('нет обязательных колонок «Имя», «Размер»');
  });
});
