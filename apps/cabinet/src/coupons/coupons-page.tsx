// Coupons (C6): the series with their usage, issuing a series for a promotion (unique codes for a
// print run or one shared code), its codes page by page with their uses, and the codes' export.
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
  createCouponSeries,
  exportCouponCodes,
  fetchCouponCodes,
  fetchCouponSeries,
  type CouponCode,
  type CouponSeries,
} from './coupon-api.ts';

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
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const series = useQuery({ queryKey: ['coupon-series'], queryFn: fetchCouponSeries });
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
      await exportCouponCodes(s, [
        t('coupons.code'),
        t('coupons.uses'),
        t('coupons.blocked'),
        t('coupons.issuedTo'),
      ]);
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setExporting(null);
    }
  };

  // Promotions free for a series: not archived and without one already.
  const taken = new Set((series.data ?? []).map((s) => s.promotionId));
  const promotionOptions = (promotions.data ?? [])
    .filter((p: Promotion) => p.state !== 'archived' && !taken.has(p.id))
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
      {/* GET /coupon-series answers every series of the merchant at once: there is no page to ask for. */}
      <Table<CouponSeries>
        rowKey="id"
        size="small"
        data-testid="series-table"
        loading={series.isFetching}
        dataSource={series.data ?? []}
        pagination={false}
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
            title: t('common.actions'),
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => setOpened(s)}>
                  {t('coupons.codes')}
                </Button>
                <Button size="small" loading={exporting === s.id} onClick={() => void exportCodes(s)}>
                  {t('coupons.export')}
                </Button>
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
        {opened && <SeriesCodes series={opened} />}
      </Drawer>
    </Space>
  );
}

/** The codes of one series, paged by the server, with their uses. */
function SeriesCodes({ series }: { series: CouponSeries }) {
  const { t } = useTranslation();
  const { format } = useSession();
  const [paging, setPaging] = useState({ page: 1, pageSize: 100 });
  const codes = useQuery({
    queryKey: ['coupon-codes', series.id, paging],
    queryFn: () => fetchCouponCodes(series.id, paging.page, paging.pageSize),
    placeholderData: keepPreviousData,
  });
  return (
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
          render: (_, c) =>
            c.blocked ? (
              <Tag color="red">{t('coupons.blocked')}</Tag>
            ) : c.uses > 0 ? (
              <Tag color="green">{t('coupons.used')}</Tag>
            ) : (
              <Tag>{t('coupons.unused')}</Tag>
            ),
        },
        {
          title: t('coupons.issuedTo'),
          render: (_, c) =>
            c.issuedToBuyerId ? <Link to={`/buyers/${c.issuedToBuyerId}`}>{t('coupons.buyer')}</Link> : '—',
        },
      ]}
    />
  );
}
