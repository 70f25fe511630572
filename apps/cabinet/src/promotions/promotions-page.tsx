// Promotions (C5): the list by state with server-side paging and a name search, its XLSX export
// with the same filters, the editor, and the preview of a sample receipt.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { pageOf } from '@loyalty/protocol/api/common.schema';
import { promotionViewSchema, type promotionListQuerySchema } from '@loyalty/protocol/api/programme.schema';
import { api, download, withQuery, type Query } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { PromotionEditor } from './promotion-editor.tsx';
import { PromotionPreview } from './promotion-preview.tsx';

type Promotion = z.output<typeof promotionViewSchema>;
type PromotionQuery = Omit<Partial<z.input<typeof promotionListQuerySchema>>, 'page' | 'pageSize'> & {
  page?: number;
  pageSize?: number;
};
const promotionPageSchema = pageOf(promotionViewSchema);
const stateColour = { scheduled: 'blue', active: 'green', ended: 'default', archived: 'default' } as const;

/** The promotions list page. */
export function PromotionsPage() {
  const { t } = useTranslation();
  const { format, can } = useSession();
  const [query, setQuery] = useState<PromotionQuery>({ page: 1, pageSize: 50 });
  const promotions = useQuery({
    queryKey: ['promotions', query],
    queryFn: () => api(promotionPageSchema, 'GET', withQuery('/promotions', query as Query)),
    placeholderData: keepPreviousData,
  });
  const [previewOpen, setPreviewOpen] = useState(false);
  // null: closed; { promotion: null }: a new one.
  const [editing, setEditing] = useState<{ promotion: Promotion | null } | null>(null);
  const promotionNames = new Map((promotions.data?.items ?? []).map((p) => [p.id, p.name]));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('promotions.title')}
      </Typography.Title>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('common.search')}
          style={{ width: 280 }}
          onSearch={(search) => setQuery((q) => ({ ...q, search: search || undefined, page: 1 }))}
        />
        <Select
          allowClear
          placeholder={t('promotions.state')}
          style={{ width: 200 }}
          options={(['scheduled', 'active', 'ended', 'archived'] as const).map((s) => ({
            value: s,
            label: t(`promotions.stateValue.${s}`),
          }))}
          onChange={(state?: PromotionQuery['state']) => setQuery((q) => ({ ...q, state, page: 1 }))}
        />
        <Button
          data-testid="export-promotions"
          onClick={() =>
            void download(withQuery('/exports/promotions.xlsx', { state: query.state, search: query.search }))
          }
        >
          {t('common.exportXlsx')}
        </Button>
        <Button onClick={() => setPreviewOpen(true)} data-testid="open-preview">
          {t('promotions.preview')}
        </Button>
        {can('promotions:write') && (
          <Button
            type="primary"
            onClick={() => setEditing({ promotion: null })}
            data-testid="create-promotion"
          >
            {t('promotions.create')}
          </Button>
        )}
      </Space>
      <Table<Promotion>
        rowKey="id"
        size="small"
        loading={promotions.isFetching}
        dataSource={promotions.data?.items ?? []}
        pagination={{ current: query.page, pageSize: query.pageSize, total: promotions.data?.total ?? 0 }}
        onChange={(p) => setQuery((q) => ({ ...q, page: p.current ?? 1, pageSize: p.pageSize ?? 50 }))}
        columns={[
          {
            title: t('promotions.name'),
            render: (_, p) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => setEditing({ promotion: p })}>
                {p.name || '—'}
              </Button>
            ),
          },
          {
            title: t('promotions.state'),
            render: (_, p) => <Tag color={stateColour[p.state]}>{t(`promotions.stateValue.${p.state}`)}</Tag>,
          },
          { title: t('promotions.priority'), dataIndex: 'priority', align: 'right' },
          {
            title: t('promotions.period'),
            render: (_, p) =>
              `${p.from ? format.dateTime(p.from) : '…'} — ${p.to ? format.dateTime(p.to) : '…'}`,
          },
        ]}
      />
      <PromotionEditor
        open={editing !== null}
        promotion={editing?.promotion ?? null}
        onClose={() => setEditing(null)}
      />
      <PromotionPreview
        open={previewOpen}
        onClose={() => setPreviewOpen(false)}
        promotionNames={promotionNames}
      />
    </Space>
  );
}
