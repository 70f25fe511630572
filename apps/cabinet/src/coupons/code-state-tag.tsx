// A coupon code's state as the codes tables show it: blocked, used or unused (C6).
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** The state tag of one code. */
export function CodeStateTag({ code }: { code: { blocked: boolean; uses: number } }) {
  const { t } = useTranslation();
  if (code.blocked) return <Tag color="red">{t('coupons.blocked')}</Tag>;
  if (code.uses > 0) return <Tag color="green">{t('coupons.used')}</Tag>;
  return <Tag>{t('coupons.unused')}</Tag>;
}
