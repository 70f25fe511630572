// Create or edit a card type (C2): name, rank, how it is issued and the purchases threshold (typed
// in roubles, sent in kopecks). A new type starts with a copy of the default type's default rule,
// so the programme is never left without one; the matrix then tunes it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { kopecks } from '@loyalty/core/money/money';
import { cardTypeSchema } from '@loyalty/protocol/api/programme.schema';
import type { z } from 'zod';
import { api } from '#api/http-client.ts';
import type { RuleBody } from './rule-summary.ts';

type CardType = z.output<typeof cardTypeSchema>;
type Issue = CardType['issue'];
type CardTypeForm = { name: string; rank: number; issue: Issue; threshold?: number | null };

const fallbackRule = {
  accrual: { kind: 'none' },
  expiry: { kind: 'never' },
  activation: { kind: 'immediate' },
  payment: { kind: 'forbidden' },
} as const;

/** The dialog; `editing` null creates a new type. */
export function CardTypeDialog(props: {
  open: boolean;
  editing: CardType | null;
  defaultRule: RuleBody | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CardTypeForm>();
  useEffect(() => {
    if (!props.open) return;
    form.setFieldsValue(
      props.editing
        ? {
            name: props.editing.name,
            rank: props.editing.rank,
            issue: props.editing.issue,
            threshold: props.editing.threshold === null ? null : props.editing.threshold / 100,
          }
        : { name: '', rank: 1, issue: 'threshold', threshold: null },
    );
  }, [props.open, props.editing, form]);
  const save = useMutation({
    mutationFn: (v: CardTypeForm) => {
      const body = {
        name: v.name.trim(),
        rank: v.rank,
        issue: v.issue,
        threshold:
          v.threshold === null || v.threshold === undefined ? null : kopecks(Math.round(v.threshold * 100)),
      };
      if (props.editing) return api(cardTypeSchema, 'PATCH', `/card-types/${props.editing.id}`, body);
      const {
        cardTypeId: _c,
        categoryId: _g,
        ...rule
      } = props.defaultRule ?? { ...fallbackRule, cardTypeId: '', categoryId: null };
      return api(cardTypeSchema, 'POST', '/card-types', { ...body, defaultRule: rule });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['programme'] });
      props.onClose();
    },
  });
  return (
    <Modal
      open={props.open}
      title={props.editing ? props.editing.name : t('programme.newCardType')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ id: 'card-type-save' }}
      confirmLoading={save.isPending}
    >
      <Form<CardTypeForm> form={form} layout="vertical" name="card-type" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('terminals.name')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="rank" label={t('programme.rank')} rules={[{ required: true }]}>
          <InputNumber min={0} max={1000} />
        </Form.Item>
        <Form.Item name="issue" label={t('programme.issue')}>
          <Select
            options={(['default', 'threshold', 'manual'] as const).map((v) => ({
              value: v,
              label: t(`programme.issueValue.${v}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="threshold" label={t('programme.threshold')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
        {save.isError && <Alert type="error" title={save.error.message} showIcon />}
      </Form>
    </Modal>
  );
}
