// Issuing a code of a series to a named buyer (C6): from a series' codes (choose the buyer by phone
// or name) or from a buyer's card (choose the series by name). The server takes the first free code,
// makes it personal (only that buyer may redeem it) and audits it; a repeat answers the same code.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buyerSource, RemoteSelect } from '#promotions/remote-select.tsx';
import { fetchCouponSeries, issueCoupon, type CouponCode } from './coupon-api.ts';

type Props = {
  open: boolean;
  onClose: () => void;
  /** The series the code comes from; without it the dialog asks for one. */
  seriesId?: string;
  /** The buyer the code goes to; without it the dialog asks for one. */
  buyerId?: string;
};

/** Finds a series by name as the user types (the server pages and searches). */
function SeriesSelect(props: { id?: string; value?: string; onChange?: (value: string) => void }) {
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['coupon-series', 'pick', search],
    queryFn: () => fetchCouponSeries({ search: search || undefined, page: 1, pageSize: 20 }),
  });
  return (
    <Select
      {...props}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      options={(found.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
    />
  );
}

/** The dialog; the issued code is shown in it until it is closed. */
export function IssueCouponDialog({ open, onClose, seriesId, buyerId }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ seriesId?: string; buyerId?: string }>();
  const issue = useMutation({
    mutationFn: (v: { seriesId: string; buyerId: string }) => issueCoupon(v.seriesId, v.buyerId),
    onSuccess: (_code: CouponCode, v) => {
      void queryClient.invalidateQueries({ queryKey: ['coupon-codes', v.seriesId] });
      void queryClient.invalidateQueries({ queryKey: ['buyer-coupons', v.buyerId] });
    },
  });
  const close = () => {
    issue.reset();
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('couponsEditor.issueTitle')}
      onCancel={close}
      onOk={() => (issue.isSuccess ? close() : form.submit())}
      okText={issue.isSuccess ? t('couponsEditor.done') : t('couponsEditor.issue')}
      okButtonProps={{ id: 'issue-coupon-ok' }}
      confirmLoading={issue.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="issue-coupon"
        onFinish={(v) => {
          const series = seriesId ?? v.seriesId;
          const buyer = buyerId ?? v.buyerId;
          if (series && buyer) issue.mutate({ seriesId: series, buyerId: buyer });
        }}
      >
        {!seriesId && (
          <Form.Item
            name="seriesId"
            label={t('couponsEditor.series')}
            rules={[{ required: true, message: t('couponsEditor.seriesRequired') }]}
          >
            <SeriesSelect />
          </Form.Item>
        )}
        {!buyerId && (
          <Form.Item
            name="buyerId"
            label={t('couponsEditor.buyer')}
            extra={t('couponsEditor.buyerHint')}
            rules={[{ required: true, message: t('couponsEditor.buyerRequired') }]}
          >
            <RemoteSelect source={buyerSource} />
          </Form.Item>
        )}
        <Typography.Paragraph type="secondary">{t('couponsEditor.issueHint')}</Typography.Paragraph>
        {issue.isError && <Alert type="error" title={issue.error.message} showIcon />}
        {issue.isSuccess && (
          <Alert
            type="success"
            showIcon
            data-testid="issued-code"
            title={
              <>
                {t('couponsEditor.issued')}{' '}
                <Typography.Text copyable strong style={{ fontFamily: 'monospace' }}>
                  {issue.data.code}
                </Typography.Text>
              </>
            }
          />
        )}
      </Form>
    </Modal>
  );
}
