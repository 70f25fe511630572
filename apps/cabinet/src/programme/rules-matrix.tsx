// The rules matrix (C3): rows are "all categories" (each card type's default), the top-level
// categories and any subcategory with a rule of its own or added from the tree select, columns
// the card types. A cell without its own rule inherits the default; editing
// a cell replaces the whole rule set in one PUT (the server validates the resulting snapshot).
// A cell edits every field of the engine's rule: every accrual kind (percent, per amount,
// progressive), what the accrual is counted on and how its points are rounded, payment with points,
// every expiry (never, after N days, on fixed dates), activation and discount. The server's issues
// land on the field they name (rule-issues.ts).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, InputNumber, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { points } from '@loyalty/core/money/money';
import { api, isApiFailure } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { CategoryTreeSelect, useCategoryTree, type CategoryNode } from '#reference/category-tree.tsx';
import { useProgramme } from '#reference/reference-data.ts';
import { AccrualFields, accrualFromForm, accrualToForm, type AccrualForm } from './accrual-fields.tsx';
import { ruleIssues } from './rule-issues.ts';
import { ruleSummary, type RuleBody } from './rule-summary.ts';

type Cell = { cardTypeId: string; categoryId: string | null };

/**
 * The matrix rows in tree order: every top-level category, and each deeper one that has a rule of
 * its own or was added by hand, named by its path (a subcategory inherits its parent's cells).
 */
export function matrixRows(
  tree: readonly CategoryNode[] | undefined,
  shown: ReadonlySet<string>,
): Array<{ key: string; id: string; name: string }> {
  const rows: Array<{ key: string; id: string; name: string }> = [];
  const walk = (nodes: readonly CategoryNode[], prefix: string, depth: number) => {
    for (const node of nodes) {
      const path = prefix ? `${prefix} / ${node.name}` : node.name;
      if (depth === 0 || shown.has(node.id)) rows.push({ key: node.id, id: node.id, name: path });
      walk(node.children, path, depth + 1);
    }
  };
  walk(tree ?? [], '', 0);
  return rows;
}
/** The editor's fields: percents as typed (%), points as typed, days, dates "MM-DD". */
type CellForm = {
  accrual: AccrualForm;
  accrualBase: RuleBody['accrualBase'];
  rounding: RuleBody['rounding'];
  paymentKind: 'forbidden' | 'up_to';
  paymentPercent?: number;
  minPoints?: number;
  expiryKind: 'never' | 'days' | 'fixed_dates';
  expiryDays?: number;
  expiryDates?: string[];
  activationDays?: number;
  discountPercent?: number;
};

const toForm = (rule: RuleBody): CellForm => ({
  accrual: accrualToForm(rule.accrual),
  accrualBase: rule.accrualBase,
  rounding: rule.rounding,
  paymentKind: rule.payment.kind,
  paymentPercent: rule.payment.kind === 'up_to' ? rule.payment.percent / 100 : 0,
  minPoints: rule.payment.kind === 'up_to' ? rule.payment.minPoints / 100 : 0,
  expiryKind: rule.expiry.kind,
  expiryDays: rule.expiry.kind === 'days' ? rule.expiry.days : 365,
  expiryDates: rule.expiry.kind === 'fixed_dates' ? [...rule.expiry.dates] : [],
  activationDays: rule.activation.kind === 'after_days' ? rule.activation.days : 0,
  discountPercent: rule.discountPercent / 100,
});

const basis = (percent: number | undefined) => Math.round((percent ?? 0) * 100);

const expiryOf = (v: CellForm): RuleBody['expiry'] =>
  v.expiryKind === 'never'
    ? { kind: 'never' }
    : v.expiryKind === 'days'
      ? { kind: 'days', days: v.expiryDays ?? 365 }
      : { kind: 'fixed_dates', dates: (v.expiryDates ?? []).map((d) => d.trim()) };

const fromForm = (base: RuleBody, v: CellForm, cell: Cell): RuleBody => ({
  ...base,
  ...cell,
  // Checked by the server with the engine's schema; the branded types are the engine's.
  accrual: accrualFromForm(v.accrual) as RuleBody['accrual'],
  accrualBase: v.accrualBase,
  rounding: v.rounding,
  payment:
    v.paymentKind === 'forbidden'
      ? { kind: 'forbidden' }
      : { kind: 'up_to', percent: basis(v.paymentPercent), minPoints: points(basis(v.minPoints)) },
  expiry: expiryOf(v),
  activation: v.activationDays ? { kind: 'after_days', days: v.activationDays } : { kind: 'immediate' },
  discountPercent: basis(v.discountPercent),
});

