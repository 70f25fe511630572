// The buyer base (D1): search box, every D1 filter, server-side paging and sorting, Excel export.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Collapse, Input, Space, Table, Typography } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { buyerSortSchema } from '@loyalty/protocol/api/buyers.schema';
import type { z } from 'zod';
import { useSession } from '#auth/session-context.tsx';
import { namesById, useProgramme } from '#reference/reference-data.ts';
import { exportBuyers, fetchBuyers, type Buyer, type BuyerQuery } from './buyer-api.ts';
import { BuyerCreateDialog } from './buyer-create-dialog.tsx';
import { BuyerFilters } from './buyer-filters.tsx';

type Sort = z.infer<typeof buyerSortSchema>;
type View = {
  filters: BuyerQuery;
  search: string;
  sort: Sort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
};

/** Full name, or a dash-free placeholder for anonymous buyers. */
export const buyerName = (b: Pick<Buyer, 'lastName' | 'firstName' | 'middleName'>, fallback: string) =>
  [b.lastName, b.firstName, b.middleName].filter(Boolean).join(' ') || fallback;

/** The buyers table page. */
export function BuyersPage() {
  const { t } = useTranslation();
  const { format, can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const programme = useProgramme();
  const cardTypes = namesById(programme.data?.cardTypes);
  const [view, setView] = useState<View>({
    filters: {},
    search: '',
    sort: 'registeredAt',
    order: 'desc',
    page: 1,
    pageSize: 50,
  });
  const query: BuyerQuery = {
    ...view.filters,
    search: view.search || undefined,
    sort: view.sort,
    order: view.order,
    page: view.page,
    pageSize: view.pageSize,
  };
  const buyers = useQuery({
    queryKey: ['buyers', query],
    queryFn: () => fetchBuyers(query),
    placeholderData: keepPreviousData,
  });
  const [exporting, setExporting] = useState(false);

  const sorted = (key: Sort) => ({
    key,
    sorter: true,
    sortOrder: view.sort === key ? (view.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null,
  });
  const columns: ColumnsType<Buyer> = [
    {
      title: t('buyers.columns.name'),
      ...sorted('lastName'),
      render: (_, b) => <Link to={`/buyers/${b.id}`}>{buyerName(b, t('buyers.noName'))}</Link>,
    },
    { title: t('buyers.columns.phone'), dataIndex: 'phone', ...sorted('phone') },
    { title: t('buyers.columns.email'), dataIndex: 'email', key: 'email' },
    {
      title: t('buyers.columns.cardType'),
      key: 'cardType',
      render: (_, b) => (b.cardTypeId ? cardTypes.get(b.cardTypeId) : '—'),
    },
    {
      title: t('buyers.columns.birthDate'),
      ...sorted('birthDate'),
      render: (_, b) => format.date(b.birthDate),
    },
    {
      title: t('buyers.columns.registeredAt'),
      ...sorted('registeredAt'),
      render: (_, b) => format.dateTime(b.registeredAt),
    },
    {
      title: t('buyers.columns.purchasesCount'),
      align: 'right',
      ...sorted('purchasesCount'),
      render: (_, b) => format.count(b.stats.purchasesCount),
    },
    {
      title: t('buyers.columns.purchasesTotal'),
      align: 'right',
      ...sorted('purchasesTotal'),
      render: (_, b) => format.money(b.stats.purchasesTotal),
    },
    {
      title: t('buyers.columns.averageCheck'),
      align: 'right',
      ...sorted('averageCheck'),
      render: (_, b) => format.money(b.stats.averageCheck),
    },
    {
      title: t('buyers.columns.balance'),
      align: 'right',
      ...sorted('balance'),
      render: (_, b) => format.points(b.stats.balance),
    },
    {
      title: t('buyers.columns.lastPurchaseAt'),
      ...sorted('lastPurchaseAt'),
      render: (_, b) => format.dateTime(b.stats.lastPurchaseAt),
    },
  ];

  const total = buyers.data?.total ?? 0;
  const runExport = async () => {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...all } = query;
      await exportBuyers(all);
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('buyers.title')}
      </Typography.Title>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('buyers.searchPlaceholder')}
            style={{ width: 360 }}
            data-testid="buyer-search"
            onSearch={(search) => setView((v) => ({ ...v, search, page: 1 }))}
          />
          <Button onClick={() => void runExport()} loading={exporting} data-testid="export-buyers">
            {t('common.exportXlsx')}
          </Button>
          {can('buyers:write') && (
            <Button type="primary" onClick={() => setAdding(true)} data-testid="add-buyer">
              {t('buyers.add')}
            </Button>
          )}
        </Space>
        <Collapse
          size="small"
          items={[
            {
              key: 'filters',
              label: t('buyers.filters'),
              children: <BuyerFilters onApply={(filters) => setView((v) => ({ ...v, filters, page: 1 }))} />,
            },
          ]}
        />
      </Card>
      <Table<Buyer>
        rowKey="id"
        size="small"
        data-testid="buyers-table"
        loading={buyers.isFetching}
        columns={columns}
        dataSource={buyers.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: view.page,
          pageSize: view.pageSize,
          total,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: () =>
            buyers.data?.totalExact === false
              ? t('common.totalCapped', { count: total })
              : t('common.total', { count: total }),
        }}
        onChange={(pagination, _filters, sorter) => {
          const s: SorterResult<Buyer> | undefined = Array.isArray(sorter) ? sorter[0] : sorter;
          const key = (s?.order ? s.columnKey : undefined) as Sort | undefined;
          setView((v) => ({
            ...v,
            page:
              key !== v.sort || (s?.order === 'ascend' ? 'asc' : 'desc') !== v.order
                ? 1
                : (pagination.current ?? 1),
            pageSize: pagination.pageSize ?? v.pageSize,
            sort: key ?? 'registeredAt',
            order: key ? (s?.order === 'ascend' ? 'asc' : 'desc') : 'desc',
          }));
        }}
      />
      <BuyerCreateDialog
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(buyer) => {
          setAdding(false);
          void navigate(`/buyers/${buyer.id}`);
        }}
      />
    </Space>
  );
}
