import { describe, expect, it } from 'vitest';
import { kopecks, points } from '#money/money.ts';
import { calculateReturn } from './return-calculation.ts';
import type { ReturnIssue } from './return-problems.ts';
import { formatQuantity } from './return-problems.ts';
import type { ReturnBasis, ReturnRequest } from './return.types.ts';

const receipt: ReturnBasis = {
  lines: [
    {
      quantity: 1000,
      amount: kopecks(23400),
      pointsPaid: points(4166),
      paidMoney: kopecks(19234),
      accrual: points(400),
    },
    {
      quantity: 3000,
      amount: kopecks(46800),
      pointsPaid: points(8334),
      paidMoney: kopecks(38466),
      accrual: points(800),
    },
  ],
  receiptAccruals: [{ key: 'gift:promo1', points: points(1000) }],
};

/** The issues of a refused return; fails the test when the return went through. */
function issuesOf(
  basis: ReturnBasis,
  previous: readonly ReturnRequest[],
  request: ReturnRequest,
): ReturnIssue[] {
  const result = calculateReturn(basis, previous, request);
  if (result.ok) throw new Error('expected the return to be refused');
  expect(result.error.code).toBe('invalid_return');
  expect(result.error.message.startsWith('Возврат не оформлен.')).toBe(true);
  return [...result.error.details.issues];
}

// Inputs arrive over IPC and HTTP; these casts stand in for what the types cannot stop there.
const unchecked = <T>(value: unknown): T => value as T;

