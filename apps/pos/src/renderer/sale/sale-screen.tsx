// The sale screen (A1-A6): identify the buyer, build the receipt, see the live calculation, pay
// with points, commit, then print. Every action has a key; scans arrive through the wedge router
// and never through the focused field.
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Col,
  Input,
  Row,
  Space,
  Statistic,
  Typography,
  type InputRef,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { useFormatters } from '#renderer/app/use-formatters.ts';
import { maskPhoneInput, parseRoubles, phoneComplete } from '#renderer/format/formatters.ts';
import { WebcamQrPanel } from '#renderer/scanner/webcam-qr-panel.tsx';
import { installScanRouting } from '#renderer/scanner/scan-routing.ts';
import { BuyerPanel } from './buyer-panel.tsx';
import { CouponsCard } from './coupons-card.tsx';
import { PointsCodeField } from './points-code-field.tsx';
import { ReceiptTable } from './receipt-table.tsx';
import { RegisterDialog } from './register-dialog.tsx';
import { addToLines } from './draft-lines.ts';
import type { Buyer, Committed, DraftLine, Priced, Product } from './sale-types.ts';

const FREE_AMOUNT_ID = 'free-amount';
const NO_PRODUCTS: readonly string[] = [];
const PIECE = 1000;
let lineCounter = 0;

/** The `sale.calculate` arguments for a receipt (the same object shape gives the same JSON key). */
const calcArgs = (
  lines: readonly Pick<DraftLine, 'productId' | 'quantity' | 'price'>[],
  buyer: Buyer | null,
  pointsToPay: number,
  coupons: readonly string[],
) => ({
  buyerId: buyer?.buyerId ?? null,
  identifiedBy: buyer?.identifiedBy ?? null,
  lines: lines.map((l) => ({
    productId: l.productId,
    quantity: l.quantity,
    ...(l.price === undefined ? {} : { price: l.price }),
  })),
  pointsToPay,
  coupons: [...coupons],
});

const editableFocused = () => {
  const el = document.activeElement;
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
};

/** The sale screen; while `active` is false (the returns screen is up) it keeps its draft but
 * takes no keys and no scans. F7 opens returns, F10 the device settings. */
