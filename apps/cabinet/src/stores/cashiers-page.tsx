// Cashiers (C11): the terminal's access codes. A code is shown once, when the cashier is created
// or the code reset; the server keeps only its hash. Writes (add, edit name, role and store, new code,
// archive) need stores:write.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import { namesById, useStores } from '#reference/reference-data.ts';
import {
  archiveCashier,
  createCashier,
  fetchCashiers,
  resetCashierCode,
  updateCashier,
  type Cashier,
  type CashierQuery,
  type CashierWithCode,
} from './store-api.ts';

type Sort = 'name' | 'role' | 'createdAt';
type Role = 'cashier' | 'senior';
type CashierForm = { name: string; role: Role; storeId?: string; code?: string };

/** The cashiers table page. */
export function CashiersPage() {
  const { t } = useTranslation();
  const { can, format } = useSession();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const stores = useStores();
  const storeNames = namesById(stores.data);
  const storeOptions = (stores.data ?? [])
    .filter((s) => !s.archivedAt)
    .map((s) => ({ value: s.id, label: s.name }));
  const [query, setQuery] = useState<CashierQuery & { sort: Sort }>({
    page: 1,
    pageSize: 50,
    sort: 'name',
    order: 'asc',
    state: 'active',
  });
  const cashiers = useQuery({
    queryKey: ['cashiers', query],
    queryFn: () => fetchCashiers(query),
    placeholderData: keepPreviousData,
  });
  // The dialog adds a cashier (`'new'`) or edits the one given; null when closed.
  const [editing, setEditing] = useState<Cashier | 'new' | null>(null);
  const [shown, setShown] = useState<CashierWithCode | null>(null);
  const [form] = Form.useForm<CashierForm>();
  const reload = () => queryClient.invalidateQueries({ queryKey: ['cashiers'] });
  const onError = (error: Error) => void message.error(error.message);
  const write = can('stores:write');

  const create = useMutation({
    mutationFn: (v: CashierForm) =>
      createCashier({
        name: v.name,
        role: v.role,
        storeId: v.storeId ?? null,
        ...(v.code ? { code: v.code } : {}),
      }),
    onSuccess: (cashier) => {
      setEditing(null);
      form.resetFields();
      setShown(cashier);
      void reload();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, v }: { id: string; v: CashierForm }) =>
      updateCashier(id, { name: v.name, role: v.role, storeId: v.storeId ?? null }),
    onSuccess: () => {
      setEditing(null);
      form.resetFields();
      void reload();
    },
  });
  const save = editing !== null && editing !== 'new' ? update : create;
  const openEditor = (cashier: Cashier | 'new') => {
    create.reset();
    update.reset();
    form.resetFields();
    if (cashier !== 'new')
      form.setFieldsValue({ name: cashier.name, role: cashier.role, storeId: cashier.storeId ?? undefined });
    setEditing(cashier);
  };
  const reset = useMutation({ mutationFn: resetCashierCode, onSuccess: (c) => setShown(c), onError });
  const archive = useMutation({ mutationFn: archiveCashier, onSuccess: () => void reload(), onError });

  const sortOrder = (key: Sort) =>
    query.sort === key ? (query.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null;
  const filter = (patch: Omit<CashierQuery, 'sort'>) => setQuery((q) => ({ ...q, ...patch, page: 1 }));
  const roleOptions = (['cashier', 'senior'] as const).map((r) => ({
    value: r,
    label: t(`cashiers.role.${r}`),
  }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('cashiers.title')}
        </Typography.Title>
        {write && (
          <Button type="primary" onClick={() => openEditor('new')} data-testid="create-cashier">
            {t('cashiers.create')}
          </Button>
        )}
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('cashiers.searchPlaceholder')}
          style={{ width: 260 }}
          onSearch={(search) => filter({ search: search || undefined })}
        />
        <Select
          allowClear
          placeholder={t('cashiers.store')}
          style={{ width: 240 }}
          options={storeOptions}
          onChange={(storeId?: string) => filter({ storeId })}
        />
        <Select
          allowClear
          placeholder={t('cashiers.roleLabel')}
          style={{ width: 180 }}
          options={roleOptions}
          onChange={(role?: Role) => filter({ role })}
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
        <ExportButton path="/exports/cashiers.xlsx" query={query} data-testid="export-cashiers" />
      </Space>
      <Table<Cashier>
        rowKey="id"
        size="small"
        data-testid="cashiers-table"
        loading={cashiers.isFetching}
        dataSource={cashiers.data?.items ?? []}
        pagination={{ current: query.page, pageSize: query.pageSize, total: cashiers.data?.total ?? 0 }}
        onChange={(p, _f, sorter) => {
          const s = sorter as SorterResult<Cashier>;
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
            title: t('cashiers.name'),
            key: 'name',
            dataIndex: 'name',
            sorter: true,
            sortOrder: sortOrder('name'),
          },
          {
            title: t('cashiers.roleLabel'),
            key: 'role',
            sorter: true,
            sortOrder: sortOrder('role'),
            render: (_, r) => t(`cashiers.role.${r.role}`),
          },
          {
            title: t('cashiers.store'),
            render: (_, r) => (r.storeId ? (storeNames.get(r.storeId) ?? '—') : t('cashiers.anyStore')),
          },
          {
            title: t('cashiers.createdAt'),
            key: 'createdAt',
            sorter: true,
            sortOrder: sortOrder('createdAt'),
            render: (_, r) => format.dateTime(r.createdAt),
          },
          {
            title: t('common.actions'),
            render: (_, r) =>
              r.archivedAt ? (
                <Tag>{t('common.state.archived')}</Tag>
              ) : write ? (
                <Space>
                  <Button size="small" onClick={() => openEditor(r)}>
                    {t('common.edit')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => {
                      void modal.confirm({
                        title: t('cashiers.resetConfirm', { name: r.name }),
                        onOk: () => reset.mutateAsync(r.id).then(() => undefined),
                      });
                    }}
                  >
                    {t('cashiers.resetCode')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() => {
                      void modal.confirm({
                        title: t('cashiers.archiveConfirm', { name: r.name }),
                        onOk: () => archive.mutateAsync(r.id),
                      });
                    }}
                  >
                    {t('common.archive')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('cashiers.create') : t('cashiers.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'cashier-save' }}
        confirmLoading={save.isPending}
        forceRender
      >
        <Form
          form={form}
          name="cashier"
          layout="vertical"
          initialValues={{ role: 'cashier' }}
          onFinish={(v) =>
            editing !== null && editing !== 'new' ? update.mutate({ id: editing.id, v }) : create.mutate(v)
          }
        >
          <Form.Item name="name" label={t('cashiers.name')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label={t('cashiers.roleLabel')}>
            <Select options={roleOptions} />
          </Form.Item>
          <Form.Item name="storeId" label={t('cashiers.store')} extra={t('cashiers.anyStoreHint')}>
            <Select allowClear options={storeOptions} />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item
              name="code"
              label={t('cashiers.code')}
              extra={t('cashiers.codeHint')}
              rules={[{ pattern: /^\d{4,12}$/, message: t('cashiers.codeInvalid') }]}
            >
              <Input inputMode="numeric" />
            </Form.Item>
          )}
          {save.isError && <Alert type="error" title={save.error.message} showIcon />}
        </Form>
      </Modal>
      <Modal
        open={shown !== null}
        title={t('cashiers.codeTitle')}
        onCancel={() => setShown(null)}
        footer={
          <Button data-testid="close-cashier-code" onClick={() => setShown(null)}>
            {t('common.close')}
          </Button>
        }
      >
        {shown && (
          <Space orientation="vertical">
            <Typography.Text>{t('cashiers.codeText', { name: shown.name })}</Typography.Text>
            <Typography.Title
              level={2}
              copyable
              data-testid="cashier-code"
              style={{ fontFamily: 'monospace' }}
            >
              {shown.code}
            </Typography.Title>
          </Space>
        )}
      </Modal>
    </Space>
  );
}
