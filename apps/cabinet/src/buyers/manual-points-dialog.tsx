// Manual accrual or deduction with a reason (C10 audit): typed in points, sent in hundredths.
import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { postManualPoints } from './buyer-api.ts';

type ManualForm = {
  operation: 'accrue' | 'deduct';
  points: number;
  reason: string;
  expiryDays?: number | null;
};

/** The accrue-or-deduct dialog of the buyer card. */
export function ManualPointsDialog(props: {
  buyerId: string;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ManualForm>();
  const post = useMutation({
    mutationFn: (v: ManualForm) =>
      postManualPoints(props.buyerId, {
        operation: v.operation,
        points: Math.round(v.points * 100),
        reason: v.reason,
        expiryDays: v.operation === 'accrue' ? (v.expiryDays ?? null) : null,
      }),
    onSuccess: () => {
      form.resetFields();
      props.onDone();
    },
  });
  const operation = Form.useWatch('operation', form);
  return (
    <Modal
      open={props.open}
      title={t('buyer.manual')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={post.isPending}
      destroyOnHidden
    >
      <Form<ManualForm>
        form={form}
        layout="vertical"
        initialValues={{ operation: 'accrue' }}
        onFinish={(v) => post.mutate(v)}
      >
        <Form.Item name="operation">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'accrue', label: t('buyer.accrue') },
              { value: 'deduct', label: t('buyer.deduct') },
            ]}
          />
        </Form.Item>
        <Form.Item name="points" label={t('buyer.pointsAmount')} rules={[{ required: true }]}>
          <InputNumber min={0.01} step={1} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('buyer.reason')}
          rules={[{ required: true, min: 3, message: t('buyer.reasonRequired') }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        {operation === 'accrue' && (
          <Form.Item name="expiryDays" label={t('buyer.expiryDays')}>
            <InputNumber min={1} max={3650} style={{ width: '100%' }} />
          </Form.Item>
        )}
        {post.isError && <Alert type="error" title={post.error.message} showIcon />}
      </Form>
    </Modal>
  );
}
