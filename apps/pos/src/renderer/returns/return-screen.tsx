// Returns (A7): a senior cashier finds the receipt by number or by the QR on the slip (also another
// till's receipt: `return.find` asks the server), chooses lines and quantities, sees the refund in
// money and points from `return.calculate`, then books it with `return.commit`. Keyboard only:
// Enter finds, ↑/↓ move between lines, digits type the quantity, F8 returns everything left,
// F9 books, Esc goes back. Scans (wedge or serial / HID POS) never land in a field.
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  Row,
  Space,
  Table,
  Typography,
  type InputRef,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TerminalStatus } from '#renderer/app/app.tsx';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { useFormatters } from '#renderer/app/use-formatters.ts';
import { parseQuantity, returnReference } from '#renderer/format/formatters.ts';
import type { HandlerAnswer } from '#renderer/rpc/terminal-client.ts';
import { installScanRouting } from '#renderer/scanner/scan-routing.ts';

type Found = Extract<HandlerAnswer<'return.find'>, { ok: true }>['value'];
type Refund = Extract<HandlerAnswer<'return.calculate'>, { ok: true }>['value'];
type Booked = Extract<HandlerAnswer<'return.commit'>, { ok: true }>['value'];

type Props = {
  /** Whether the screen is shown (the sale screen keeps its draft meanwhile). */
  active: boolean;
  cashier: NonNullable<TerminalStatus['cashier']>;
  onBack: () => void;
};

/** The returns screen. */
export function ReturnScreen({ active, cashier, onBack }: Props) {
  const senior = cashier.role === 'senior';
  return active ? (
    <div data-testid="return-screen">
      {senior ? <ReturnDesk cashierName={cashier.name} onBack={onBack} /> : <SeniorGate onBack={onBack} />}
    </div>
  ) : null;
}

