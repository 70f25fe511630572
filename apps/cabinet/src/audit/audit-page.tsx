// The audit log (C10): who changed what and when, newest first, paged and filtered by the server;
// a row opens on the values before and after the change, side by side.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Input, Row, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import { fetchUsers } from '#users/user-api.ts';
import { dayStartIn, fetchAudit, type AuditEntry, type AuditQuery } from './audit-api.ts';

const DAY = 'YYYY-MM-DD';

/** A value as indented JSON, or a dash when there is none. */
const json = (value: unknown) =>
  value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);

/** Before and after of one entry, side by side. */
function Change({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const side = (title: string, value: unknown, testId: string) => (
    <Col xs={24} md={12}>
      <Card size="small" title={title}>
        <pre data-testid={testId} style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {json(value)}
        </pre>
      </Card>
    </Col>
  );
  return (
    <Row gutter={16}>
      {side(t('audit.before'), entry.before, 'audit-before')}
      {side(t('audit.after'), entry.after, 'audit-after')}
    </Row>
  );
}

/** The audit log page. */
export function AuditPage() {
  const { t } = useTranslation();
  const { format, session, can } = useSession();
  const timeZone = session.merchant.timeZone;
  const [query, setQuery] = useState<AuditQuery>({ page: 1, pageSize: 50 });
  const [period, setPeriod] = useState<[string, string] | null>(null);
  const entries = useQuery({
    queryKey: ['audit', query],
    queryFn: () => fetchAudit(query),
    placeholderData: keepPreviousData,
  });
  // Names for user ids, when the role may list users (owner and admin may).
  const users = useQuery({ queryKey: ['users'], queryFn: fetchUsers, enabled: can('users:manage') });
  const filter = (patch: AuditQuery) => setQuery((q) => ({ ...q, ...patch, page: 1 }));

  const who = (entry: AuditEntry) => {
    const type = t(`audit.actorType.${entry.actorType}`, { defaultValue: entry.actorType });
    if (entry.actorType === 'user') {
      const user = users.data?.find((u) => u.id === entry.actorId);
      if (user) return `${type}: ${user.name || user.email}`;
    }
    return entry.actorId ? `${type}: ${entry.actorId}` : type;
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('audit.title')}
      </Typography.Title>
      <Space wrap>
        <Input.Search
          allowClear
          data-testid="audit-entity"
          placeholder={t('audit.entityPlaceholder')}
          style={{ width: 220 }}
          onSearch={(entity) => filter({ entity: entity.trim() || undefined })}
        />
        <Input.Search
          allowClear
          data-testid="audit-action"
          placeholder={t('audit.actionPlaceholder')}
          style={{ width: 240 }}
          onSearch={(action) => filter({ action: action.trim() || undefined })}
        />
        <DatePicker.RangePicker
          placeholder={[t('common.from'), t('common.to')]}
          value={period ? [dayjs(period[0]), dayjs(period[1])] : null}
          onChange={(value: [Dayjs | null, Dayjs | null] | null) => {
            const from = value?.[0]?.format(DAY);
            const to = value?.[1]?.format(DAY);
            if (from && to) {
              setPeriod([from, to]);
              // Merchant days: from the first day's start to the start of the day after the last.
              const next = dayjs(to).add(1, 'day').format(DAY);
              filter({ from: dayStartIn(from, timeZone), to: dayStartIn(next, timeZone) });
            } else {
              setPeriod(null);
              filter({ from: undefined, to: undefined });
            }
          }}
        />
        <ExportButton path="/exports/audit-log.xlsx" query={query} data-testid="export-audit" />
      </Space>
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        data-testid="audit-table"
        loading={entries.isFetching}
        dataSource={entries.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: entries.data?.total ?? 0,
          showTotal: (count) => t('common.total', { count }),
        }}
        onChange={(p) => setQuery((q) => ({ ...q, page: p.current ?? 1, pageSize: p.pageSize ?? 50 }))}
        expandable={{ expandedRowRender: (entry) => <Change entry={entry} /> }}
        columns={[
          { title: t('audit.time'), key: 'createdAt', render: (_, r) => format.dateTime(r.createdAt) },
          { title: t('audit.who'), key: 'who', render: (_, r) => who(r) },
          { title: t('audit.action'), key: 'action', render: (_, r) => <Tag>{r.action}</Tag> },
          { title: t('audit.entity'), dataIndex: 'entity' },
          { title: t('audit.entityId'), key: 'entityId', render: (_, r) => r.entityId ?? '—' },
        ]}
      />
    </Space>
  );
}
