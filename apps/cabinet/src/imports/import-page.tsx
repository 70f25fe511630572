// The import wizard (B5): pick what to import, choose a CSV or XLSX, map its columns to the
// kind's fields (the server reads the headers and first rows and proposes the mapping its headers
// give; every column can be reassigned or skipped by hand), check it (a dry run writes nothing)
// and import it with a progress bar. An import is all or nothing: a file with bad rows shows the
// per-row report and the assurance that nothing was written.
import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Collapse,
  Progress,
  Radio,
  Result,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  importColumns,
  importKindSchema,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  type ImportColumn,
  type ImportKind,
} from '@loyalty/protocol/api/import-export.schema';
import { useSession } from '#auth/session-context.tsx';
import {
  downloadReport,
  importPermissions,
  previewImport,
  rejectionOf,
  runImport,
  type ColumnMapping,
  type ImportPreview,
  type ImportRejection,
  type ImportResult,
} from './import-api.ts';

type Phase = 'idle' | 'checking' | 'importing';
type ImportError = ImportRejection['errors'][number];

/** The import wizard page. */
export function ImportPage() {
  const { t } = useTranslation();
  const { can, format } = useSession();
  const kinds = importKindSchema.options.filter((k) => importPermissions[k].every((p) => can(p)));
  const [kind, setKind] = useState<ImportKind>(kinds[0] ?? 'buyers');
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState(0);
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [rejection, setRejection] = useState<ImportRejection | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>([]);
  const [reading, setReading] = useState(false);

  /** Reads the chosen file for the kind: its headers, first rows and the proposed mapping. */
  const loadPreview = async (forKind: ImportKind, chosen: File | null) => {
    setPreview(null);
    setMapping([]);
    if (!chosen) return;
    setReading(true);
    try {
      const read = await previewImport(forKind, chosen);
      setPreview(read);
      setMapping(read.mapping);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setReading(false);
    }
  };
  const missing = (preview?.fields ?? []).filter((f) => f.required && !mapping.includes(f.field));

  const clearOutcome = () => {
    setChecked(null);
    setImported(null);
    setRejection(null);
    setFailure(null);
    setProgress(0);
  };

  const start = async (dryRun: boolean) => {
    if (!file) return;
    clearOutcome();
    setPhase(dryRun ? 'checking' : 'importing');
    try {
      const result = await runImport(kind, file, dryRun, mapping, (share) =>
        setProgress(Math.round(share * 95)),
      );
      setProgress(100);
      if (dryRun) setChecked(result);
      else setImported(result);
    } catch (error) {
      const report = rejectionOf(error);
      if (report) setRejection(report);
      else setFailure((error as Error).message);
    } finally {
      setPhase('idle');
    }
  };

  const busy = phase !== 'idle' || reading;
  const ready = preview !== null && missing.length === 0;
  const step = imported ? 4 : checked || rejection ? 3 : preview ? 2 : file ? 1 : 0;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('imports.title')}
      </Typography.Title>
      <Steps
        current={step}
        status={rejection ? 'error' : 'process'}
        items={[
          { title: t('imports.steps.kind') },
          { title: t('imports.steps.file') },
          { title: t('importsEditor.step') },
          { title: t('imports.steps.check') },
          { title: t('imports.steps.import') },
        ]}
      />
      <Card size="small">
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Radio.Group
            data-testid="import-kind"
            value={kind}
            disabled={busy}
            optionType="button"
            onChange={(e) => {
              const next = e.target.value as ImportKind;
              setKind(next);
              clearOutcome();
              // Another kind reads other fields: map the same file again.
              void loadPreview(next, file);
            }}
            options={kinds.map((k) => ({ value: k, label: t(`imports.kind.${k}`) }))}
          />
          <Collapse
            size="small"
            items={[
              {
                key: 'columns',
                label: t('imports.columnsHint'),
                children: <ColumnsHint columns={importColumns[kind]} />,
              },
            ]}
          />
          <Upload.Dragger
            accept=".csv,.xlsx"
            maxCount={1}
            disabled={busy}
            data-testid="import-file"
            beforeUpload={(chosen) => {
              setFile(chosen);
              clearOutcome();
              // Only the preview reads it now; nothing is written until the user imports.
              void loadPreview(kind, chosen);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              clearOutcome();
              void loadPreview(kind, null);
            }}
            fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('imports.drop')}</p>
            <p className="ant-upload-hint">
              {t('imports.limits', {
                megabytes: MAX_IMPORT_BYTES / 1024 / 1024,
                rows: format.count(MAX_IMPORT_ROWS),
              })}
            </p>
          </Upload.Dragger>
          {reading && <Alert type="info" showIcon title={t('importsEditor.reading')} />}
          {preview && (
            <ColumnMapper
              preview={preview}
              mapping={mapping}
              disabled={busy}
              onChange={(next) => {
                setMapping(next);
                clearOutcome();
              }}
            />
          )}
          {preview && missing.length > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="import-missing"
              title={t('importsEditor.missing', { fields: missing.map((f) => f.title).join(', ') })}
            />
          )}
          <Space>
            <Button
              disabled={!file || busy || !ready}
              loading={phase === 'checking'}
              onClick={() => void start(true)}
              data-testid="import-check"
            >
              {t('imports.check')}
            </Button>
            <Button
              type="primary"
              disabled={!file || busy || !ready}
              loading={phase === 'importing'}
              onClick={() => void start(false)}
              data-testid="import-run"
            >
              {t('imports.run')}
            </Button>
          </Space>
          {busy && (
            <Progress
              data-testid="import-progress"
              percent={progress}
              status="active"
              format={(p) => (p !== undefined && p >= 95 ? t('imports.processing') : `${p ?? 0} %`)}
            />
          )}
        </Space>
      </Card>
      {failure && <Alert type="error" showIcon title={failure} />}
      {checked && (
        <Alert
          type="success"
          showIcon
          data-testid="import-checked"
          title={t('imports.checked', { rows: format.count(checked.rows) })}
        />
      )}
      {imported && (
        <Result
          status="success"
          data-testid="import-done"
          title={t('imports.done', { imported: format.count(imported.imported) })}
          extra={
            <Button onClick={() => (setFile(null), clearOutcome(), void loadPreview(kind, null))}>
              {t('imports.another')}
            </Button>
          }
        />
      )}
      {rejection && <RejectionReport rejection={rejection} />}
    </Space>
  );
}

