// The identified buyer: who, how identified, points active and not yet active (A4).
import { Button, Card, Descriptions, Empty, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '#renderer/app/use-formatters.ts';
import type { Buyer } from './sale-types.ts';

/** The buyer card on the sale screen. */
export function BuyerPanel({ buyer, onClear }: { buyer: Buyer | null; onClear: () => void }) {
  const { t } = useTranslation();
  const f = useFormatters();
  if (!buyer)
    return (
      <Card size="small" title={t('buyer.title')} data-testid="buyer-panel">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('buyer.none')} />
      </Card>
    );
  const name = [buyer.firstName, buyer.lastName].filter(Boolean).join(' ') || buyer.phone || buyer.buyerId;
  return (
    <Card
      size="small"
      title={name}
      data-testid="buyer-panel"
      extra={
        <Button size="small" tabIndex={-1} onClick={onClear}>
          {t('buyer.clear')}
        </Button>
      }
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('buyer.title')}>
          {buyer.phone} <Tag>{t(`buyer.by.${buyer.identifiedBy}`)}</Tag>
        </Descriptions.Item>
        {buyer.cardTypeName && (
          <Descriptions.Item label={t('buyer.card', { name: '' }).replace(/:\s*$/, '')}>
            {buyer.cardTypeName}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('buyer.active')}>
          <strong data-testid="points-available">{f.points(buyer.points.available)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('buyer.pending')}>
          <span data-testid="points-pending">{f.points(buyer.points.pending)}</span>
        </Descriptions.Item>
        {buyer.points.unconfirmedAccrued > 0 && (
          <Descriptions.Item label={t('buyer.unconfirmed')}>
            {f.points(buyer.points.unconfirmedAccrued)}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