describe('calculateReturn refuses with every problem listed', () => {
  it('empty_return: no lines chosen', () => {
    expect(issuesOf(receipt, [], { lines: [] })).toEqual([
      {
        path: 'request.lines',
        code: 'empty_return',
        message:
          'Не выбрано ни одной строки для возврата: отметьте возвращаемые товары и укажите количество.',
      },
    ]);
  });

  it('unknown_line: an index past the receipt', () => {
    expect(issuesOf(receipt, [], { lines: [{ index: 5, quantity: 1000 }] })).toEqual([
      {
        path: 'request.lines[0].index',
        code: 'unknown_line',
        message: 'Строка возврата 1: в чеке нет строки 6 (всего строк 2), выберите строку из чека.',
        details: { index: 5, lineCount: 2 },
      },
    ]);
  });

  it('duplicate_line: one receipt line asked for twice', () => {
    const issues = issuesOf(receipt, [], {
      lines: [
        { index: 1, quantity: 1000 },
        { index: 0, quantity: 1000 },
        { index: 1, quantity: 1000 },
      ],
    });
    expect(issues).toEqual([
      {
        path: 'request.lines[2].index',
        code: 'duplicate_line',
        message:
          'Строка чека 2 указана в возврате дважды (строки возврата 1 и 3): оставьте одну строку с общим количеством.',
        details: { index: 1, firstPosition: 0 },
      },
    ]);
  });

  it('quantity_exceeds_remaining: more than is left after earlier returns, with the remaining quantity', () => {
    const issues = issuesOf(receipt, [{ lines: [{ index: 1, quantity: 2000 }] }], {
      lines: [{ index: 1, quantity: 1500 }],
    });
    expect(issues).toEqual([
      {
        path: 'request.lines[0].quantity',
        code: 'quantity_exceeds_remaining',
        message: 'Строка чека 2: можно вернуть не больше 1, указано 1,5; уменьшите количество.',
        details: { index: 1, requested: 1500, remaining: 1000 },
      },
    ]);
  });

  it('quantity_exceeds_remaining: a line already returned in full', () => {
    const issues = issuesOf(receipt, [{ lines: [{ index: 0, quantity: 1000 }] }], {
      lines: [{ index: 0, quantity: 1 }],
    });
    expect(issues).toMatchObject([
      {
        code: 'quantity_exceeds_remaining',
        message: 'Строка чека 1 уже возвращена полностью: уберите её из возврата.',
        details: { remaining: 0 },
      },
    ]);
  });

  it('not_integer: fractions of a thousandth and fractional indexes', () => {
    const issues = issuesOf(receipt, [], { lines: [{ index: 0.5, quantity: 1.5 }] });
    expect(issues).toEqual([
      {
        path: 'request.lines[0].index',
        code: 'not_integer',
        message: 'Строка возврата 1, номер строки чека: нужно целое число.',
      },
      {
        path: 'request.lines[0].quantity',
        code: 'not_integer',
        message: 'Строка возврата 1, количество: не больше трёх знаков после запятой.',
      },
    ]);
  });

  it('out_of_range: zero quantity and negative index', () => {
    const issues = issuesOf(receipt, [], { lines: [{ index: -1, quantity: 0 }] });
    expect(issues).toEqual([
      {
        path: 'request.lines[0].index',
        code: 'out_of_range',
        message: 'Строка возврата 1, номер строки чека: не может быть отрицательным.',
      },
      {
        path: 'request.lines[0].quantity',
        code: 'out_of_range',
        message: 'Строка возврата 1, количество: должно быть больше нуля.',
      },
    ]);
  });

  it('invalid_value: missing and mistyped fields', () => {
    const issues = issuesOf(
      receipt,
      [],
      unchecked({ lines: [{ index: 0 }, { index: '1', quantity: 1000 }] }),
    );
    expect(issues).toEqual([
      {
        path: 'request.lines[0].quantity',
        code: 'invalid_value',
        message: 'Строка возврата 1, количество: не заполнено.',
      },
      {
        path: 'request.lines[1].index',
        code: 'invalid_value',
        message: 'Строка возврата 2, номер строки чека: ожидается число.',
      },
    ]);
    expect(issuesOf(receipt, [], unchecked(null))).toMatchObject([
      { path: 'request', code: 'invalid_value' },
    ]);
  });

  it('basis_inconsistent: a line whose amount is not points plus money', () => {
    const broken: ReturnBasis = {
      ...receipt,
      lines: [receipt.lines[0]!, { ...receipt.lines[1]!, paidMoney: kopecks(38465) }],
    };
    expect(issuesOf(broken, [], { lines: [{ index: 0, quantity: 1000 }] })).toEqual([
      {
        path: 'basis.lines[1]',
        code: 'basis_inconsistent',
        message:
          'Данные чека повреждены: в строке 2 сумма 468.00 не равна оплате баллами 83.34 плюс оплате деньгами 384.65, обратитесь к администратору.',
        details: { line: 1, amount: 46800, pointsPaid: 8334, paidMoney: 38465 },
      },
    ]);
  });

  it('basis_inconsistent: one receipt accrual key twice', () => {
    const twice: ReturnBasis = {
      ...receipt,
      receiptAccruals: [...receipt.receiptAccruals, { key: 'gift:promo1', points: points(5) }],
    };
    expect(issuesOf(twice, [], { lines: [{ index: 0, quantity: 1000 }] })).toMatchObject([
      {
        path: 'basis.receiptAccruals[1].key',
        code: 'basis_inconsistent',
        details: { key: 'gift:promo1', firstAt: 0 },
      },
    ]);
  });

  it('reports broken basis fields in words for the administrator', () => {
    const negative = unchecked<ReturnBasis>({ ...receipt, lines: [{ ...receipt.lines[0], accrual: -1 }] });
    expect(issuesOf(negative, [], { lines: [{ index: 0, quantity: 1000 }] })).toEqual([
      {
        path: 'basis.lines[0].accrual',
        code: 'out_of_range',
        message:
          'Данные чека повреждены (строка чека 1, начислено баллов: не может быть отрицательным), обратитесь к администратору.',
      },
    ]);
  });

  it('previous_returns_inconsistent: an earlier return of a line the receipt lacks, or of more than was sold', () => {
    const issues = issuesOf(
      receipt,
      [
        { lines: [{ index: 7, quantity: 1000 }] },
        { lines: [{ index: 0, quantity: 600 }] },
        { lines: [{ index: 0, quantity: 600 }] },
      ],
      { lines: [{ index: 1, quantity: 1000 }] },
    );
    expect(issues).toEqual([
      {
        path: 'previousReturns[0].lines[0].index',
        code: 'previous_returns_inconsistent',
        message:
          'История возвратов по чеку повреждена: возврат 1 указывает строку 8, которой нет в чеке, обратитесь к администратору.',
        details: { index: 7, lineCount: 2 },
      },
      {
        path: 'previousReturns',
        code: 'previous_returns_inconsistent',
        message:
          'История возвратов по чеку повреждена: по строке 1 возвращено 1,2 при проданных 1, обратитесь к администратору.',
        details: { index: 0, returned: 1200, sold: 1000 },
      },
    ]);
  });

  it('sums a line listed twice in an earlier return instead of refusing every later return', () => {
    const previous = [
      {
        lines: [
          { index: 1, quantity: 1000 },
          { index: 1, quantity: 1000 },
        ],
      },
    ];
    const result = calculateReturn(receipt, previous, { lines: [{ index: 1, quantity: 1000 }] });
    expect(result.ok && result.value.lines[0]?.refundMoney).toBe(38466 - 25644);
  });

  it('collects every problem of a request, not just the first', () => {
    const issues = issuesOf(receipt, [{ lines: [{ index: 0, quantity: 1000 }] }], {
      lines: [
        { index: 0, quantity: 1 },
        { index: 9, quantity: 1000 },
        { index: 1, quantity: 0 },
        { index: 1, quantity: 3001 },
        { index: 1, quantity: 2.5 },
      ],
    });
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['request.lines[2].quantity', 'out_of_range'],
      ['request.lines[4].quantity', 'not_integer'],
      ['request.lines[0].quantity', 'quantity_exceeds_remaining'],
      ['request.lines[1].index', 'unknown_line'],
      ['request.lines[3].quantity', 'quantity_exceeds_remaining'],
    ]);
  });

  it('collects problems of the receipt and of the request together', () => {
    const broken: ReturnBasis = { ...receipt, lines: [{ ...receipt.lines[0]!, amount: kopecks(1) }] };
    const issues = issuesOf(broken, [], {
      lines: [
        { index: 3, quantity: 1000 },
        { index: 3, quantity: 1000 },
      ],
    });
    expect(issues.map((issue) => issue.code)).toEqual([
      'basis_inconsistent',
      'unknown_line',
      'duplicate_line',
    ]);
  });

  it('joins every issue message into the one message for the cashier', () => {
    const result = calculateReturn(receipt, [], {
      lines: [
        { index: 5, quantity: 1000 },
        { index: 0, quantity: 0 },
      ],
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        message:
          'Возврат не оформлен. Строка возврата 2, количество: должно быть больше нуля. ' +
          'Строка возврата 1: в чеке нет строки 6 (всего строк 2), выберите строку из чека.',
      },
    });
  });
});

describe('formatQuantity', () => {
  it('writes thousandths with a decimal comma and no trailing zeros', () => {
    expect([2000, 1500, 250, 1, 0, 1_234_567].map(formatQuantity)).toEqual([
      '2',
      '1,5',
      '0,25',
      '0,001',
      '0',
      '1234,567',
    ]);
  });
});