export function SaleScreen({
  active = true,
  onReturns,
  onSettings,
}: {
  active?: boolean;
  onReturns?: () => void;
  onSettings?: () => void;
}) {
  const { t } = useTranslation();
  const client = useTerminal();
  const f = useFormatters();
  const [buyer, setBuyer] = useState<Buyer | null>(null);
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [selected, setSelected] = useState(-1);
  const [pointsToPay, setPointsToPay] = useState(0);
  const [pointsText, setPointsText] = useState('');
  const [priced, setPriced] = useState<Priced | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [committed, setCommitted] = useState<Committed | null>(null);
  const [printNote, setPrintNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [phone, setPhone] = useState('');
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Product[]>([]);
  const [freeAmount, setFreeAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [registering, setRegistering] = useState(false);
  const [pointsCode, setPointsCode] = useState('');
  const [webcam, setWebcam] = useState(false);
  // Coupon codes as entered (normalised); the calculation says which were accepted or refused.
  const [coupons, setCoupons] = useState<string[]>([]);
  const phoneRef = useRef<InputRef>(null);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const freeRef = useRef<InputRef>(null);
  const pointsRef = useRef<InputRef>(null);
  const calcSeq = useRef(0);
  // The arguments (as JSON) of the calculation whose answer is on screen or on its way.
  const pricedKey = useRef('');
  // The receipt as last rendered: a scan prices the next receipt before React has its new line.
  const latest = useRef({ lines, buyer, pointsToPay, coupons, committed });
  useEffect(() => {
    latest.current = { lines, buyer, pointsToPay, coupons, committed };
  });

  const newSale = useCallback(() => {
    setBuyer(null);
    setLines([]);
    setSelected(-1);
    setPointsToPay(0);
    setPointsText('');
    setPointsCode('');
    setCoupons([]);
    setPriced(null);
    setProblem(null);
    setCommitted(null);
    setPrintNote(null);
    setPhone('');
  }, []);

  const addLine = useCallback(
    (line: Omit<DraftLine, 'key'>) => {
      if (committed) newSale();
      setLines((current) => {
        const added = addToLines(current, line, () => `l${++lineCounter}`);
        setSelected(added.index);
        return added.lines;
      });
    },
    [committed, newSale],
  );

  // Live calculation: every change re-prices the receipt; answers to older requests are dropped.
  useEffect(() => {
    if (lines.length === 0) {
      pricedKey.current = '';
      setPriced(null);
      return;
    }
    const args = calcArgs(lines, buyer, pointsToPay, coupons);
    const key = JSON.stringify(args);
    // A scan already priced exactly these lines (onScan): no second round trip.
    if (key === pricedKey.current) return;
    pricedKey.current = key;
    const seq = ++calcSeq.current;
    void client.send('sale.calculate', args).then((answer) => {
      if (seq !== calcSeq.current) return;
      if (answer.ok) {
        setPriced(answer.value);
        setProblem(null);
      } else setProblem(answer.error.message);
    });
  }, [client, lines, buyer, pointsToPay, coupons]);

  // Scan to total in one round trip to the core (issue 5, <= 50 ms), repeat scans included: the
  // core tells a product from a card or a buyer QR, adds a product to the receipt sent with the
  // code as this screen would (the line is checked below) and prices the result. The answer's
  // calculation is shown only if the receipt did not change meanwhile; otherwise the live
  // calculation prices the lines as usual.
  const onScan = useCallback(
    async (code: string) => {
      const before = latest.current;
      const startSeq = calcSeq.current;
      // After a booked receipt a scan starts the next one: no buyer, no lines, no points.
      const base = before.committed ? { lines: [], buyer: null, pointsToPay: 0, coupons: [] } : before;
      const answer = await client.send('sale.scan', {
        code,
        ...calcArgs(base.lines, base.buyer, base.pointsToPay, base.coupons),
      });
      setNotice(t('sale.scanned', { code }));
      if (!answer.ok)
        return setProblem(
          answer.error.code === 'scan_unknown' ? t('sale.unknownScan', { code }) : answer.error.message,
        );
      const now = latest.current;
      const unchanged =
        calcSeq.current === startSeq &&
        now.lines === before.lines &&
        now.buyer === before.buyer &&
        now.pointsToPay === before.pointsToPay &&
        now.coupons === before.coupons &&
        now.committed === before.committed;
      const show = (priced: typeof answer.value.priced, args: ReturnType<typeof calcArgs>) => {
        if (!unchanged || !priced) return;
        // Answers still on their way are for the receipt before this scan.
        ++calcSeq.current;
        pricedKey.current = JSON.stringify(args);
        if (priced.ok) {
          setPriced(priced.value);
          setProblem(null);
        } else setProblem(priced.error.message);
      };
      const scanned = answer.value;
      if (scanned.kind === 'buyer') {
        if (now.committed) newSale();
        setBuyer(scanned.buyer);
        setProblem(null);
        return show(scanned.priced, calcArgs(base.lines, scanned.buyer, base.pointsToPay, base.coupons));
      }
      const line = { productId: scanned.product.id, name: scanned.product.name, quantity: PIECE };
      const next = addToLines(base.lines, line, () => '');
      // First: after a booked receipt addLine starts the next one, which clears the calculation.
      addLine(line);
      if (next.index === scanned.line.index && next.lines[next.index]?.quantity === scanned.line.quantity)
        show(scanned.priced, calcArgs(next.lines, base.buyer, base.pointsToPay, base.coupons));
    },
    [client, addLine, newSale, t],
  );

  const changeQuantity = useCallback(
    (delta: number) =>
      setLines((current) =>
        current.flatMap((l, i) => {
          if (i !== selected) return [l];
          const quantity = l.quantity + delta * PIECE;
          return quantity > 0 ? [{ ...l, quantity }] : [];
        }),
      ),
    [selected],
  );

  // Kept stable (no dependency on the lines), so the memoised receipt rows do not all render again.
  const removeLine = useCallback((index: number) => {
    const remaining = latest.current.lines.length - 1;
    setLines((current) => current.filter((_, i) => i !== index));
    setSelected((s) => Math.max(-1, Math.min(s, remaining - 1)));
  }, []);

  const commit = useCallback(async () => {
    if (!priced || lines.length === 0 || busy) return;
    setBusy(true);
    const answer = await client.send('sale.commit', {
      buyerId: buyer?.buyerId ?? null,
      identifiedBy: buyer?.identifiedBy ?? null,
      lines: lines.map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
        ...(l.price === undefined ? {} : { price: l.price }),
      })),
      pointsToPay,
      coupons,
      ...(pointsCode ? { pointsCode } : {}),
      idempotencyKey: `ui-${crypto.randomUUID()}`,
      expected: {
        paidMoney: priced.calculation.totals.paidMoney,
        pointsPaid: priced.calculation.totals.pointsPaid,
      },
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    setCommitted(answer.value);
    setProblem(null);
    // The receipt is durable before printing; a printer failure leaves it booked and reprintable.
    const printed = await client.send('receipt.print', { receiptId: answer.value.receiptId });
    setPrintNote(
      printed.ok
        ? { ok: true, text: t('sale.printed') }
        : { ok: false, text: t('sale.printFailed', { message: printed.error.message }) },
    );
  }, [client, priced, lines, buyer, pointsToPay, coupons, pointsCode, busy, t]);

  const routes = useRef({ onScan: (_: string) => {}, onKeyOutsideField: (_: string) => {} });
  routes.current = {
    onScan: (code) => void onScan(code),
    onKeyOutsideField: (key) => {
      if (key === '+') changeQuantity(1);
      else if (key === '-') changeQuantity(-1);
    },
  };
  // Wedge scans and the core's serial / HID POS scans reach the same onScan.
  useEffect(
    () => (active && !registering ? installScanRouting(client, () => routes.current) : undefined),
    [active, registering, client],
  );

  // While the registration dialog is open, F5 must not fall through to the browser's reload,
  // which would throw away the receipt being built.
  useEffect(() => {
    if (!registering) return;
    const keepF5 = (e: KeyboardEvent) => {
      if (e.key === 'F5') e.preventDefault();
    };
    window.addEventListener('keydown', keepF5, true);
    return () => window.removeEventListener('keydown', keepF5, true);
  }, [registering]);

  // Function keys and line navigation; typed characters are the wedge router's.
  useEffect(() => {
    if (!active || registering) return;
    const onKey = (e: KeyboardEvent) => {
      const focusAndPrevent = (el: { focus(): void } | null | undefined) => {
        e.preventDefault();
        el?.focus();
      };
      switch (e.key) {
        case 'F10':
          e.preventDefault();
          return onSettings?.();
        case 'F2':
          return focusAndPrevent(phoneRef.current);
        case 'F3':
          return focusAndPrevent(searchRef.current);
        case 'F4':
          return focusAndPrevent(freeRef.current);
        case 'F5':
          e.preventDefault();
          return setRegistering(true);
        case 'F6':
          return focusAndPrevent(pointsRef.current);
        case 'F7':
          e.preventDefault();
          return onReturns?.();
        case 'F8':
          e.preventDefault();
          return setWebcam((open) => !open);
        case 'F9':
          e.preventDefault();
          return void commit();
        case 'Escape':
          if (webcam) return setWebcam(false);
          if (committed) return newSale();
          (document.activeElement as HTMLElement | null)?.blur();
          return;
        default:
      }
      if (editableFocused()) return;
      if (e.key === 'ArrowDown') setSelected((s) => Math.min(lines.length - 1, s + 1));
      else if (e.key === 'ArrowUp') setSelected((s) => Math.max(0, s - 1));
      else if (e.key === 'Delete' && selected >= 0) removeLine(selected);
      else if (e.code === 'NumpadAdd') changeQuantity(1);
      else if (e.code === 'NumpadSubtract') changeQuantity(-1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [
    active,
    registering,
    onReturns,
    onSettings,
    commit,
    committed,
    webcam,
    newSale,
    lines.length,
    selected,
    removeLine,
    changeQuantity,
  ]);

  const identifyByPhone = useCallback(
    async (value: string) => {
      if (!phoneComplete(value)) return;
      const answer = await client.send('buyer.identify', { phone: value });
      if (!answer.ok) return setProblem(answer.error.message);
      if (committed) newSale();
      setBuyer(answer.value);
      setProblem(null);
      (document.activeElement as HTMLElement | null)?.blur();
    },
    [client, committed, newSale],
  );

  const totals = priced?.calculation.totals;
  const payment = priced?.calculation.pointsPayment;
  const maxPoints = payment?.maximum ?? 0;
  const limitedBy = payment?.limitedBy;
  const offlineMax = priced?.offlineLimit?.maxPoints;
  const askPointsCode = !!priced?.calculation.requiresConfirmationCode && (totals?.pointsPaid ?? 0) > 0;
  const registerProductIds = useMemo(
    () => (registering ? lines.map((l) => l.productId) : NO_PRODUCTS),
    [registering, lines],
  );

  // The parts of the screen a scan does not change are memoised (issue 5): a scan renders the
  // lines that changed and the totals, not the inputs, the buyer panel or the dialogs.
  const inputs = useMemo(
    () => (
      <Row gutter={8}>
        <Col span={8}>
          <Input
            ref={phoneRef}
            value={phone}
            placeholder={t('sale.phone')}
            aria-label={t('sale.phone')}
            data-testid="phone"
            inputMode="tel"
            onChange={(e) => setPhone(e.target.value ? maskPhoneInput(e.target.value) : '')}
            onPressEnter={(e) => void identifyByPhone(maskPhoneInput(e.currentTarget.value))}
          />
        </Col>
        <Col span={10}>
          <AutoComplete
            style={{ width: '100%' }}
            value={search}
            options={found.map((p) => ({ value: p.id, label: `${p.name} — ${f.money(p.price)}` }))}
            onSearch={(text) => {
              setSearch(text);
              if (text.trim().length < 2) return setFound([]);
              void client
                .send('catalogue.search', { text, limit: 20 })
                .then((a) => a.ok && setFound(a.value.products));
            }}
            onSelect={(id: string) => {
              const p = found.find((x) => x.id === id);
              if (p) addLine({ productId: p.id, name: p.name, quantity: PIECE });
              setSearch('');
              setFound([]);
            }}
          >
            <input
              ref={searchRef}
              className="ant-input"
              placeholder={t('sale.search')}
              aria-label={t('sale.search')}
              data-testid="search"
            />
          </AutoComplete>
        </Col>
        <Col span={6}>
          <Input
            ref={freeRef}
            value={freeAmount}
            placeholder={t('sale.freeAmount')}
            aria-label={t('sale.freeAmount')}
            data-testid="free-amount"
            onChange={(e) => setFreeAmount(e.target.value)}
            onPressEnter={(e) => {
              const price = parseRoubles(e.currentTarget.value);
              if (price === null || price === 0) return;
              addLine({
                productId: FREE_AMOUNT_ID,
                name: t('sale.freeAmountName'),
                quantity: PIECE,
                price,
              });
              setFreeAmount('');
            }}
          />
        </Col>
      </Row>
    ),
    [phone, search, found, freeAmount, client, addLine, identifyByPhone, f, t],
  );

  const keys = useMemo(
    () => (
      <Space>
        <Typography.Text type="secondary">{t('sale.keys')}</Typography.Text>
        <Button size="small" tabIndex={-1} onClick={() => setRegistering(true)} data-testid="open-register">
          {t('register.open')}
        </Button>
        <Button size="small" tabIndex={-1} onClick={() => setWebcam(true)} data-testid="open-webcam">
          {t('webcam.open')}
        </Button>
        {onReturns && (
          <Button size="small" tabIndex={-1} onClick={onReturns} data-testid="open-returns">
            {t('returns.open')}
          </Button>
        )}
        {onSettings && (
          <Button size="small" tabIndex={-1} onClick={onSettings} data-testid="open-devices">
            {t('devices.open')}
          </Button>
        )}
      </Space>
    ),
    [onReturns, onSettings, t],
  );

  const registerDialog = useMemo(
    () => (
      <RegisterDialog
        open={registering}
        initialPhone={phone}
        productIds={registerProductIds}
        onClose={() => setRegistering(false)}
        onRegistered={(registered) => {
          setRegistering(false);
          if (committed) newSale();
          setBuyer(registered);
          setPhone('');
          setProblem(null);
          setNotice(registered.consentPending ? t('tillForm.pendingNote') : t('register.done'));
        }}
      />
    ),
    [registering, phone, registerProductIds, committed, newSale, t],
  );

  const buyerPanel = useMemo(
    () => <BuyerPanel buyer={buyer} onClear={() => setBuyer(null)} onChanged={setBuyer} />,
    [buyer],
  );

  const pointsCard = useMemo(() => {
    const applyPoints = (text: string) => {
      const value = parseRoubles(text || '0');
      if (value === null) return;
      setPointsToPay(value);
    };
    const payMax = () => {
      setPointsToPay(maxPoints);
      setPointsText(String(maxPoints / 100).replace('.', ','));
    };
    return (
      <Card size="small" title={t('points.title')}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            ref={pointsRef}
            value={pointsText}
            disabled={!buyer}
            aria-label={t('points.title')}
            data-testid="points-to-pay"
            onChange={(e) => setPointsText(e.target.value)}
            onPressEnter={(e) => applyPoints(e.currentTarget.value)}
            onBlur={(e) => applyPoints(e.currentTarget.value)}
          />
          <Button disabled={!buyer} onClick={payMax} data-testid="points-max" tabIndex={-1}>
            {t('points.payMax')}
          </Button>
        </Space.Compact>
        {limitedBy && buyer && (
          <Typography.Paragraph
            type="secondary"
            style={{ marginTop: 8, marginBottom: 0 }}
            data-testid="points-max-reason"
          >
            {maxPoints > 0 ? t('points.max', { max: f.points(maxPoints) }) : t('points.none')} —{' '}
            {t(`points.limit.${limitedBy}`)}
            {offlineMax !== undefined && ` · ${t('points.offlineLimit', { max: f.points(offlineMax) })}`}
          </Typography.Paragraph>
        )}
        {buyer && askPointsCode && (
          <PointsCodeField buyerId={buyer.buyerId} code={pointsCode} onCode={setPointsCode} />
        )}
      </Card>
    );
  }, [buyer, pointsText, maxPoints, limitedBy, offlineMax, askPointsCode, pointsCode, f, t]);

  const couponsCard = useMemo(
    () => (
      <CouponsCard
        coupons={coupons}
        priced={priced}
        onAdd={(code) => setCoupons((current) => (current.includes(code) ? current : [...current, code]))}
        onRemove={(code) => setCoupons((current) => current.filter((c) => c !== code))}
      />
    ),
    [coupons, priced],
  );

  return (
    <Row gutter={16} data-testid="sale-screen" style={active ? undefined : { display: 'none' }}>
      {registerDialog}
      <Col span={16}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {inputs}
          {problem && (
            <Alert
              type="error"
              title={problem}
              closable
              onClose={() => setProblem(null)}
              data-testid="problem"
            />
          )}
          {notice && (
            <Typography.Text type="secondary" data-testid="notice">
              {notice}
            </Typography.Text>
          )}
          <ReceiptTable
            lines={lines}
            priced={priced}
            selected={selected}
            onSelect={setSelected}
            onRemove={removeLine}
          />
          {keys}
        </Space>
      </Col>
      <Col span={8}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {webcam && active && (
            <WebcamQrPanel
              onClose={() => setWebcam(false)}
              onIdentified={(identified) => {
                setWebcam(false);
                if (committed) newSale();
                setBuyer(identified);
                setProblem(null);
                setNotice(t('webcam.identified'));
              }}
            />
          )}
          {buyerPanel}
          {pointsCard}
          {couponsCard}
          <Card size="small">
            <Statistic
              title={t('sale.total')}
              value={totals ? f.money(totals.paidMoney) : f.money(0)}
              data-testid="total"
            />
            {totals && (
              <Space direction="vertical" size={0}>
                <Typography.Text>
                  {t('sale.subtotal')}: {f.money(totals.amount)}
                </Typography.Text>
                {totals.discount > 0 && (
                  <Typography.Text>
                    {t('sale.discountTotal')}: −{f.money(totals.discount)}
                  </Typography.Text>
                )}
                {totals.pointsPaid > 0 && (
                  <Typography.Text data-testid="points-paid">
                    {t('sale.pointsPaid')}: {f.points(totals.pointsPaid)}
                  </Typography.Text>
                )}
                {buyer && (
                  <Typography.Text>
                    {t('sale.accrual')}: {f.points(totals.accrual)}
                  </Typography.Text>
                )}
              </Space>
            )}
            <Button
              type="primary"
              size="large"
              block
              style={{ marginTop: 12 }}
              disabled={!priced || !!committed}
              loading={busy}
              onClick={() => void commit()}
              data-testid="pay"
            >
              {t('sale.pay')}
            </Button>
          </Card>
          {committed && (
            <Alert
              type={printNote && !printNote.ok ? 'warning' : 'success'}
              data-testid="committed"
              title={t('sale.committed', { number: committed.number })}
              description={
                <>
                  {committed.offline && <div>{t('sale.offlineNote')}</div>}
                  {printNote && <div data-testid="print-note">{printNote.text}</div>}
                  <Space style={{ marginTop: 8 }}>
                    <Button
                      size="small"
                      onClick={() => void client.send('receipt.print', { receiptId: committed.receiptId })}
                    >
                      {t('sale.printAgain')}
                    </Button>
                    <Button size="small" onClick={newSale}>
                      {t('sale.newSale')}
                    </Button>
                  </Space>
                </>
              }
            />
          )}
        </Space>
      </Col>
    </Row>
  );
}
