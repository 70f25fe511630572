// The buyer questionnaire (D2): standard profile fields on, off or required, and the merchant's own
// fields (list, text, number, date): add, rename, switch, make required, required only when the
// receipt holds products of chosen categories (asked at the till, A2), delete. Key and kind are
// fixed once created, since answers are stored under them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportButton } from '#api/export-button.tsx';
import { standardFieldNames } from '@loyalty/protocol/api/questionnaire.schema';
import { CategoryTreeSelect, categoryPaths, useCategoryTree } from '#reference/category-tree.tsx';
import {
  createField,
  deleteField,
  fetchQuestionnaire,
  updateField,
  updateStandardFields,
  type QuestionnaireField,
  type StandardFieldName,
} from './questionnaire-api.ts';

const kinds = ['text', 'number', 'date', 'list'] as const;
type Kind = (typeof kinds)[number];
type FieldForm = {
  key: string;
  label: string;
  kind: Kind;
  options?: string[];
  required?: boolean;
  requiredCategoryIds?: string[];
};

/** The questionnaire settings page. */
export function QuestionnairePage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const questionnaire = useQuery({ queryKey: ['questionnaire'], queryFn: fetchQuestionnaire });
  const categories = useCategoryTree();
  const categoryName = categoryPaths(categories.data);
  const [editing, setEditing] = useState<QuestionnaireField | 'new' | null>(null);
  const [form] = Form.useForm<FieldForm>();
  const kind = Form.useWatch('kind', form);
  const reload = () => queryClient.invalidateQueries({ queryKey: ['questionnaire'] });
  const onError = (error: Error) => void message.error(error.message);

  const standard = useMutation({
    mutationFn: updateStandardFields,
    onSuccess: () => void reload(),
    onError,
  });
  const patch = useMutation({
    mutationFn: (v: { id: string } & Parameters<typeof updateField>[1]) => {
      const { id, ...body } = v;
      return updateField(id, body);
    },
    onSuccess: () => void reload(),
    onError,
  });
  const save = useMutation({
    mutationFn: (v: FieldForm) =>
      editing === 'new' || editing === null
        ? createField({
            ...v,
            options: v.kind === 'list' ? v.options : undefined,
            requiredCategoryIds: v.requiredCategoryIds ?? [],
          })
        : updateField(editing.id, {
            label: v.label,
            ...(editing.kind === 'list' && v.options ? { options: v.options } : {}),
            requiredCategoryIds: v.requiredCategoryIds ?? [],
          }),
    onSuccess: () => {
      setEditing(null);
      form.resetFields();
      void reload();
    },
  });
  const remove = useMutation({ mutationFn: deleteField, onSuccess: () => void reload(), onError });

  const open = (field: QuestionnaireField | 'new') => {
    setEditing(field);
    save.reset();
    form.resetFields();
    if (field !== 'new')
      form.setFieldsValue({
        key: field.key,
        label: field.label,
        kind: field.kind,
        options: field.options ?? undefined,
        requiredCategoryIds: field.requiredCategoryIds,
      });
  };
  const standardFields = questionnaire.data?.standardFields;
  const setStandard = (name: StandardFieldName, enabled: boolean, required: boolean) =>
    standard.mutate({ [name]: { enabled, required: enabled && required } });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('questionnaire.title')}
      </Typography.Title>
      {questionnaire.isError && <Alert type="error" title={questionnaire.error.message} showIcon />}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('questionnaire.standard')}
      </Typography.Title>
      <Table<{ name: StandardFieldName }>
        rowKey="name"
        size="small"
        data-testid="standard-fields-table"
        loading={questionnaire.isFetching}
        pagination={false}
        dataSource={standardFields ? standardFieldNames.map((name) => ({ name })) : []}
        columns={[
          { title: t('questionnaire.field'), render: (_, r) => t(`questionnaire.standardNames.${r.name}`) },
          {
            title: t('questionnaire.enabled'),
            render: (_, r) => {
              const s = standardFields?.[r.name];
              return (
                <Switch
                  size="small"
                  checked={s?.enabled}
                  onChange={(on) => setStandard(r.name, on, s?.required ?? false)}
                />
              );
            },
          },
          {
            title: t('questionnaire.required'),
            render: (_, r) => {
              const s = standardFields?.[r.name];
              return (
                <Switch
                  size="small"
                  checked={s?.required}
                  disabled={!s?.enabled}
                  onChange={(on) => setStandard(r.name, true, on)}
                />
              );
            },
          },
        ]}
      />
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('questionnaire.own')}
        </Typography.Title>
        <Space>
          <ExportButton path="/exports/questionnaire-fields.xlsx" data-testid="export-fields" />
          <Button type="primary" onClick={() => open('new')} data-testid="create-field">
            {t('questionnaire.create')}
          </Button>
        </Space>
      </Space>
      <Table<QuestionnaireField>
        rowKey="id"
        size="small"
        data-testid="fields-table"
        loading={questionnaire.isFetching}
        pagination={false}
        dataSource={questionnaire.data?.fields ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('questionnaire.label'), dataIndex: 'label' },
          {
            title: t('questionnaire.key'),
            render: (_, f) => <Typography.Text code>{f.key}</Typography.Text>,
          },
          { title: t('questionnaire.kind'), render: (_, f) => t(`questionnaire.kinds.${f.kind}`) },
          { title: t('questionnaire.options'), render: (_, f) => f.options?.join(', ') ?? '—' },
          {
            title: t('questionnaire.enabled'),
            render: (_, f) => (
              <Switch
                size="small"
                checked={f.enabled}
                onChange={(on) => patch.mutate({ id: f.id, enabled: on, ...(on ? {} : { required: false }) })}
              />
            ),
          },
          {
            title: t('questionnaire.required'),
            render: (_, f) => (
              <Switch
                size="small"
                checked={f.required}
                disabled={!f.enabled}
                onChange={(on) => patch.mutate({ id: f.id, required: on })}
              />
            ),
          },
          {
            title: t('questionnaire.requiredCategories'),
            render: (_, f) =>
              f.requiredCategoryIds.length > 0
                ? f.requiredCategoryIds.map((id) => categoryName.get(id) ?? id).join(', ')
                : '—',
          },
          {
            title: t('common.actions'),
            render: (_, f) => (
              <Space>
                <Button size="small" onClick={() => open(f)}>
                  {t('common.edit')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() => {
                    void modal.confirm({
                      title: t('questionnaire.deleteConfirm', { label: f.label }),
                      onOk: () => remove.mutateAsync(f.id).then(() => undefined),
                    });
                  }}
                >
                  {t('questionnaire.delete')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('questionnaire.create') : t('questionnaire.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'field-save' }}
        confirmLoading={save.isPending}
      >
        <Form form={form} name="field" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="label"
            label={t('questionnaire.label')}
            rules={[{ required: true, message: t('questionnaire.labelRequired') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="key"
            label={t('questionnaire.key')}
            extra={t('questionnaire.keyHint')}
            rules={[
              { required: true, pattern: /^[a-z][a-z0-9_]{0,49}$/, message: t('questionnaire.keyRule') },
            ]}
          >
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="kind" label={t('questionnaire.kind')} initialValue="text">
            <Select
              disabled={editing !== 'new'}
              options={kinds.map((k) => ({ value: k, label: t(`questionnaire.kinds.${k}`) }))}
            />
          </Form.Item>
          {kind === 'list' && (
            <Form.Item
              name="options"
              label={t('questionnaire.options')}
              rules={[{ required: true, message: t('questionnaire.optionsRequired') }]}
            >
              <Select mode="tags" open={false} tokenSeparators={[',']} />
            </Form.Item>
          )}
          {editing === 'new' && (
            <Form.Item name="required" label={t('questionnaire.required')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
          <Form.Item
            name="requiredCategoryIds"
            label={t('questionnaire.requiredCategories')}
            extra={t('questionnaire.requiredCategoriesHint')}
          >
            <CategoryTreeSelect expandAll placeholder={t('questionnaire.requiredCategoriesPlaceholder')} />
          </Form.Item>
          {save.isError && <Alert type="error" title={save.error.message} showIcon />}
        </Form>
      </Modal>
    </Space>
  );
}
