// Sales log and summary (G5): sales and returns (negative) by period, store, cashier, buyer (found
// by phone or card number) and type, sorted by time or total on the server, with lines on demand,
// export to Excel with the same filters and order, and the period's receipts, net revenue, returns,
// points used and accrued and effective discount (for the chosen cashiers when some are chosen).
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
  Tag,
  Typography,
} from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { buyerLookupSchema } from '@loyalty/protocol/api/buyers.schema';
import { salesLogPageSchema, type salesLogEntrySchema } from '@loyalty/protocol/api/receipts.schema';
import { salesSummarySchema } from '@loyalty/protocol/api/reports.schema';
import { api, download, isApiFailure, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { todayIn } from '#format/formatters.ts';
import { namesById, useStores } from '#reference/reference-data.ts';
import type { Cashier } from '#stores/store-api.ts';
import { CashierSelect, worksIn } from './cashier-select.tsx';
import { ReceiptLines } from './receipt-lines.tsx';
import { ReturnLines } from './return-lines.tsx';

type Entry = z.output<typeof salesLogEntrySchema>;
type Filters = {
  dateFrom: string;
  dateTo: string;
  storeId?: string;
  buyerId?: string;
  cashierId?: string[];
  type?: 'sale' | 'return';
};
type Sorting = { sort: 'createdAt' | 'total'; order: 'asc' | 'desc' };
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
  const [sorting, setSorting] = useState<Sorting>({ sort: 'createdAt', order: 'desc' });
  const [buyerText, setBuyerText] = useState('');
  const [buyerError, setBuyerError] = useState<string | null>(null);
  const [cashiers, setCashiers] = useState<Cashier[]>([]);
  const chooseCashiers = (chosen: Cashier[]) => {
    setCashiers(chosen);
    setFilters((f) => ({ ...f, cashierId: chosen.length > 0 ? chosen.map((c) => c.id) : undefined }));
    setPaging((p) => ({ ...p, page: 1 }));
  };

  const log = useQuery({
    queryKey: ['sales-log', filters, sorting, paging],
    queryFn: () =>
      api(salesLogPageSchema, 'GET', withQuery('/sales-log', { ...filters, ...sorting, ...paging })),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (key: Sorting['sort']) =>
    sorting.sort === key ? (sorting.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null;
  const summary = useQuery({
    queryKey: ['sales-summary', filters.dateFrom, filters.dateTo, filters.cashierId],
    queryFn: () =>
      api(
        salesSummarySchema,
        'GET',
        withQuery('/reports/sales-summary', {
          from: filters.dateFrom,
          to: filters.dateTo,
          cashierId: filters.cashierId,
        }),
      ),
    enabled: can('reports:read'),
  });
  const totals = summary.data?.totals;
  // Effective discount: what discounts and points took off the receipts' full amount (net of returns).
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
          id="sales-store"
          allowClear
          placeholder={t('terminals.store')}
          style={{ width: 220 }}
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange={(storeId?: string) => {
            setFilters((f) => ({ ...f, storeId }));
            setPaging((p) => ({ ...p, page: 1 }));
            // Cashiers of another store would only empty the log.
            const kept = cashiers.filter((c) => worksIn(c, storeId));
            if (kept.length !== cashiers.length) chooseCashiers(kept);
          }}
        />
        <CashierSelect storeId={filters.storeId} value={cashiers} onChange={chooseCashiers} />
        <Select
          allowClear
          placeholder={t('sales.allTypes')}
          style={{ width: 200 }}
          data-testid="sales-type"
          options={(['sale', 'return'] as const).map((type) => ({
            value: type,
            label: t(`sales.typeValue.${type}`),
          }))}
          onChange={(type?: 'sale' | 'return') => {
            setFilters((f) => ({ ...f, type }));
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
          data-testid="sales-export"
          onClick={() => {
            download(withQuery('/exports/sales-log.xlsx', { ...filters, ...sorting })).catch(
              (error: Error) => void message.error(error.message),
            );
          }}
        >
          {t('common.exportXlsx')}
        </Button>
      </Space>
      {buyerError && <Alert type="warning" title={buyerError} showIcon />}
      {totals && (
        <Row gutter={[16, 16]} data-testid="sales-summary">
          {(
            [
              ['dashboard.receipts', format.count(totals.receipts)],
              ['dashboard.revenue', format.money(totals.revenue)],
              [
                'sales.returns',
                t('sales.returnsValue', {
                  count: totals.returns,
                  amount: format.money(totals.returnedAmount),
                }),
              ],
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
      <Table<Entry>
        rowKey="id"
        size="small"
        data-testid="receipts-table"
        loading={log.isFetching}
        dataSource={log.data?.items ?? []}
        expandable={{
          expandedRowRender: (r) =>
            r.type === 'sale' ? <ReceiptLines id={r.receiptId} /> : <ReturnLines id={r.id} />,
        }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: log.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
        }}
        onChange={(p, _filters, sorter) => {
          const s = sorter as SorterResult<Entry>;
          const next: Sorting = s.order
            ? {
                sort: s.columnKey === 'total' ? 'total' : 'createdAt',
                order: s.order === 'ascend' ? 'asc' : 'desc',
              }
            : { sort: 'createdAt', order: 'desc' };
          const sortChanged = next.sort !== sorting.sort || next.order !== sorting.order;
          setSorting(next);
          setPaging({ page: sortChanged ? 1 : (p.current ?? 1), pageSize: p.pageSize ?? 50 });
        }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('buyer.when'),
            key: 'createdAt',
            sorter: true,
            sortOrder: sortOrder('createdAt'),
            render: (_, r) => format.dateTime(r.createdAt),
          },
          {
            title: t('sales.type'),
            render: (_, r) => (
              <Tag color={r.type === 'return' ? 'orange' : 'green'}>{t(`sales.typeValue.${r.type}`)}</Tag>
            ),
          },
          { title: t('buyer.receipt'), render: (_, r) => r.number ?? '—' },
          { title: t('buyer.store'), render: (_, r) => (r.storeId ? storeNames.get(r.storeId) : '—') },
          { title: t('sales.cashier'), render: (_, r) => r.cashierName ?? '—' },
          {
            title: t('sales.total'),
            key: 'total',
            align: 'right',
            sorter: true,
            sortOrder: sortOrder('total'),
            render: (_, r) => format.money(r.total),
          },
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
