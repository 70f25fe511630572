// Sales log and summary (G5): receipts by period, store and buyer (found by phone or card number),
// newest first with lines on demand, export to Excel with the same filters, and the period's
// receipts, revenue, points used and accrued and effective discount.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { buyerLookupSchema } from '@loyalty/protocol/api/buyers.schema';
import { receiptPageSchema, type receiptSchema } from '@loyalty/protocol/api/receipts.schema';
import { salesSummarySchema } from '@loyalty/protocol/api/reports.schema';
import { api, download, isApiFailure, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { todayIn } from '#format/formatters.ts';
import { namesById, useStores } from '#reference/reference-data.ts';
import { ReceiptLines } from './receipt-lines.tsx';

type Receipt = z.output<typeof receiptSchema>;
type Filters = { dateFrom: string; dateTo: string; storeId?: string; buyerId?: string };
const DAY = 'YYYY-MM-DD';

/** Finds the buyer a phone or card number names: digits alone may be either, so the card goes first. */
async function findBuyerId(text: string): Promise<string> {
  const value = text.trim();
  const lookup = (query: { card: string } | { phone: string }) =>
    api(buyerLookupSchema, 'GET', withQuery('/buyers/lookup', query));
  if (!/^\d+$/.test(value)) return (await lookup({ phone: value })).buyer.id;
  try {
    return (await lookup({ card: value })).buyer.id;
  } catch (error) {
    if (isApiFailure(error) && error.status < 500) return (await lookup({ phone: value })).buyer.id;
    throw error;
  }
}

/** The sales page. */
export function SalesPage() {
  const { t } = useTranslation();
  const { format, session, can } = useSession();
  const { message } = App.useApp();
  const stores = useStores();
  const storeNames = namesById(stores.data);
  const [filters, setFilters] = useState<Filters>(() => {
    const today = todayIn(session.merchant.timeZone);
    return { dateFrom: dayjs(today).subtract(6, 'day').format(DAY), dateTo: today };
  });
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [buyerText, setBuyerText] = useState('');
  const [buyerError, setBuyerError] = useState<string | null>(null);

  const receipts = useQuery({
    queryKey: ['receipts', filters, paging],
    queryFn: () => api(receiptPageSchema, 'GET', withQuery('/receipts', { ...filters, ...paging })),
    placeholderData: keepPreviousData,
  });
  const summary = useQuery({
    queryKey: ['sales-summary', filters.dateFrom, filters.dateTo],
    queryFn: () =>
      api(
        salesSummarySchema,
        'GET',
        withQuery('/reports/sales-summary', { from: filters.dateFrom, to: filters.dateTo }),
      ),
    enabled: can('reports:read'),
  });
  const totals = summary.data?.totals;
  // Effective discount: what discounts and points took off the receipts' full amount.
  const fullAmount = totals ? totals.revenue + totals.discount : 0;
  const effective =
    totals && fullAmount > 0
      ? Math.round(((totals.discount + totals.pointsSpent) * 10_000) / fullAmount)
      : null;

  const applyBuyer = async (text: string) => {
    setBuyerError(null);
    if (!text.trim()) {
      setFilters((f) => ({ ...f, buyerId: undefined }));
      return;
    }
    try {
      const buyerId = await findBuyerId(text);
      setFilters((f) => ({ ...f, buyerId }));
      setPaging((p) => ({ ...p, page: 1 }));
    } catch (error) {
      setBuyerError((error as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('sales.title')}
      </Typography.Title>
      <Space wrap>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(filters.dateFrom), dayjs(filters.dateTo)]}
          onChange={(value: [Dayjs | null, Dayjs | null] | null) => {
            if (value?.[0] && value[1]) {
              setFilters((f) => ({
                ...f,
                dateFrom: value[0]?.format(DAY) ?? f.dateFrom,
                dateTo: value[1]?.format(DAY) ?? f.dateTo,
              }));
              setPaging((p) => ({ ...p, page: 1 }));
            }
          }}
        />
        <Select
          allowClear
          placeholder={t('terminals.store')}
          style={{ width: 220 }}
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange={(storeId?: string) => {
            setFilters((f) => ({ ...f, storeId }));
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        />
        <Input.Search
          allowClear
          placeholder={t('sales.buyer')}
          style={{ width: 260 }}
          value={buyerText}
          onChange={(e) => setBuyerText(e.target.value)}
          onSearch={(text) => void applyBuyer(text)}
        />
        <Button
          onClick={() => {
            download(withQuery('/exports/receipts.xlsx', filters)).catch(
              (error: Error) => void message.error(error.message),
            );
          }}
        >
          {t('common.exportXlsx')}
        </Button>
      </Space>
      {buyerError && <Alert type="warning" title={buyerError} showIcon />}
      {totals && (
        <Row gutter={[16, 16]}>
          {(
            [
              ['dashboard.receipts', format.count(totals.receipts)],
              ['dashboard.revenue', format.money(totals.revenue)],
              ['dashboard.pointsSpent', format.points(totals.pointsSpent)],
              ['dashboard.pointsAccrued', format.points(totals.pointsAccrued)],
              ['sales.effectiveDiscount', format.percent(effective)],
            ] as const
          ).map(([key, value]) => (
            <Col key={key} xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic title={t(key)} value={value} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Table<Receipt>
        rowKey="id"
        size="small"
        data-testid="receipts-table"
        loading={receipts.isFetching}
        dataSource={receipts.data?.items ?? []}
        expandable={{ expandedRowRender: (r) => <ReceiptLines id={r.id} /> }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: receipts.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
        }}
        onChange={(p) => setPaging({ page: p.current ?? 1, pageSize: p.pageSize ?? 50 })}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('buyer.when'), render: (_, r) => format.dateTime(r.createdAt) },
          { title: t('buyer.receipt'), render: (_, r) => r.number ?? '—' },
          { title: t('buyer.store'), render: (_, r) => (r.storeId ? storeNames.get(r.storeId) : '—') },
          { title: t('buyer.receiptTotal'), align: 'right', render: (_, r) => format.money(r.amount) },
          { title: t('buyer.discount'), align: 'right', render: (_, r) => format.money(r.discount) },
          { title: t('buyer.pointsPaid'), align: 'right', render: (_, r) => format.points(r.pointsPaid) },
          { title: t('buyer.paidMoney'), align: 'right', render: (_, r) => format.money(r.paidMoney) },
          { title: t('buyer.accrued'), align: 'right', render: (_, r) => format.points(r.accrual) },
          {
            title: t('buyer.overdraft'),
            align: 'right',
            render: (_, r) => (r.overdraft > 0 ? format.points(r.overdraft) : ''),
          },
        ]}
      />
    </Space>
  );
}
