// The page a mailed reset link opens (/reset-password?token=...): a new password twice, the same
// length rule as the server (10+ characters). The token is single-use; the server's refusal of a
// used or expired one is shown as it comes.
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { resetPassword } from './session-api.ts';

type ResetForm = { newPassword: string; repeat: string };

/** The new-password form of a reset link. */
export function ResetPasswordForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const reset = useMutation({
    mutationFn: (v: ResetForm) => resetPassword({ token, newPassword: v.newPassword }),
  });
  const toLogin = () => void navigate('/', { replace: true });
  if (reset.isSuccess)
    return (
      <Result
        status="success"
        title={t('reset.done')}
        extra={
          <Button type="primary" onClick={toLogin} data-testid="reset-to-login">
            {t('reset.toLogin')}
          </Button>
        }
      />
    );
  return (
    <>
      <Typography.Title level={3}>{t('reset.title')}</Typography.Title>
      {token === '' ? (
        <Alert type="warning" title={t('reset.noToken')} showIcon />
      ) : (
        <Form<ResetForm>
          layout="vertical"
          name="reset"
          onFinish={(v) => reset.mutate(v)}
          requiredMark={false}
        >
          <Form.Item
            name="newPassword"
            label={t('password.next')}
            rules={[{ required: true, min: 10, message: t('password.tooShort') }]}
          >
            <Input.Password autoComplete="new-password" autoFocus />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={t('password.repeat')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('password.mismatch') },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('password.mismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {reset.isError && (
            <Alert type="error" title={reset.error.message} showIcon style={{ marginBottom: 16 }} />
          )}
          <Button type="primary" htmlType="submit" block loading={reset.isPending}>
            {t('reset.submit')}
          </Button>
        </Form>
      )}
      <Button type="link" onClick={toLogin} style={{ paddingInline: 0, marginTop: 8 }}>
        {t('login.backToLogin')}
      </Button>
    </>
  );
}

/** The same form for someone who opens a reset link while signed in. */
export function ResetPasswordPage() {
  return (
    <Card style={{ maxWidth: 480 }}>
      <ResetPasswordForm />
    </Card>
  );
}