/** The file's columns against the kind's fields: one field (or none) per column, each field once. */
function ColumnMapper(props: {
  preview: ImportPreview;
  mapping: ColumnMapping;
  disabled: boolean;
  onChange: (mapping: ColumnMapping) => void;
}) {
  const { t } = useTranslation();
  const { format } = useSession();
  const { preview, mapping } = props;
  const used = new Set(mapping.filter((f): f is string => f !== null));
  const rows = preview.headers.map((header, index) => ({ header, index }));
  return (
    <Card size="small" title={t('importsEditor.title')} data-testid="import-mapping">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('importsEditor.hint')} {t('importsEditor.rows', { rows: format.count(preview.rows) })}
        </Typography.Text>
        <Table<(typeof rows)[number]>
          rowKey="index"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            {
              title: t('importsEditor.fileColumn'),
              render: (_, r) => (
                <Typography.Text strong>
                  {r.header ||
                    `${t('importsEditor.column', { n: r.index + 1 })} ${t('importsEditor.noHeader')}`}
                </Typography.Text>
              ),
            },
            {
              title: t('importsEditor.sample'),
              render: (_, r) => (
                <Typography.Text type="secondary">
                  {preview.sample
                    .slice(0, 3)
                    .map((cells) => cells[r.index] ?? '')
                    .filter((cell) => cell !== '')
                    .join(' · ')}
                </Typography.Text>
              ),
            },
            {
              title: t('importsEditor.field'),
              width: 300,
              render: (_, r) => (
                <Select<string>
                  style={{ width: '100%' }}
                  data-testid={`import-map-${r.index}`}
                  disabled={props.disabled}
                  value={mapping[r.index] ?? ''}
                  showSearch={{ optionFilterProp: 'label' }}
                  onChange={(field) =>
                    props.onChange(
                      preview.headers.map((_, i) => (i === r.index ? field || null : (mapping[i] ?? null))),
                    )
                  }
                  options={[
                    { value: '', label: t('importsEditor.skip') },
                    ...preview.fields.map((f) => ({
                      value: f.field,
                      label: f.required ? `${f.title} *` : f.title,
                      // A field takes one column: the others offer it only once it is free.
                      disabled: used.has(f.field) && mapping[r.index] !== f.field,
                    })),
                  ]}
                />
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}

/** The columns a kind reads, as the server's contract lists them. */
function ColumnsHint({ columns }: { columns: readonly ImportColumn[] }) {
  const { t } = useTranslation();
  return (
    <Table<ImportColumn>
      rowKey="field"
      size="small"
      pagination={false}
      dataSource={[...columns]}
      columns={[
        {
          title: t('imports.column'),
          render: (_, c) => (
            <Space>
              <Typography.Text strong>{c.title}</Typography.Text>
              {c.required && <Tag color="red">{t('imports.required')}</Tag>}
            </Space>
          ),
        },
        { title: t('imports.aliases'), render: (_, c) => c.aliases.join(', ') },
        { title: t('imports.note'), dataIndex: 'note' },
      ]}
    />
  );
}

/** The per-row problems of a rejected file, and the full report as XLSX. */
function RejectionReport({ rejection }: { rejection: ImportRejection }) {
  const { t } = useTranslation();
  const { format } = useSession();
  return (
    <Card size="small" data-testid="import-report">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert
          type="error"
          showIcon
          title={t('imports.rejected', { count: rejection.errorCount })}
          description={t('imports.nothingImported')}
          action={
            <Button size="small" onClick={() => void downloadReport(rejection.reportId)}>
              {t('imports.downloadReport')}
            </Button>
          }
        />
        {rejection.errorCount > rejection.errors.length && (
          <Typography.Text type="secondary">
            {t('imports.firstErrors', {
              shown: format.count(rejection.errors.length),
              total: format.count(rejection.errorCount),
            })}
          </Typography.Text>
        )}
        <Table<ImportError>
          rowKey={(e) => `${e.row}:${e.column ?? ''}:${e.code}`}
          size="small"
          data-testid="import-errors"
          dataSource={rejection.errors}
          // The server's first problems only (the rest are in the XLSX report): nothing to page.
          pagination={false}
          scroll={{ y: 480 }}
          columns={[
            { title: t('imports.row'), dataIndex: 'row', width: 90 },
            { title: t('imports.column'), render: (_, e) => e.column ?? '—', width: 200 },
            { title: t('imports.error'), dataIndex: 'message' },
          ]}
        />
      </Space>
    </Card>
  );
}
