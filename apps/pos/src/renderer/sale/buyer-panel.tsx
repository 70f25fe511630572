// The identified buyer (A4): who, how identified, card type, points active, not yet active and not
// yet confirmed by the server, purchases count and sum, average check, last purchase, recent
// history (this till's receipts and, online, the server's), editing personal data, and the
// consent code of a buyer registered without one (A2).
import { Button, Card, Descriptions, Empty, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import { useFormatters } from '#renderer/app/use-formatters.ts';
import type { HandlerAnswer } from '#renderer/rpc/terminal-client.ts';
import { BuyerEditDialog } from './buyer-edit-dialog.tsx';
import { ConsentPrompt } from './consent-prompt.tsx';
import type { Buyer } from './sale-types.ts';

type Details = Extract<HandlerAnswer<'buyer.details'>, { ok: true }>['value'];

/** The buyer card on the sale screen; `onChanged` gets the buyer after an edit or a consent. */
export function BuyerPanel({
  buyer,
  onClear,
  onChanged,
}: {
  buyer: Buyer | null;
  onClear: () => void;
  onChanged?: (buyer: Buyer) => void;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const client = useTerminal();
  const [details, setDetails] = useState<Details | null>(null);
  const [editing, setEditing] = useState(false);
  const [version, setVersion] = useState(0);

  // Every new identification (points change after a sale too) reloads the figures.
  useEffect(() => {
    setDetails(null);
    if (!buyer) return;
    let current = true;
    void client.send('buyer.details', { buyerId: buyer.buyerId }).then((answer) => {
      if (current && answer.ok) setDetails(answer.value);
    });
    return () => {
      current = false;
    };
  }, [client, buyer, version]);

  if (!buyer)
    return (
      <Card size="small" title={t('buyer.title')} data-testid="buyer-panel">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('buyer.none')} />
      </Card>
    );
  // The panel's own identification mode is kept: an edit answers the buyer as 'manual'.
  const changed = (next: Buyer) => {
    onChanged?.({ ...next, identifiedBy: buyer.identifiedBy });
    setVersion((v) => v + 1);
  };
  const name = [buyer.firstName, buyer.lastName].filter(Boolean).join(' ') || buyer.phone || buyer.buyerId;
  const stats = details?.stats;
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
      actions={[
        <Button
          key="edit"
          size="small"
          type="link"
          tabIndex={-1}
          onClick={() => setEditing(true)}
          data-testid="buyer-edit"
        >
          {t('buyerCard.edit')}
        </Button>,
      ]}
    >
      {buyer.consentPending && (
        <ConsentPrompt
          key={buyer.buyerId}
          buyerId={buyer.buyerId}
          onConfirmed={() => changed({ ...buyer, consentPending: false })}
        />
      )}
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('buyer.title')}>
          {buyer.phone} <Tag>{t(`buyer.by.${buyer.identifiedBy}`)}</Tag>
        </Descriptions.Item>
        {buyer.cardTypeName && (
          <Descriptions.Item label={t('buyer.card', { name: '' }).replace(/:\s*$/, '')}>
            <span data-testid="buyer-card-type">{buyer.cardTypeName}</span>
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
        {stats && (
          <>
            <Descriptions.Item label={t('buyerCard.purchases')}>
              <span data-testid="buyer-purchases">{stats.purchasesCount}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('buyerCard.total')}>
              <span data-testid="buyer-total">{f.money(stats.purchasesTotal)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('buyerCard.average')}>
              <span data-testid="buyer-average">
                {stats.averageCheck === null ? '—' : f.money(stats.averageCheck)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('buyerCard.last')}>
              {stats.lastPurchaseAt === null ? t('buyerCard.never') : f.time(stats.lastPurchaseAt)}
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      {details && (
        <>
          <Typography.Text strong>{t('buyerCard.history')}</Typography.Text>
          {!details.historyFromServer && (
            <div>
              <Typography.Text type="secondary">{t('buyerCard.historyOffline')}</Typography.Text>
            </div>
          )}
          <List
            size="small"
            data-testid="buyer-history"
            locale={{ emptyText: t('buyerCard.noHistory') }}
            dataSource={details.history.slice(0, 5)}
            renderItem={(r) => (
              <List.Item key={r.receiptId}>
                {f.time(r.createdAt)} · № {r.number ?? '—'} · {f.money(r.paidMoney)}
                {r.source === 'server' && <Tag style={{ marginLeft: 4 }}>{t('buyerCard.fromServer')}</Tag>}
              </List.Item>
            )}
          />
        </>
      )}
      <BuyerEditDialog
        open={editing}
        buyerId={buyer.buyerId}
        profile={details?.profile ?? null}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          changed(saved);
        }}
      />
    </Card>
  );
}
