// Browser mode without a token in the address: the cashier (or installer) types it once per tab.
import { Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Asks for the local token. */
export function TokenScreen({ onToken }: { onToken: (token: string) => void }) {
  const { t } = useTranslation();
  return (
    <Card title={t('token.title')} style={{ maxWidth: 520, margin: '80px auto' }}>
      <Typography.Paragraph>{t('token.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={(v: { token: string }) => onToken(v.token.trim())}>
        <Form.Item name="token" label={t('token.field')} rules={[{ required: true }]}>
          <Input.Password autoFocus autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block>
          {t('token.submit')}
        </Button>
      </Form>
    </Card>
  );
}
