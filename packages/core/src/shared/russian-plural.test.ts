import { describe, expect, it } from 'vitest';
import { countErrors, pluralRu } from './russian-plural.ts';

describe('Russian plurals', () => {
  it('chooses one, few and many like a Russian speaker', () => {
    const forms = ['балл', 'балла', 'баллов'] as const;
    expect([0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1002].map((n) => pluralRu(n, forms))).toEqual([
      'баллов',
      'балл',
      'балла',
      'балла',
      'баллов',
      'баллов',
      'баллов',
      'баллов',
      'балл',
      'балла',
      'баллов',
      'балл',
      'баллов',
      'балла',
    ]);
    expect(countErrors(3)).toBe('3 ошибки');
  });
});
