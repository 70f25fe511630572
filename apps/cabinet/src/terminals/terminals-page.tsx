// Terminals (B1): create one for a store and show its pairing code once, issue a new code, revoke;
// the list shows last sync, receipts waiting in the outbox, dead letters and overdraft receipts.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import { namesById, useStores } from '#reference/reference-data.ts';
import {
  createTerminal,
  fetchTerminals,
  newPairingCode,
  revokeTerminal,
  type Terminal,
  type TerminalQuery,
  type TerminalWithCode,
} from './terminal-api.ts';

type Sort = 'name' | 'createdAt' | 'lastSyncAt';

/** The terminals table page. */
export function TerminalsPage() {
  const { t } = useTranslation();
  const { format, can } = useSession();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const stores = useStores();
  const storeNames = namesById(stores.data);
  const [query, setQuery] = useState<TerminalQuery & { sort: Sort }>({
    page: 1,
    pageSize: 50,
    sort: 'name',
    order: 'asc',
  });
  const terminals = useQuery({
    queryKey: ['terminals', query],
    queryFn: () => fetchTerminals(query),
    placeholderData: keepPreviousData,
    // Sync state moves while the page is open.
    refetchInterval: 30_000,
  });
  const [creating, setCreating] = useState(false);
  const [shownCode, setShownCode] = useState<TerminalWithCode | null>(null);
  const [form] = Form.useForm<{ storeId: string; name: string }>();
  const reload = () => queryClient.invalidateQueries({ queryKey: ['terminals'] });
  const onError = (error: Error) => void message.error(error.message);

  const create = useMutation({
    mutationFn: createTerminal,
    onSuccess: (terminal) => {
      setCreating(false);
      form.resetFields();
      setShownCode(terminal);
      void reload();
    },
  });
  const code = useMutation({
    mutationFn: newPairingCode,
    onSuccess: (t) => (setShownCode(t), void reload()),
    onError,
  });
  const revoke = useMutation({ mutationFn: revokeTerminal, onSuccess: () => void reload(), onError });
  const manage = can('terminals:manage');

  const sortOrder = (key: Sort) =>
    query.sort === key ? (query.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('terminals.title')}
        </Typography.Title>
        {manage && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="create-terminal">
            {t('terminals.create')}
          </Button>
        )}
      </Space>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('terminals.store')}
          style={{ width: 280 }}
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange={(storeId?: string) => setQuery((q) => ({ ...q, storeId, page: 1 }))}
        />
        <ExportButton path="/exports/terminals.xlsx" query={query} data-testid="export-terminals" />
      </Space>
      <Table<Terminal>
        rowKey="id"
        size="small"
        data-testid="terminals-table"
        loading={terminals.isFetching}
        dataSource={terminals.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: query.page, pageSize: query.pageSize, total: terminals.data?.total ?? 0 }}
        onChange={(p, _f, sorter) => {
          const s = sorter as SorterResult<Terminal>;
          const key = (s.order ? s.columnKey : 'name') as Sort;
          setQuery((q) => ({
            ...q,
            page: p.current ?? 1,
            pageSize: p.pageSize ?? 50,
            sort: key,
            order: s.order === 'descend' ? 'desc' : 'asc',
          }));
        }}
        columns={[
          {
            title: t('terminals.name'),
            key: 'name',
            dataIndex: 'name',
            sorter: true,
            sortOrder: sortOrder('name'),
          },
          { title: t('terminals.store'), render: (_, r) => storeNames.get(r.storeId) ?? '—' },
          {
            title: t('terminals.status'),
            render: (_, r) =>
              r.status === 'revoked' ? (
                <Tag color="red">{t('terminals.statusValue.revoked')}</Tag>
              ) : r.pairedAt ? (
                <Tag color="green">{t('terminals.statusValue.active')}</Tag>
              ) : (
                <Tag color="gold">
                  {r.pairingPending ? t('terminals.pairingPending') : t('terminals.notPaired')}
                </Tag>
              ),
          },
          { title: t('terminals.device'), render: (_, r) => r.deviceName ?? '—' },
          {
            title: t('terminals.lastSync'),
            key: 'lastSyncAt',
            sorter: true,
            sortOrder: sortOrder('lastSyncAt'),
            render: (_, r) => (r.lastSyncAt ? format.dateTime(r.lastSyncAt) : t('terminals.never')),
          },
          { title: t('terminals.pendingOps'), align: 'right', render: (_, r) => format.count(r.pendingOps) },
          {
            title: t('terminals.deadLetters'),
            align: 'right',
            render: (_, r) => <Badge count={r.deadLetters} showZero color={r.deadLetters ? 'red' : 'gray'} />,
          },
          {
            title: t('terminals.overdrafts'),
            align: 'right',
            render: (_, r) => (
              <Badge count={r.overdraftReceipts} showZero color={r.overdraftReceipts ? 'orange' : 'gray'} />
            ),
          },
          {
            title: t('common.actions'),
            render: (_, r) =>
              manage && r.status === 'active' ? (
                <Space>
                  <Button size="small" onClick={() => code.mutate(r.id)}>
                    {t('terminals.newCode')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() => {
                      // The confirm handle is thenable; nothing waits for it here.
                      void modal.confirm({
                        title: t('terminals.revokeConfirm'),
                        onOk: () => revoke.mutateAsync(r.id).then(() => undefined),
                      });
                    }}
                  >
                    {t('terminals.revoke')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('terminals.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'create-terminal-ok' }}
        confirmLoading={create.isPending}
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="storeId"
            label={t('terminals.store')}
            rules={[{ required: true, message: t('terminals.storeRequired') }]}
          >
            <Select
              data-testid="terminal-store"
              options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('terminals.name')}
            rules={[{ required: true, message: t('terminals.nameRequired') }]}
          >
            <Input data-testid="terminal-name" />
          </Form.Item>
          {create.isError && <Alert type="error" title={create.error.message} showIcon />}
        </Form>
      </Modal>
      <Modal
        open={shownCode !== null}
        title={t('terminals.codeTitle')}
        onCancel={() => setShownCode(null)}
        footer={
          <Button data-testid="close-pairing-code" onClick={() => setShownCode(null)}>
            {t('common.close')}
          </Button>
        }
      >
        {shownCode && (
          <Space orientation="vertical">
            <Typography.Text>
              {t('terminals.codeText', { until: format.dateTime(shownCode.pairingCodeExpiresAt) })}
            </Typography.Text>
            <Typography.Title
              level={2}
              copyable
              data-testid="pairing-code"
              style={{ fontFamily: 'monospace' }}
            >
              {shownCode.pairingCode}
            </Typography.Title>
          </Space>
        )}
      </Modal>
    </Space>
  );
}