/** The card type x category matrix with a cell editor. */
export function RulesMatrix() {
  const { t } = useTranslation();
  const { format, can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const programme = useProgramme();
  const categories = useCategoryTree();
  const [editing, setEditing] = useState<Cell | null>(null);
  // Subcategories the manager opened a row for (by the tree select) before giving them a rule.
  const [added, setAdded] = useState<string[]>([]);
  const [form] = Form.useForm<CellForm>();
  const rules: RuleBody[] = (programme.data?.rules ?? []).map(({ id: _id, ...rule }) => rule);
  const cardTypes = programme.data?.cardTypes ?? [];
  const find = (cell: Cell) =>
    rules.find((r) => r.cardTypeId === cell.cardTypeId && r.categoryId === cell.categoryId);
  const defaultOf = (cardTypeId: string) => find({ cardTypeId, categoryId: null });

  const save = useMutation({
    mutationFn: (next: RuleBody[]) =>
      api(z.object({ version: z.number() }), 'PUT', '/programme/rules', { rules: next }),
    // The edited rule goes last in the body: its issues are put on the editor's fields.
    onError: (error, next) => {
      if (!isApiFailure(error)) return;
      const { fields } = ruleIssues(error.details, next.length - 1);
      // The names are built from the server's paths at run time (rule-issues.ts maps them).
      form.setFields(
        fields.map((f) => ({ name: f.name, errors: [f.message] })) as Parameters<typeof form.setFields>[0],
      );
    },
    onSuccess: () => {
      setEditing(null);
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['programme'] });
    },
  });
  // When every issue sits on a field the alert only points there; others are listed in it.
  const refusal = (error: Error) => {
    if (!isApiFailure(error)) return error.message;
    const { fields, others } = ruleIssues(error.details, (save.variables?.length ?? 0) - 1);
    if (others.length > 0) return `${error.message} ${others.join('; ')}`;
    return fields.length > 0 ? t('programmeEditor.fixFields') : error.message;
  };
  const current = editing ? (find(editing) ?? defaultOf(editing.cardTypeId)) : undefined;
  const open = (cell: Cell) => {
    const rule = find(cell) ?? defaultOf(cell.cardTypeId);
    form.resetFields();
    if (rule) form.setFieldsValue(toForm(rule));
    save.reset();
    setEditing(cell);
  };
  const submit = (v: CellForm) => {
    if (!editing || !current) return;
    const others = rules.filter(
      (r) => !(r.cardTypeId === editing.cardTypeId && r.categoryId === editing.categoryId),
    );
    save.mutate([...others, fromForm(current, v, editing)]);
  };
  const removeOwn = () => {
    if (!editing) return;
    save.mutate(
      rules.filter((r) => !(r.cardTypeId === editing.cardTypeId && r.categoryId === editing.categoryId)),
    );
  };

  const rows = [
    { key: 'default', id: null as string | null, name: t('programme.allCategories') },
    ...matrixRows(categories.data, new Set([...rules.map((r) => r.categoryId ?? ''), ...added])),
  ];
  const paymentKind = Form.useWatch('paymentKind', form);
  const expiryKind = Form.useWatch('expiryKind', form);

  return (
    <>
      {can('settings:write') && (
        <Space style={{ marginBottom: 8 }} wrap>
          <Typography.Text>{t('programmeEditor.addCategoryRow')}</Typography.Text>
          <CategoryTreeSelect
            id="rules-matrix-add-category"
            multiple={false}
            value={null}
            style={{ width: 360 }}
            placeholder={t('programmeEditor.addCategoryRowPlaceholder')}
            onChange={(id) => {
              if (typeof id === 'string') setAdded((list) => (list.includes(id) ? list : [...list, id]));
            }}
          />
        </Space>
      )}
      <Table
        rowKey="key"
        size="small"
        data-testid="rules-matrix"
        loading={programme.isPending || categories.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('programme.category'), dataIndex: 'name', fixed: 'left' },
          ...cardTypes.map((cardType) => ({
            title: cardType.name,
            key: cardType.id,
            render: (_: unknown, row: (typeof rows)[number]) => {
              const own = find({ cardTypeId: cardType.id, categoryId: row.id });
              const rule = own ?? defaultOf(cardType.id);
              const text = rule ? ruleSummary(rule, t, format) : '—';
              return (
                <Space orientation="vertical" size={0}>
                  <Typography.Text type={own ? undefined : 'secondary'}>
                    {own || row.id === null ? text : t('programme.cell.inherited')}
                  </Typography.Text>
                  {can('settings:write') && rule && (
                    <Button
                      size="small"
                      type="link"
                      style={{ padding: 0 }}
                      onClick={() => open({ cardTypeId: cardType.id, categoryId: row.id })}
                    >
                      {t('programme.cell.edit')}
                    </Button>
                  )}
                </Space>
              );
            },
          })),
        ]}
      />
      <Modal
        open={editing !== null}
        width={680}
        title={t('programme.cell.title')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ disabled: !current, id: 'rule-save' }}
        confirmLoading={save.isPending}
        footer={(origin) => (
          <Space>
            {editing?.categoryId && find(editing) && (
              <Button danger onClick={removeOwn}>
                {t('programme.cell.useDefault')}
              </Button>
            )}
            {origin}
          </Space>
        )}
      >
        <Form<CellForm> form={form} layout="vertical" onFinish={submit} name="rule">
          <AccrualFields name={['accrual']} label={t('programme.accrual')} />
          <Space wrap align="start">
            <Form.Item
              name="accrualBase"
              label={t('programmeEditor.accrualBase')}
              extra={t('programmeEditor.accrualBaseHelp')}
              style={{ width: 320 }}
            >
              <Select
                options={(['paid', 'full'] as const).map((value) => ({
                  value,
                  label: t(`programmeEditor.accrualBaseValue.${value}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="rounding"
              label={t('programmeEditor.rounding')}
              extra={t('programmeEditor.roundingHelp')}
              style={{ width: 320 }}
            >
              <Select
                options={(['down_whole', 'nearest_whole', 'hundredth'] as const).map((value) => ({
                  value,
                  label: t(`programmeEditor.roundingValue.${value}`),
                }))}
              />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="paymentKind" label={t('programme.payment')}>
              <Select
                style={{ width: 180 }}
                options={[
                  { value: 'forbidden', label: t('programme.cell.noPayment') },
                  { value: 'up_to', label: t('programme.cell.upTo') },
                ]}
              />
            </Form.Item>
            {paymentKind === 'up_to' && (
              <>
                <Form.Item name="paymentPercent" label="%">
                  <InputNumber min={0} max={100} />
                </Form.Item>
                <Form.Item name="minPoints" label={t('programme.cell.minPoints')}>
                  <InputNumber min={0} />
                </Form.Item>
              </>
            )}
          </Space>
          <Space wrap align="start">
            <Form.Item name="expiryKind" label={t('programme.expiry')}>
              <Select
                style={{ width: 180 }}
                options={[
                  { value: 'never', label: t('buyer.never') },
                  { value: 'days', label: t('programme.cell.afterDays') },
                  { value: 'fixed_dates', label: t('programmeEditor.expiryFixedDates') },
                ]}
              />
            </Form.Item>
            {expiryKind === 'days' && (
              <Form.Item name="expiryDays" label={t('programme.cell.days')}>
                <InputNumber min={1} max={3650} />
              </Form.Item>
            )}
            {expiryKind === 'fixed_dates' && (
              <Form.Item
                name="expiryDates"
                label={t('programmeEditor.expiryDates')}
                rules={[{ required: true }]}
              >
                <Select mode="tags" style={{ width: 240 }} open={false} tokenSeparators={[',', ' ']} />
              </Form.Item>
            )}
            <Form.Item name="activationDays" label={t('programme.cell.activationDays')}>
              <InputNumber min={0} max={365} />
            </Form.Item>
          </Space>
          <Form.Item name="discountPercent" label={`${t('programme.discount')}, %`}>
            <InputNumber min={0} max={100} />
          </Form.Item>
          {save.isError && <Alert type="error" title={refusal(save.error)} showIcon />}
        </Form>
      </Modal>
    </>
  );
}
