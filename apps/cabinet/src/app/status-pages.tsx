// Pages for addresses a user cannot or need not open.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** The role lacks the page's permission. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('forbidden.title')}
      subTitle={t('forbidden.text')}
      extra={<Button onClick={() => void navigate('/')}>{t('forbidden.home')}</Button>}
    />
  );
}

/** No such page. */
export function NotFoundPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      extra={<Button onClick={() => void navigate('/')}>{t('notFound.home')}</Button>}
    />
  );
}
