// The promotion preview (C5): build a sample receipt (store, card type, products and quantities),
// send it to POST /promotions/preview and read, line by line, what the engine gives and why
// (applied discounts and points, promotions that were considered and their reasons).
import { useMutation } from '@tanstack/react-query';
import { Alert, Drawer, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { api } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { useProgramme, useStores } from '#reference/reference-data.ts';
import { PreviewResult } from './preview-result.tsx';
import { previewReceiptLines, SampleReceiptLines, useSampleReceipt } from './sample-receipt-lines.tsx';

// The engine wants a buyer id; a preview buyer is nobody in particular.
const PREVIEW_BUYER = '00000000-0000-4000-8000-000000000000';

/** The drawer with the sample receipt and the engine's explained answer. */
export function PromotionPreview({
  open,
  onClose,
  promotionNames,
}: {
  open: boolean;
  onClose: () => void;
  promotionNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const { format } = useSession();
  const stores = useStores();
  const programme = useProgramme();
  const [storeId, setStoreId] = useState<string>();
  const [cardTypeId, setCardTypeId] = useState<string | null>(null);
  const receipt = useSampleReceipt(open);
  const preview = useMutation({
    mutationFn: () =>
      api(z.unknown(), 'POST', '/promotions/preview', {
        receipt: {
          storeId: storeId ?? stores.data?.[0]?.id,
          lines: previewReceiptLines(receipt.lines),
        },
        buyer: cardTypeId ? { id: PREVIEW_BUYER, cardTypeId, purchasesCount: 1 } : null,
      }) as Promise<Calculation>,
  });
  const promotion = (id: string) => promotionNames.get(id) ?? id;
  const reason = (code: string) => t(`promotions.reason.${code}`, { defaultValue: code });

  return (
    <Drawer open={open} onClose={onClose} size="large" title={t('promotions.preview')} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Select
            placeholder={t('terminals.store')}
            style={{ width: 220 }}
            value={storeId}
            onChange={setStoreId}
            options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
          <Select
            allowClear
            placeholder={t('promotions.anonymous')}
            style={{ width: 220 }}
            value={cardTypeId ?? undefined}
            onChange={(v?: string) => setCardTypeId(v ?? null)}
            options={(programme.data?.cardTypes ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Space>
        <SampleReceiptLines
          receipt={receipt}
          productSelectId="preview-product"
          calculateTestId="preview-calculate"
          calculating={preview.isPending}
          onCalculate={() => preview.mutate()}
        />
        {preview.isError && <Alert type="error" title={preview.error.message} showIcon />}
        {preview.data && (
          <PreviewResult
            testId="preview-result"
            calculation={preview.data}
            productNames={receipt.productNames}
            why={{
              title: t('promotions.why'),
              render: (_, l) => (
                <Space orientation="vertical" size={2}>
                  {l.applied.map((a, i) =>
                    a.source === 'card' ? (
                      <Tag key={i} color="blue">
                        {t('promotions.cardDiscount')} {format.percent(a.percent)}
                      </Tag>
                    ) : (
                      <Tag key={i} color="green">
                        {promotion(a.promotionId)}: −{format.money(a.discount)}
                        {a.points > 0 ? `, +${format.points(a.points)}` : ''}
                      </Tag>
                    ),
                  )}
                  {l.considered.map((c) => (
                    <Typography.Text key={c.promotionId} type="secondary">
                      {promotion(c.promotionId)}: {reason(c.reason)}
                    </Typography.Text>
                  ))}
                </Space>
              ),
            }}
            after={preview.data.promotions
              .filter((p) => !p.applied && p.reason)
              .map((p) => (
                <div key={p.promotionId}>
                  <Typography.Text type="secondary">
                    {promotion(p.promotionId)}: {reason(p.reason ?? '')}
                  </Typography.Text>
                </div>
              ))}
          />
        )}
      </Space>
    </Drawer>
  );
}
