// Coupons at the till (C6, A5): the cashier types a coupon code and presses Enter; the live
// calculation checks it. A refused coupon stays on screen marked refused, with the engine's
// sentence (what is wrong, what to do), until the cashier removes it; an accepted one shows what
// its promotion gave. The field is an ordinary input: the wedge router sends scans to the scan
// handler, never into it, so a product scanned while it has focus does not become a coupon.
import { Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '#renderer/app/use-formatters.ts';
import type { Priced } from './sale-types.ts';

/** Codes compare without case and spaces, as the engine normalises them. */
export const normaliseCoupon = (code: string): string => code.replace(/\s+/g, '').toUpperCase();

type Props = {
  coupons: readonly string[];
  priced: Priced | null;
  onAdd: (code: string) => void;
  onRemove: (code: string) => void;
};

/** The coupons card of the sale screen. */
export function CouponsCard({ coupons, priced, onAdd, onRemove }: Props) {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const [text, setText] = useState('');
  const calculation = priced?.calculation;

  const add = (value: string) => {
    const code = normaliseCoupon(value);
    if (code.length === 0 || code.length > 64) return;
    onAdd(code);
    setText('');
  };

  const verdict = (code: string) => {
    const accepted = calculation?.coupons.accepted.find((c) => c.code === code);
    if (accepted) {
      const outcome = calculation?.promotions.find((p) => p.promotionId === accepted.promotionId);
      const gave = [
        outcome && outcome.discount > 0 ? t('coupons.discount', { amount: f.money(outcome.discount) }) : null,
        outcome && outcome.points > 0 ? t('coupons.points', { points: f.points(outcome.points) }) : null,
      ].filter((x): x is string => x !== null);
      return (
        <Space direction="vertical" size={0}>
          <Tag color="green">{t('coupons.accepted')}</Tag>
          <Typography.Text data-testid="coupon-gave">
            {gave.length > 0 ? gave.join(', ') : t('coupons.acceptedNothing')}
          </Typography.Text>
        </Space>
      );
    }
    const rejected = calculation?.coupons.rejected.find((c) => c.code === code);
    if (rejected) {
      // Russian: the engine's own sentence (it quotes dates and limits); other languages by reason.
      const why = i18n.language.startsWith('ru') ? rejected.message : t(`coupons.reason.${rejected.reason}`);
      return (
        <Space direction="vertical" size={0}>
          <Tag color="red">{t('coupons.refused')}</Tag>
          <Typography.Text type="danger" data-testid="coupon-reason">
            {why}
          </Typography.Text>
        </Space>
      );
    }
    return <Tag>{t('coupons.checking')}</Tag>;
  };

  return (
    <Card size="small" title={t('coupons.title')} data-testid="coupons">
      <Input
        value={text}
        placeholder={t('coupons.placeholder')}
        aria-label={t('coupons.title')}
        data-testid="coupon-code"
        maxLength={64}
        onChange={(e) => setText(e.target.value)}
        onPressEnter={(e) => add(e.currentTarget.value)}
      />
      {coupons.length > 0 && (
        <List
          size="small"
          dataSource={[...coupons]}
          renderItem={(code) => (
            <List.Item
              data-testid="coupon"
              data-code={code}
              actions={[
                <Button
                  key="remove"
                  size="small"
                  tabIndex={-1}
                  onClick={() => onRemove(code)}
                  data-testid="coupon-remove"
                >
                  {t('coupons.remove')}
                </Button>,
              ]}
            >
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{code}</Typography.Text>
                {verdict(code)}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
