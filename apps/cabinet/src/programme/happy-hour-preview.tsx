// The happy hours preview (C4): a sample receipt (store, card type, products and quantities) priced
// by the engine with the programme as it is, at a chosen date and time in the merchant's zone, so
// the marketer sees the happy hour apply at 18:00 and not at 12:00. It is the promotion preview's
// route (POST /promotions/preview) with its `now`: one engine path for both previews.
import { useMutation } from '@tanstack/react-query';
import { Alert, DatePicker, Drawer, Form, Input, Select, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { api } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { todayIn } from '#format/formatters.ts';
import { instantAt } from '#format/zoned-instant.ts';
import { PreviewResult } from '#promotions/preview-result.tsx';
import {
  previewReceiptLines,
  SampleReceiptLines,
  useSampleReceipt,
} from '#promotions/sample-receipt-lines.tsx';
import { useProgramme, useStores } from '#reference/reference-data.ts';

type Moment = { storeId?: string; cardTypeId?: string; date: Dayjs | null; time: string };

// The engine wants a buyer id; a preview buyer is nobody in particular.
const PREVIEW_BUYER = '00000000-0000-4000-8000-000000000000';
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The drawer with the sample receipt, the moment, and the engine's answer line by line. */
export function HappyHourPreview({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const timeZone = session.merchant.timeZone;
  const stores = useStores();
  const programme = useProgramme();
  const [form] = Form.useForm<Moment>();
  const receipt = useSampleReceipt(open);
  const happyHourNames = new Map(
    (programme.data?.happyHours ?? []).map((h) => [h.id, h.name || t('programmeEditor.happyHour')]),
  );
  const preview = useMutation({
    mutationFn: ({ moment, at }: { moment: Moment; at: number }) =>
      api(z.unknown(), 'POST', '/promotions/preview', {
        receipt: {
          storeId: moment.storeId,
          lines: previewReceiptLines(receipt.lines),
        },
        buyer: { id: PREVIEW_BUYER, cardTypeId: moment.cardTypeId, purchasesCount: 1 },
        now: at,
      }) as Promise<Calculation>,
  });
  const calculate = (moment: Moment) => {
    const date = (moment.date ?? dayjs(todayIn(timeZone))).format('YYYY-MM-DD');
    preview.mutate({ moment, at: instantAt(date, moment.time, timeZone) });
  };
  const date = Form.useWatch('date', form);
  const weekday = date
    ? new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'ru-RU', {
        weekday: 'long',
        timeZone: 'UTC',
      }).format(new Date(`${date.format('YYYY-MM-DD')}T12:00:00Z`))
    : '';
  const applied = preview.data
    ? [...new Set(preview.data.lines.map((l) => l.happyHourId).filter((id) => id !== null))]
    : [];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={t('programmeEditor.previewTitle')}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">
          {t('programmeEditor.previewHint', { timeZone })}
        </Typography.Paragraph>
        <Form<Moment>
          form={form}
          name="happy-hour-preview"
          layout="vertical"
          onFinish={calculate}
          initialValues={{
            storeId: stores.data?.[0]?.id,
            cardTypeId: programme.data?.settings?.defaultCardTypeId,
            date: dayjs(todayIn(timeZone)),
            time: '18:00',
          }}
        >
          <Space wrap align="start">
            <Form.Item
              name="storeId"
              label={t('programmeEditor.previewStore')}
              rules={[{ required: true, message: t('programmeEditor.previewStoreRequired') }]}
            >
              <Select
                style={{ width: 220 }}
                options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              />
            </Form.Item>
            <Form.Item
              name="cardTypeId"
              label={t('programmeEditor.previewCardType')}
              rules={[{ required: true, message: t('programmeEditor.previewCardTypeRequired') }]}
            >
              <Select
                style={{ width: 220 }}
                options={(programme.data?.cardTypes ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
            <Form.Item name="date" label={t('programmeEditor.previewDate')} extra={weekday}>
              <DatePicker format="YYYY-MM-DD" allowClear={false} />
            </Form.Item>
            <Form.Item
              name="time"
              label={t('programmeEditor.previewTime')}
              rules={[{ pattern: TIME, required: true, message: t('programmeEditor.previewTimeInvalid') }]}
            >
              <Input style={{ width: 100 }} placeholder="18:00" />
            </Form.Item>
          </Space>
        </Form>
        <SampleReceiptLines
          receipt={receipt}
          productSelectId="happy-hour-preview-product"
          calculateTestId="happy-hour-preview-calculate"
          calculating={preview.isPending}
          onCalculate={() => form.submit()}
        />
        {preview.isError && <Alert type="error" title={preview.error.message} showIcon />}
        {preview.data && (
          <PreviewResult
            testId="happy-hour-preview-result"
            calculation={preview.data}
            productNames={receipt.productNames}
            before={
              <Alert
                type={applied.length > 0 ? 'success' : 'info'}
                data-testid="happy-hour-preview-verdict"
                title={
                  applied.length > 0
                    ? t('programmeEditor.previewActive', {
                        names: applied.map((id) => `«${happyHourNames.get(id) ?? id}»`).join(', '),
                      })
                    : t('programmeEditor.previewNone')
                }
                style={{ marginBottom: 8 }}
              />
            }
            why={{
              title: t('programmeEditor.happyHour'),
              render: (_, l) =>
                l.happyHourId ? (
                  <Tag color="orange">{happyHourNames.get(l.happyHourId) ?? l.happyHourId}</Tag>
                ) : (
                  <Typography.Text type="secondary">{t('programmeEditor.previewByRule')}</Typography.Text>
                ),
            }}
          />
        )}
      </Space>
    </Drawer>
  );
}
