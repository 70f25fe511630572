// The buyer card's coupons (C6): the codes issued to the buyer with their series, state and
// validity, and (with promotions:write) issuing one more from a series chosen by name.
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import { fetchBuyerCoupons, type BuyerCoupon } from './coupon-api.ts';
import { CodeStateTag } from './code-state-tag.tsx';
import { IssueCouponDialog } from './issue-coupon-dialog.tsx';

/** The coupons card of a buyer. */
export function BuyerCoupons({ buyerId }: { buyerId: string }) {
  const { t } = useTranslation();
  const { format, can } = useSession();
  const [issuing, setIssuing] = useState(false);
  const coupons = useQuery({
    queryKey: ['buyer-coupons', buyerId],
    queryFn: () => fetchBuyerCoupons(buyerId),
  });
  // Validity as the series list shows it, in the merchant's zone.
  const period = (c: BuyerCoupon) =>
    c.from === null && c.to === null
      ? t('coupons.always')
      : `${c.from === null ? '…' : format.dateTime(c.from)} — ${c.to === null ? '…' : format.dateTime(c.to)}`;
  return (
    <Card
      title={t('couponsEditor.buyerCoupons')}
      size="small"
      data-testid="buyer-coupons"
      extra={
        <Space>
          <ExportButton
            size="small"
            path="/exports/buyer-coupons.xlsx"
            query={{ buyerId }}
            data-testid="export-buyer-coupons"
          />
          {can('promotions:write') && (
            <Button size="small" onClick={() => setIssuing(true)} data-testid="issue-buyer-coupon">
              {t('couponsEditor.issueToBuyer')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<BuyerCoupon>
        rowKey="code"
        size="small"
        loading={coupons.isFetching}
        dataSource={coupons.data ?? []}
        pagination={false}
        locale={{ emptyText: t('couponsEditor.noBuyerCoupons') }}
        columns={[
          {
            title: t('coupons.code'),
            render: (_, c) => (
              <Typography.Text copyable style={{ fontFamily: 'monospace' }}>
                {c.code}
              </Typography.Text>
            ),
          },
          { title: t('couponsEditor.series'), render: (_, c) => c.seriesName },
          { title: t('coupons.uses'), align: 'right', render: (_, c) => format.count(c.uses) },
          {
            title: t('coupons.state'),
            render: (_, c) => <CodeStateTag code={c} />,
          },
          { title: t('common.period'), render: (_, c) => period(c) },
        ]}
      />
      <IssueCouponDialog open={issuing} onClose={() => setIssuing(false)} buyerId={buyerId} />
    </Card>
  );
}
