// Create or edit a promotion (C5) with every field the engine reads, in five tabs: general (name,
// period), what it gives (every effect kind), who/where/when (targeting), conditions (receipt sum,
// required products or sets), stacking and limits. The server checks the body with the engine's
// schema and the whole programme with the engine; the issues it answers are put on their fields
// and the tab holding the first one is opened.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Drawer, Form, Input, Space, Tabs } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { promotionViewSchema } from '@loyalty/protocol/api/programme.schema';
import { api, isApiFailure } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { PromotionEffectFields } from './promotion-effect-fields.tsx';
import {
  bodyOf,
  fieldIssues,
  tabOf,
  toForm,
  type EditorForm,
  type EditorTab,
  type FieldIssue,
  type Promotion,
} from './promotion-form.ts';
import {
  PromotionConditionFields,
  PromotionStackingFields,
  PromotionTargetingFields,
} from './promotion-targeting-fields.tsx';

/** The editor drawer; `promotion` null creates one. */
export function PromotionEditor(props: { open: boolean; promotion: Promotion | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditorForm>();
  const [tab, setTab] = useState<EditorTab>('main');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  // Each opening starts on the first tab without the last one's issues (state adjusted while
  // rendering when the props change, as React recommends, rather than in an effect).
  const [shown, setShown] = useState({ open: props.open, promotion: props.promotion });
  if (shown.open !== props.open || shown.promotion !== props.promotion) {
    setShown({ open: props.open, promotion: props.promotion });
    if (props.open) {
      setTab('main');
      setIssues([]);
    }
  }
  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    form.setFieldsValue(toForm(props.promotion));
  }, [props.open, props.promotion, form]);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: ['promotions'] });
    props.onClose();
  };
  const showIssues = (found: FieldIssue[]) => {
    setIssues(found);
    // The paths come from the server at run time; a name the form does not have shows nothing.
    form.setFields(
      found.map((issue) => ({ name: issue.name, errors: [issue.message] })) as Parameters<
        typeof form.setFields
      >[0],
    );
    const first = found[0];
    if (first) setTab(tabOf(first.name));
  };
  const save = useMutation({
    mutationFn: (v: EditorForm) =>
      props.promotion
        ? api(promotionViewSchema, 'PUT', `/promotions/${props.promotion.id}`, bodyOf(v, props.promotion))
        : api(promotionViewSchema, 'POST', '/promotions', bodyOf(v, null)),
    onMutate: () => setIssues([]),
    onSuccess: done,
    onError: (error) => {
      if (isApiFailure(error)) showIssues(fieldIssues(error.details));
    },
  });
  const archive = useMutation({
    mutationFn: (id: string) => api(promotionViewSchema, 'POST', `/promotions/${id}/archive`),
    onSuccess: done,
  });
  const writable = can('promotions:write');
  const tabs: { key: EditorTab; children: ReactNode }[] = [
    {
      key: 'main',
      children: (
        <>
          <Form.Item name="name" label={t('promotions.name')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="period" label={t('promotions.period')}>
            <DatePicker.RangePicker showTime allowEmpty={[true, true]} format="DD.MM.YYYY HH:mm" />
          </Form.Item>
        </>
      ),
    },
    { key: 'effect', children: <PromotionEffectFields form={form} /> },
    { key: 'targeting', children: <PromotionTargetingFields /> },
    { key: 'conditions', children: <PromotionConditionFields /> },
    { key: 'stacking', children: <PromotionStackingFields /> },
  ];

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      afterOpenChange={(open) => {
        // The next promotion opens without the last one's error.
        if (!open) save.reset();
      }}
      size="large"
      title={props.promotion ? props.promotion.name : t('promotions.create')}
      extra={
        <Space>
          {props.promotion && writable && props.promotion.state !== 'archived' && (
            <Button
              danger
              onClick={() => {
                const id = props.promotion?.id;
                if (id)
                  void modal.confirm({
                    title: t('promotions.archiveConfirm'),
                    onOk: () => archive.mutateAsync(id),
                  });
              }}
            >
              {t('promotions.archive')}
            </Button>
          )}
          {writable && (
            <Button
              type="primary"
              loading={save.isPending}
              onClick={() => form.submit()}
              data-testid="promotion-save"
            >
              {t('common.save')}
            </Button>
          )}
        </Space>
      }
    >
      <Form<EditorForm>
        form={form}
        layout="vertical"
        name="promotion"
        disabled={!writable}
        onFinish={(v) => save.mutate(v)}
        onFinishFailed={({ errorFields }) => {
          const first = errorFields[0];
          if (first) setTab(tabOf(first.name));
        }}
      >
        {/* Every tab stays mounted so that fields on closed tabs are validated and submitted too. */}
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as EditorTab)}
          items={tabs.map((item) => ({
            key: item.key,
            label: t(`promotionEditor.tab.${item.key}`),
            forceRender: true,
            children: item.children,
          }))}
        />
        {(save.isError || archive.isError) && (
          <Alert
            type="error"
            showIcon
            data-testid="promotion-error"
            title={(save.error ?? archive.error)?.message}
            description={
              issues.length > 0 ? (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {issues.map((issue, i) => (
                    <li key={i}>
                      {issue.name.join('.')}: {issue.message}
                    </li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
      </Form>
    </Drawer>
  );
}
