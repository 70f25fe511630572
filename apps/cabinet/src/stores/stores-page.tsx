// Stores (C11) with their attributes: format, cluster, city and free keys that promotions target.
// The table pages, sorts and filters on the server; writes need stores:write.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import {
  archiveStore,
  createStore,
  fetchStores,
  updateStore,
  type Store,
  type StoreQuery,
} from './store-api.ts';

type Sort = 'name' | 'format' | 'cluster' | 'city' | 'createdAt';
const KNOWN = ['format', 'cluster', 'city'] as const;

type StoreForm = {
  name: string;
  address?: string;
  format?: string;
  cluster?: string;
  city?: string;
  extra?: { key?: string; value?: string }[];
};

/** Form values from a store (free attributes become key/value rows). */
function formOf(store: Store): StoreForm {
  const { format, cluster, city, ...rest } = store.attributes;
  return {
    name: store.name,
    address: store.address,
    format,
    cluster,
    city,
    extra: Object.entries(rest).map(([key, value]) => ({ key, value })),
  };
}

/** The attributes a form sends: known keys and free rows, empty values left out. */
function attributesOf(values: StoreForm): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = values[key]?.trim();
    if (value) attributes[key] = value;
  }
  for (const row of values.extra ?? []) {
    const key = row.key?.trim();
    const value = row.value?.trim();
    if (key && value) attributes[key] = value;
  }
  return attributes;
}

/** The stores table page. */
export function StoresPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState<StoreQuery & { sort: Sort }>({
    page: 1,
    pageSize: 50,
    sort: 'name',
    order: 'asc',
    state: 'active',
  });
  const stores = useQuery({
    queryKey: ['stores', 'page', query],
    queryFn: () => fetchStores(query),
    placeholderData: keepPreviousData,
  });
  // null: closed; 'new': creating; a store: editing it.
  const [editing, setEditing] = useState<Store | 'new' | null>(null);
  const [form] = Form.useForm<StoreForm>();
  // Every store list, the reference one of the selects included.
  const reload = () => queryClient.invalidateQueries({ queryKey: ['stores'] });
  const write = can('stores:write');

  const save = useMutation({
    mutationFn: (values: StoreForm) => {
      const body = {
        name: values.name,
        address: values.address ?? '',
        attributes: attributesOf(values),
      };
      return editing === 'new' || editing === null ? createStore(body) : updateStore(editing.id, body);
    },
    onSuccess: () => {
      setEditing(null);
      void message.success(t('common.saved'));
      void reload();
    },
  });
  const archive = useMutation({
    mutationFn: archiveStore,
    onSuccess: () => void reload(),
    onError: (error: Error) => void message.error(error.message),
  });

  const open = (store: Store | 'new') => {
    save.reset();
    form.resetFields();
    if (store !== 'new') form.setFieldsValue(formOf(store));
    setEditing(store);
  };
  const sortOrder = (key: Sort) =>
    query.sort === key ? (query.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null;
  const filter = (patch: Omit<StoreQuery, 'sort'>) => setQuery((q) => ({ ...q, ...patch, page: 1 }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('stores.title')}
        </Typography.Title>
        {write && (
          <Button type="primary" onClick={() => open('new')} data-testid="create-store">
            {t('stores.create')}
          </Button>
        )}
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('stores.searchPlaceholder')}
          style={{ width: 260 }}
          onSearch={(search) => filter({ search: search || undefined })}
        />
        <Input.Search
          allowClear
          placeholder={t('stores.city')}
          style={{ width: 180 }}
          onSearch={(city) => filter({ city: city || undefined })}
        />
        <Input.Search
          allowClear
          placeholder={t('stores.format')}
          style={{ width: 180 }}
          onSearch={(format) => filter({ format: format || undefined })}
        />
        <Select
          value={query.state}
          style={{ width: 160 }}
          onChange={(state: 'active' | 'archived' | 'all') => filter({ state })}
          options={(['active', 'archived', 'all'] as const).map((s) => ({
            value: s,
            label: t(`common.state.${s}`),
          }))}
        />
        <ExportButton path="/exports/stores.xlsx" query={query} data-testid="export-stores" />
      </Space>
      <Table<Store>
        rowKey="id"
        size="small"
        data-testid="stores-table"
        loading={stores.isFetching}
        dataSource={stores.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: query.page, pageSize: query.pageSize, total: stores.data?.total ?? 0 }}
        onChange={(p, _f, sorter) => {
          const s = sorter as SorterResult<Store>;
          setQuery((q) => ({
            ...q,
            page: p.current ?? 1,
            pageSize: p.pageSize ?? 50,
            sort: (s.order ? s.columnKey : 'name') as Sort,
            order: s.order === 'descend' ? 'desc' : 'asc',
          }));
        }}
        columns={[
          {
            title: t('stores.name'),
            key: 'name',
            dataIndex: 'name',
            sorter: true,
            sortOrder: sortOrder('name'),
          },
          { title: t('stores.address'), dataIndex: 'address' },
          ...KNOWN.map((key) => ({
            title: t(`stores.${key}`),
            key,
            sorter: true,
            sortOrder: sortOrder(key),
            render: (_: unknown, r: Store) => r.attributes[key] ?? '—',
          })),
          {
            title: t('stores.otherAttributes'),
            render: (_, r) =>
              Object.entries(r.attributes)
                .filter(([key]) => !(KNOWN as readonly string[]).includes(key))
                .map(([key, value]) => <Tag key={key}>{`${key}: ${value}`}</Tag>),
          },
          {
            title: t('common.actions'),
            render: (_, r) =>
              write && !r.archivedAt ? (
                <Space>
                  <Button size="small" onClick={() => open(r)}>
                    {t('common.edit')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() => {
                      void modal.confirm({
                        title: t('stores.archiveConfirm', { name: r.name }),
                        onOk: () => archive.mutateAsync(r.id),
                      });
                    }}
                  >
                    {t('common.archive')}
                  </Button>
                </Space>
              ) : r.archivedAt ? (
                <Tag>{t('common.state.archived')}</Tag>
              ) : null,
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('stores.create') : t('stores.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'store-save' }}
        confirmLoading={save.isPending}
        forceRender
      >
        <Form form={form} name="store" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('stores.name')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="address" label={t('stores.address')}>
            <Input />
          </Form.Item>
          <Space wrap>
            {KNOWN.map((key) => (
              <Form.Item key={key} name={key} label={t(`stores.${key}`)}>
                <Input />
              </Form.Item>
            ))}
          </Space>
          <Typography.Text type="secondary">{t('stores.otherAttributes')}</Typography.Text>
          <Form.List name="extra">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'key']} rules={[{ required: true }]}>
                      <Input placeholder={t('stores.attributeKey')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'value']} rules={[{ required: true }]}>
                      <Input placeholder={t('stores.attributeValue')} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} block>
                  {t('stores.addAttribute')}
                </Button>
              </>
            )}
          </Form.List>
          {save.isError && (
            <Alert type="error" title={save.error.message} showIcon style={{ marginTop: 16 }} />
          )}
        </Form>
      </Modal>
    </Space>
  );
}
