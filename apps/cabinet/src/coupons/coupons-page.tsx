// Coupons (C6): the series paged and searched by the server with their usage, issuing a series for
// a promotion (unique codes for a print run or one shared code), its codes page by page by state
// with blocking per code or for the whole series, the redemptions per receipt (which receipt,
// buyer, when), and the codes' XLSX export.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import { pageOf } from '@loyalty/protocol/api/common.schema';
import { promotionViewSchema } from '@loyalty/protocol/api/programme.schema';
import { api, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { namesById } from '#reference/reference-data.ts';
import {
  blockCode,
  blockSeries,
  createCouponSeries,
  exportCouponCodes,
  exportRedemptions,
  exportSeries,
  fetchCouponCodes,
  fetchCouponSeries,
  fetchRedemptions,
  type CodeFilter,
  type CouponCode,
  type CouponRedemption,
  type CouponSeries,
} from './coupon-api.ts';
import { CodeStateTag } from './code-state-tag.tsx';
import { IssueCouponDialog } from './issue-coupon-dialog.tsx';

const promotionPageSchema = pageOf(promotionViewSchema);
type Promotion = z.output<typeof promotionViewSchema>;

type SeriesForm = {
  name: string;
  promotionId: string;
  usage: 'single' | 'multi';
  period?: [Dayjs | null, Dayjs | null] | null;
  maxUsesPerCode?: number | null;
  maxUsesPerBuyer?: number | null;
  requiresBuyer?: boolean;
  kind: 'unique' | 'shared';
  count?: number;
  prefix?: string;
  length?: number;
  code?: string;
};

/** The coupon series page. */
export function CouponsPage() {
  const { t } = useTranslation();
  const { can, format } = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState<{ search?: string; page: number; pageSize: number }>({
    page: 1,
    pageSize: 50,
  });
  const series = useQuery({
    queryKey: ['coupon-series', query],
    queryFn: () => fetchCouponSeries(query),
    placeholderData: keepPreviousData,
  });
  // Names of the promotions the series belong to, and the choice for a new series.
  const promotions = useQuery({
    queryKey: ['promotions', 'names'],
    queryFn: () => api(promotionPageSchema, 'GET', withQuery('/promotions', { pageSize: 500 })),
    select: (page) => page.items,
    staleTime: 60_000,
  });
  const promotionNames = namesById(promotions.data);
  const [creating, setCreating] = useState(false);
  const [opened, setOpened] = useState<CouponSeries | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const [form] = Form.useForm<SeriesForm>();
  const kind = Form.useWatch('kind', form);
  const write = can('promotions:write');

  const create = useMutation({
    mutationFn: (v: SeriesForm) =>
      createCouponSeries({
        name: v.name,
        promotionId: v.promotionId,
        usage: v.usage,
        from: v.period?.[0]?.startOf('day').valueOf() ?? null,
        to: v.period?.[1]?.endOf('day').valueOf() ?? null,
        maxUsesPerCode: v.maxUsesPerCode ?? null,
        maxUsesPerBuyer: v.maxUsesPerBuyer ?? null,
        requiresBuyer: v.requiresBuyer ?? false,
        codes:
          v.kind === 'shared'
            ? { kind: 'shared', code: v.code ?? '' }
            : { kind: 'unique', count: v.count ?? 1, prefix: v.prefix ?? '', length: v.length ?? 8 },
      }),
    onSuccess: (created) => {
      setCreating(false);
      form.resetFields();
      void message.success(t('coupons.created', { count: created.codesCount }));
      void queryClient.invalidateQueries({ queryKey: ['coupon-series'] });
      // The promotion now requires the coupon.
      void queryClient.invalidateQueries({ queryKey: ['promotions'] });
    },
  });

  const exportCodes = async (s: CouponSeries) => {
    setExporting(s.id);
    try {
      await exportCouponCodes(s.id);
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setExporting(null);
    }
  };

  const block = useMutation({
    mutationFn: (v: { series: CouponSeries; blocked: boolean }) => blockSeries(v.series.id, v.blocked),
    onSuccess: (result, v) => {
      void message.success(
        t(v.blocked ? 'couponsEditor.seriesBlocked' : 'couponsEditor.seriesUnblocked', {
          count: result.codes,
        }),
      );
      void queryClient.invalidateQueries({ queryKey: ['coupon-series'] });
      void queryClient.invalidateQueries({ queryKey: ['coupon-codes'] });
    },
    onError: (error) => void message.error(error.message),
  });

  // Promotions free for a series: not archived and without one already.
  const promotionOptions = (promotions.data ?? [])
    .filter((p: Promotion) => p.state !== 'archived' && p.targeting.couponSeriesId === null)
    .map((p) => ({ value: p.id, label: p.name }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('coupons.title')}
        </Typography.Title>
        {write && (
          <Button
            type="primary"
            data-testid="create-series"
            onClick={() => (create.reset(), setCreating(true))}
          >
            {t('coupons.create')}
          </Button>
        )}
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('couponsEditor.searchPlaceholder')}
          style={{ width: 280 }}
          data-testid="series-search"
          onSearch={(search) => setQuery((q) => ({ ...q, search: search || undefined, page: 1 }))}
        />
        <Button data-testid="export-series" onClick={() => void exportSeries(query.search)}>
          {t('common.exportXlsx')}
        </Button>
      </Space>
      <Table<CouponSeries>
        rowKey="id"
        size="small"
        data-testid="series-table"
        loading={series.isFetching}
        dataSource={series.data?.items ?? []}
        pagination={{ current: query.page, pageSize: query.pageSize, total: series.data?.total ?? 0 }}
        onChange={(p) => setQuery((q) => ({ ...q, page: p.current ?? 1, pageSize: p.pageSize ?? 50 }))}
        columns={[
          { title: t('coupons.name'), dataIndex: 'name' },
          { title: t('coupons.promotion'), render: (_, s) => promotionNames.get(s.promotionId) ?? '—' },
          {
            title: t('coupons.usage'),
            render: (_, s) => (
              <Tag color={s.usage === 'single' ? 'blue' : 'purple'}>{t(`coupons.usageValue.${s.usage}`)}</Tag>
            ),
          },
          {
            title: t('common.period'),
            render: (_, s) =>
              s.from === null && s.to === null
                ? t('coupons.always')
                : `${s.from === null ? '…' : format.dateTime(new Date(s.from).toISOString())} — ${
                    s.to === null ? '…' : format.dateTime(new Date(s.to).toISOString())
                  }`,
          },
          { title: t('coupons.codesCount'), align: 'right', render: (_, s) => format.count(s.codesCount) },
          {
            title: t('coupons.usedCount'),
            render: (_, s) => (
              <Space>
                <span data-testid="series-used">{format.count(s.usedCount)}</span>
                <Progress
                  size="small"
                  style={{ width: 120 }}
                  percent={s.codesCount ? Math.round((s.usedCount / s.codesCount) * 100) : 0}
                />
              </Space>
            ),
          },
          {
            title: t('couponsEditor.redemptionsCount'),
            align: 'right',
            render: (_, s) => format.count(s.redemptionsCount),
          },
          {
            title: t('couponsEditor.blockedCount'),
            align: 'right',
            render: (_, s) =>
              s.blockedCount > 0 ? <Tag color="red">{format.count(s.blockedCount)}</Tag> : format.count(0),
          },
          {
            title: t('common.actions'),
            render: (_, s) => (
              <Space wrap>
                <Button size="small" onClick={() => setOpened(s)}>
                  {t('coupons.codes')}
                </Button>
                <Button size="small" loading={exporting === s.id} onClick={() => void exportCodes(s)}>
                  {t('coupons.export')}
                </Button>
                {write &&
                  (s.blockedCount < s.codesCount ? (
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        void modal.confirm({
                          title: t('couponsEditor.blockSeriesConfirm', { name: s.name }),
                          onOk: () => block.mutateAsync({ series: s, blocked: true }),
                        })
                      }
                    >
                      {t('couponsEditor.blockSeries')}
                    </Button>
                  ) : (
                    <Button size="small" onClick={() => block.mutate({ series: s, blocked: false })}>
                      {t('couponsEditor.unblockSeries')}
                    </Button>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('coupons.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'series-save' }}
        confirmLoading={create.isPending}
        forceRender
        width={640}
      >
        <Form
          form={form}
          name="series"
          layout="vertical"
          initialValues={{ usage: 'single', kind: 'unique', count: 100, length: 8 }}
          onFinish={(v) => create.mutate(v)}
        >
          <Form.Item name="name" label={t('coupons.name')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="promotionId"
            label={t('coupons.promotion')}
            extra={t('coupons.promotionHint')}
            rules={[{ required: true }]}
          >
            <Select showSearch optionFilterProp="label" options={promotionOptions} />
          </Form.Item>
          <Form.Item name="kind" label={t('coupons.kind')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'unique', label: t('coupons.kindValue.unique') },
                { value: 'shared', label: t('coupons.kindValue.shared') },
              ]}
            />
          </Form.Item>
          {kind === 'shared' ? (
            <Form.Item
              name="code"
              label={t('coupons.sharedCode')}
              rules={[{ required: true, whitespace: true, min: 3, max: 64 }]}
            >
              <Input style={{ textTransform: 'uppercase' }} />
            </Form.Item>
          ) : (
            <Space wrap>
              <Form.Item name="count" label={t('coupons.count')} rules={[{ required: true }]}>
                <InputNumber min={1} max={100_000} />
              </Form.Item>
              <Form.Item name="prefix" label={t('coupons.prefix')} rules={[{ max: 10 }]}>
                <Input style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="length" label={t('coupons.length')}>
                <InputNumber min={6} max={20} />
              </Form.Item>
            </Space>
          )}
          <Form.Item name="usage" label={t('coupons.usage')}>
            <Radio.Group
              options={[
                { value: 'single', label: t('coupons.usageValue.single') },
                { value: 'multi', label: t('coupons.usageValue.multi') },
              ]}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item name="maxUsesPerCode" label={t('coupons.maxUsesPerCode')}>
              <InputNumber min={1} />
            </Form.Item>
            <Form.Item name="maxUsesPerBuyer" label={t('coupons.maxUsesPerBuyer')}>
              <InputNumber min={1} />
            </Form.Item>
          </Space>
          <Form.Item name="period" label={t('common.period')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="requiresBuyer" valuePropName="checked">
            <Checkbox>{t('coupons.requiresBuyer')}</Checkbox>
          </Form.Item>
          {create.isError && <Alert type="error" title={create.error.message} showIcon />}
        </Form>
      </Modal>
      <Drawer
        open={opened !== null}
        size={640}
        title={opened ? t('coupons.codesOf', { name: opened.name }) : ''}
        onClose={() => setOpened(null)}
        destroyOnHidden
      >
        {opened && (
          <Tabs
            items={[
              { key: 'codes', label: t('couponsEditor.codesTab'), children: <SeriesCodes series={opened} /> },
              {
                key: 'usage',
                label: t('couponsEditor.usageTab'),
                children: <SeriesRedemptions series={opened} />,
              },
            ]}
          />
        )}
      </Drawer>
    </Space>
  );
}

/** The codes of one series, paged and filtered by the server, with their uses and blocking. */
function SeriesCodes({ series }: { series: CouponSeries }) {
  const { t } = useTranslation();
  const { format, can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [paging, setPaging] = useState({ page: 1, pageSize: 100 });
  const [filter, setFilter] = useState<CodeFilter>({});
  const [issuing, setIssuing] = useState(false);
  const codes = useQuery({
    queryKey: ['coupon-codes', series.id, filter, paging],
    queryFn: () => fetchCouponCodes(series.id, filter, paging.page, paging.pageSize),
    placeholderData: keepPreviousData,
  });
  const block = useMutation({
    mutationFn: (v: { code: string; blocked: boolean }) => blockCode(series.id, v.code, v.blocked),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['coupon-codes', series.id] });
      void queryClient.invalidateQueries({ queryKey: ['coupon-series'] });
    },
    onError: (error) => void message.error(error.message),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('couponsEditor.codeSearch')}
          style={{ width: 200 }}
          onSearch={(search) => {
            setFilter((f) => ({ ...f, search: search || undefined }));
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        />
        <Select
          allowClear
          placeholder={t('couponsEditor.anyState')}
          style={{ width: 200 }}
          data-testid="codes-state"
          options={(['unused', 'used', 'blocked'] as const).map((v) => ({
            value: v,
            label: t(`coupons.${v}`),
          }))}
          onChange={(state?: CodeFilter['state']) => {
            setFilter((f) => ({ ...f, state }));
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        />
        <Button onClick={() => void exportCouponCodes(series.id, filter)}>
          {t('couponsEditor.exportFiltered')}
        </Button>
        {can('promotions:write') && can('buyers:read') && (
          <Button type="primary" onClick={() => setIssuing(true)} data-testid="issue-code">
            {t('couponsEditor.issueToBuyer')}
          </Button>
        )}
      </Space>
      <IssueCouponDialog open={issuing} onClose={() => setIssuing(false)} seriesId={series.id} />
      <Table<CouponCode>
        rowKey="code"
        size="small"
        data-testid="codes-table"
        loading={codes.isFetching}
        dataSource={codes.data?.items ?? []}
        pagination={{ current: paging.page, pageSize: paging.pageSize, total: codes.data?.total ?? 0 }}
        onChange={(p) => setPaging({ page: p.current ?? 1, pageSize: p.pageSize ?? 100 })}
        columns={[
          {
            title: t('coupons.code'),
            render: (_, c) => (
              <Typography.Text copyable style={{ fontFamily: 'monospace' }}>
                {c.code}
              </Typography.Text>
            ),
          },
          { title: t('coupons.uses'), align: 'right', render: (_, c) => format.count(c.uses) },
          {
            title: t('coupons.state'),
            render: (_, c) => <CodeStateTag code={c} />,
          },
          {
            title: t('coupons.issuedTo'),
            render: (_, c) =>
              c.issuedToBuyerId ? <Link to={`/buyers/${c.issuedToBuyerId}`}>{t('coupons.buyer')}</Link> : '—',
          },
          ...(can('promotions:write')
            ? [
                {
                  key: 'block',
                  render: (_: unknown, c: CouponCode) => (
                    <Button
                      size="small"
                      danger={!c.blocked}
                      loading={block.isPending && block.variables.code === c.code}
                      onClick={() => block.mutate({ code: c.code, blocked: !c.blocked })}
                    >
                      {c.blocked ? t('couponsEditor.unblock') : t('couponsEditor.block')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

/** Redemptions of a series' codes, newest first: the receipt, the buyer and when. */
function SeriesRedemptions({ series }: { series: CouponSeries }) {
  const { t } = useTranslation();
  const { format } = useSession();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const redemptions = useQuery({
    queryKey: ['coupon-redemptions', series.id, paging],
    queryFn: () => fetchRedemptions(series.id, paging.page, paging.pageSize),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button onClick={() => void exportRedemptions(series.id)} data-testid="export-redemptions">
        {t('couponsEditor.exportFiltered')}
      </Button>
      <Table<CouponRedemption>
        rowKey="id"
        size="small"
        data-testid="redemptions-table"
        loading={redemptions.isFetching}
        locale={{ emptyText: t('couponsEditor.noUsage') }}
        dataSource={redemptions.data?.items ?? []}
        pagination={{ current: paging.page, pageSize: paging.pageSize, total: redemptions.data?.total ?? 0 }}
        onChange={(p) => setPaging({ page: p.current ?? 1, pageSize: p.pageSize ?? 50 })}
        columns={[
          { title: t('couponsEditor.redeemedAt'), render: (_, r) => format.dateTime(r.redeemedAt) },
          {
            title: t('coupons.code'),
            render: (_, r) => <span style={{ fontFamily: 'monospace' }}>{r.code}</span>,
          },
          {
            title: t('couponsEditor.receipt'),
            render: (_, r) => r.receiptNumber ?? (r.receiptId ? r.receiptId.slice(0, 8) : '—'),
          },
          { title: t('couponsEditor.store'), render: (_, r) => r.storeName ?? '—' },
          { title: t('couponsEditor.amount'), align: 'right', render: (_, r) => format.money(r.amount) },
          { title: t('couponsEditor.discount'), align: 'right', render: (_, r) => format.money(r.discount) },
          {
            title: t('couponsEditor.buyer'),
            render: (_, r) =>
              r.buyerId === null ? (
                <Typography.Text type="secondary">{t('couponsEditor.anonymous')}</Typography.Text>
              ) : (
                <Link to={`/buyers/${r.buyerId}`}>
                  {[r.buyerName, r.buyerPhone].filter(Boolean).join(' ') || t('couponsEditor.hiddenBuyer')}
                </Link>
              ),
          },
        ]}
      />
    </Space>
  );
}