/** A plain cashier is on duty: the senior cashier logs in with their code for the return. */
function SeniorGate({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<InputRef>(null);
  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  const login = async (value: string) => {
    if (!value.trim()) return;
    setCode('');
    const answer = await client.send('cashier.login', { code: value.trim() });
    if (!answer.ok) setError(answer.error.message);
    // The app re-reads the status on the cashier event; a senior then sees the return desk.
    else if (answer.value.role !== 'senior') setError(t('returns.notSenior'));
    input.current?.focus();
  };

  return (
    <Card
      title={t('returns.seniorTitle')}
      style={{ maxWidth: 460, margin: '40px auto' }}
      data-testid="senior-gate"
    >
      <Typography.Paragraph>{t('returns.seniorHint')}</Typography.Paragraph>
      {error && (
        <Alert type="error" title={error} style={{ marginBottom: 16 }} data-testid="return-problem" />
      )}
      <Input.Password
        ref={input}
        size="large"
        value={code}
        placeholder={t('returns.seniorCode')}
        aria-label={t('returns.seniorCode')}
        inputMode="numeric"
        autoComplete="off"
        data-testid="senior-code"
        onChange={(e) => setCode(e.target.value)}
        onPressEnter={(e) => void login(e.currentTarget.value)}
      />
      <Button block style={{ marginTop: 16 }} onClick={onBack} tabIndex={-1}>
        {t('returns.back')}
      </Button>
    </Card>
  );
}

/** The quantity typed per line (text as typed) and what it parses to. */
type Typed = Record<number, string>;

function requestLines(
  found: Found,
  typed: Typed,
): { lines: { index: number; quantity: number }[]; bad: number | null } {
  const lines: { index: number; quantity: number }[] = [];
  let bad: number | null = null;
  for (const line of found.receipt.lines) {
    const text = typed[line.index]?.trim() ?? '';
    if (!text) continue;
    const quantity = parseQuantity(text);
    const max = found.remaining[line.index] ?? 0;
    if (quantity === null || quantity > max) bad ??= line.index;
    else if (quantity > 0) lines.push({ index: line.index, quantity });
  }
  return { lines, bad };
}

/** Finding the receipt, choosing the lines, the refund and the booking. */
function ReturnDesk({ cashierName, onBack }: { cashierName: string; onBack: () => void }) {
  const { t } = useTranslation();
  const client = useTerminal();
  const f = useFormatters();
  const [reference, setReference] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [typed, setTyped] = useState<Typed>({});
  const [selected, setSelected] = useState(0);
  const [refund, setRefund] = useState<Refund | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [booked, setBooked] = useState<Booked | null>(null);
  const [busy, setBusy] = useState(false);
  const findRef = useRef<InputRef>(null);
  const qtyRefs = useRef(new Map<number, InputRef | null>());
  const calcSeq = useRef(0);
  // One key per return attempt: a retried F9 after a lost answer books it once.
  const attemptKey = useRef(`ui-ret-${crypto.randomUUID()}`);

  const reset = useCallback(() => {
    setFound(null);
    setTyped({});
    setRefund(null);
    setProblem(null);
    setBooked(null);
    setReference('');
    attemptKey.current = `ui-ret-${crypto.randomUUID()}`;
    setTimeout(() => findRef.current?.focus(), 0);
  }, []);

  useEffect(() => findRef.current?.focus(), []);

  const find = useCallback(
    async (text: string) => {
      const ref = returnReference(text);
      if (!ref) return;
      setBusy(true);
      const answer = await client.send('return.find', ref);
      setBusy(false);
      if (!answer.ok) {
        setProblem(answer.error.message);
        return;
      }
      setProblem(answer.value.remaining.some((q) => q > 0) ? null : t('returns.nothingLeft'));
      setFound(answer.value);
      setBooked(null);
      setTyped({});
      setRefund(null);
      setReference('');
      attemptKey.current = `ui-ret-${crypto.randomUUID()}`;
      setSelected(
        Math.max(
          0,
          answer.value.remaining.findIndex((q) => q > 0),
        ),
      );
    },
    [client, t],
  );

  // A receipt found: the quantity of its first returnable line takes the keys.
  useEffect(() => {
    if (!found) return;
    qtyRefs.current
      .get(
        Math.max(
          0,
          found.remaining.findIndex((q) => q > 0),
        ),
      )
      ?.focus();
  }, [found]);

  // The refund follows every change of the quantities; answers to older requests are dropped.
  const request = found ? requestLines(found, typed) : null;
  const requestKey = JSON.stringify(request);
  useEffect(() => {
    const seq = ++calcSeq.current;
    if (!found || !request || request.lines.length === 0 || request.bad !== null) {
      setRefund(null);
      return;
    }
    void client
      .send('return.calculate', { receiptId: found.receipt.receiptId, lines: request.lines })
      .then((answer) => {
        if (seq !== calcSeq.current) return;
        if (answer.ok) {
          setRefund(answer.value);
          setProblem(null);
        } else {
          setRefund(null);
          setProblem(answer.error.message);
        }
      });
    // requestKey stands for `request`, which is rebuilt on every render.
  }, [client, found, requestKey]);

  const returnAll = useCallback(() => {
    if (!found) return;
    const all: Typed = {};
    for (const line of found.receipt.lines) {
      const left = found.remaining[line.index] ?? 0;
      if (left > 0) all[line.index] = String(left / 1000).replace('.', ',');
    }
    setTyped(all);
  }, [found]);

  const commit = useCallback(async () => {
    if (!found || !refund || !request || request.lines.length === 0 || busy || booked) return;
    setBusy(true);
    const answer = await client.send('return.commit', {
      receiptId: found.receipt.receiptId,
      lines: request.lines,
      idempotencyKey: attemptKey.current,
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    setBooked(answer.value);
    setProblem(null);
    (document.activeElement as HTMLElement | null)?.blur();
    // requestKey stands for `request`.
  }, [client, found, refund, requestKey, busy, booked]);

  const focusLine = useCallback(
    (index: number) => {
      if (!found) return;
      const last = found.receipt.lines.length - 1;
      const next = Math.max(0, Math.min(last, index));
      setSelected(next);
      qtyRefs.current.get(next)?.focus();
    },
    [found],
  );

  const routes = useRef({ onScan: (_: string) => {}, onKeyOutsideField: (_: string) => {} });
  routes.current = { onScan: (code) => void find(code), onKeyOutsideField: () => {} };
  useEffect(() => installScanRouting(client, () => routes.current), [client]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      switch (e.key) {
        case 'Escape':
          e.preventDefault();
          if (found || booked) return reset();
          return onBack();
        case 'F8':
          e.preventDefault();
          return returnAll();
        case 'F9':
          e.preventDefault();
          return void commit();
        case 'ArrowDown':
          if (!found) return;
          e.preventDefault();
          return focusLine(selected + 1);
        case 'ArrowUp':
          if (!found) return;
          e.preventDefault();
          return focusLine(selected - 1);
        default:
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [found, booked, reset, onBack, returnAll, commit, focusLine, selected]);

  const receipt = found?.receipt;
  const badLine = request?.bad ?? null;

  return (
    <Row gutter={16}>
      <Col span={16}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input
            ref={findRef}
            size="large"
            value={reference}
            placeholder={t('returns.find')}
            aria-label={t('returns.find')}
            data-testid="return-find"
            onChange={(e) => setReference(e.target.value)}
            onPressEnter={(e) => void find(e.currentTarget.value)}
          />
          {!found && <Typography.Text type="secondary">{t('returns.findHint')}</Typography.Text>}
          {problem && (
            <Alert
              type="error"
              title={problem}
              closable
              onClose={() => setProblem(null)}
              data-testid="return-problem"
            />
          )}
          {receipt && found && (
            <>
              <Descriptions size="small" column={1} data-testid="return-receipt">
                <Descriptions.Item>
                  <Typography.Text strong>
                    {t('returns.receipt', { number: receipt.number, date: f.time(receipt.createdAt) })}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item>
                  {receipt.store?.name ?? ''} · {t('returns.otherTill', { cashier: receipt.cashier.name })}
                </Descriptions.Item>
                <Descriptions.Item>
                  {receipt.buyer
                    ? t('returns.buyer', {
                        name: receipt.buyer.name ?? receipt.buyer.phone ?? receipt.buyer.id,
                      })
                    : t('returns.noBuyer')}
                </Descriptions.Item>
                {found.returns.length > 0 && (
                  <Descriptions.Item>
                    {t('returns.earlier', { count: found.returns.length })}
                  </Descriptions.Item>
                )}
              </Descriptions>
              <Table
                size="small"
                pagination={false}
                rowKey="index"
                data-testid="return-lines"
                dataSource={receipt.lines.map((line) => ({ ...line }))}
                rowClassName={(row) => (row.index === selected ? 'ant-table-row-selected' : '')}
                columns={[
                  { title: '#', width: 40, render: (_, row) => row.index + 1 },
                  { title: t('returns.product'), dataIndex: 'name' },
                  {
                    title: t('returns.sold'),
                    width: 90,
                    align: 'right',
                    render: (_, row) => f.quantity(row.quantity),
                  },
                  {
                    title: t('returns.paid'),
                    width: 150,
                    align: 'right',
                    render: (_, row) =>
                      row.pointsPaid > 0
                        ? `${f.money(row.paidMoney)} + ${f.points(row.pointsPaid)}`
                        : f.money(row.paidMoney),
                  },
                  {
                    title: t('returns.remaining'),
                    width: 110,
                    align: 'right',
                    render: (_, row) => f.quantity(found.remaining[row.index] ?? 0),
                  },
                  {
                    title: t('returns.quantity'),
                    width: 110,
                    render: (_, row) => (
                      <Input
                        ref={(el) => {
                          qtyRefs.current.set(row.index, el);
                        }}
                        value={typed[row.index] ?? ''}
                        disabled={(found.remaining[row.index] ?? 0) === 0 || !!booked}
                        status={badLine === row.index ? 'error' : undefined}
                        aria-label={`${t('returns.quantity')} ${row.index + 1}`}
                        data-testid={`return-qty-${row.index}`}
                        inputMode="decimal"
                        onFocus={() => setSelected(row.index)}
                        onChange={(e) => setTyped((current) => ({ ...current, [row.index]: e.target.value }))}
                        onPressEnter={() => focusLine(row.index + 1)}
                      />
                    ),
                  },
                ]}
              />
              {badLine !== null && (
                <Typography.Text type="danger" data-testid="return-bad-quantity">
                  {t('returns.badQuantity', {
                    line: badLine + 1,
                    max: f.quantity(found.remaining[badLine] ?? 0),
                  })}
                </Typography.Text>
              )}
            </>
          )}
          <Typography.Text type="secondary">{t('returns.keys')}</Typography.Text>
        </Space>
      </Col>
      <Col span={8}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('returns.seniorOnDuty', { name: cashierName })}</Typography.Text>
          <Card size="small" title={t('returns.refundTitle')} data-testid="refund">
            {refund ? (
              <Space direction="vertical" size={0}>
                <Typography.Text strong style={{ fontSize: 22 }} data-testid="refund-money">
                  {t('returns.refundMoney')}: {f.money(refund.totals.refundMoney)}
                </Typography.Text>
                <Typography.Text data-testid="points-restored">
                  {t('returns.pointsRestored')}: {f.points(refund.totals.pointsRestored)}
                </Typography.Text>
                <Typography.Text data-testid="accrual-reversed">
                  {t('returns.accrualReversed')}:{' '}
                  {f.points(
                    refund.totals.accrualReversed +
                      refund.receiptAccrualsReversed.reduce((sum, a) => sum + a.points, 0),
                  )}
                </Typography.Text>
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('returns.chooseLines')}</Typography.Text>
            )}
            <Space style={{ marginTop: 12, width: '100%' }} direction="vertical">
              <Button block disabled={!found || !!booked} onClick={returnAll} tabIndex={-1}>
                {t('returns.all')}
              </Button>
              <Button
                type="primary"
                size="large"
                block
                danger
                disabled={!refund || !!booked}
                loading={busy}
                onClick={() => void commit()}
                tabIndex={-1}
                data-testid="return-confirm"
              >
                {t('returns.confirm')}
              </Button>
            </Space>
          </Card>
          {booked && (
            <Alert
              type="success"
              data-testid="return-done"
              title={t('returns.done', { number: booked.receiptNumber })}
              description={
                <>
                  <div>
                    {t('returns.doneRefund', { money: f.money(booked.calculation.totals.refundMoney) })}
                  </div>
                  <Button size="small" style={{ marginTop: 8 }} onClick={reset} tabIndex={-1}>
                    {t('returns.next')}
                  </Button>
                </>
              }
            />
          )}
          <Button block onClick={onBack} tabIndex={-1}>
            {t('returns.back')}
          </Button>
        </Space>
      </Col>
    </Row>
  );
}
