// CSV detection: the encoding from the bytes (UTF-8 with or without BOM, else Windows-1251) and
// the separator from the header line, quotes respected.
import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, readCsv } from './csv-file.ts';
import { windows1251 } from './upload.test-helper.ts';

describe('decodeCsv', () => {
  it('reads UTF-8 with and without a BOM, and Windows-1251 otherwise', () => {
    expect(decodeCsv(Buffer.from('\uFEFFФамилия;Ёж', 'utf8'))).toBe('Фамилия;Ёж');
    expect(decodeCsv(Buffer.from('Фамилия;Ёж', 'utf8'))).toBe('Фамилия;Ёж');
    expect(decodeCsv(windows1251('Фамилия;Ёж'))).toBe('Фамилия;Ёж');
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['Телефон;Фамилия;Имя\n1,2;3', ';'],
    ['Телефон,Фамилия\n1;2', ','],
    ['"Фамилия, имя";Телефон\n', ';'],
    ['a\tb\tc', '\t'],
    ['Телефон\n+79120000000', ','],
  ])('finds the separator of %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});

describe('readCsv', () => {
  it('keeps quoted separators and line breaks inside a cell, and blank lines as rows', () => {
    expect(readCsv(Buffer.from('a;b\n"x;y";"1\n2"\n\nz;w\n'))).toEqual([
      ['a', 'b'],
      ['x;y', '1\n2'],
      [''],
      ['z', 'w'],
    ]);
  });
});
