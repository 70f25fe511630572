// Sign-in form with "forgot password"; the server's message (wrong password, too many attempts) is
// shown as it comes. Nobody is signed in here, so the mailed reset link (/reset-password) opens
// its own form from this gate too.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { ResetPasswordForm } from './reset-password-page.tsx';
import { login, requestPasswordReset, sessionQueryKey } from './session-api.ts';

type LoginForm = { email: string; password: string };

/** The grey page with one card every signed-out screen uses. */
export function SignedOutFrame({ children }: { children: ReactNode }) {
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }}>{children}</Card>
    </div>
  );
}

function ForgotPasswordForm({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const request = useMutation({ mutationFn: requestPasswordReset });
  return (
    <>
      <Typography.Title level={3}>{t('forgot.title')}</Typography.Title>
      {request.isSuccess ? (
        <Alert type="success" title={t('forgot.sent')} showIcon data-testid="reset-sent" />
      ) : (
        <Form<{ email: string }>
          layout="vertical"
          name="forgot"
          onFinish={(values) => request.mutate(values)}
          requiredMark={false}
        >
          <Typography.Paragraph>{t('forgot.text')}</Typography.Paragraph>
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[{ required: true, type: 'email', message: t('login.emailRequired') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          {request.isError && (
            <Alert type="error" title={request.error.message} showIcon style={{ marginBottom: 16 }} />
          )}
          <Button type="primary" htmlType="submit" block loading={request.isPending}>
            {t('forgot.submit')}
          </Button>
        </Form>
      )}
      <Button type="link" onClick={onBack} style={{ paddingInline: 0, marginTop: 8 }}>
        {t('login.backToLogin')}
      </Button>
    </>
  );
}

/** The login screen (and, by address, the reset form). */
export function LoginPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [forgot, setForgot] = useState(false);
  const signIn = useMutation({
    mutationFn: login,
    onSuccess: (session) => queryClient.setQueryData(sessionQueryKey, session),
  });
  if (location.pathname === '/reset-password')
    return (
      <SignedOutFrame>
        <ResetPasswordForm />
      </SignedOutFrame>
    );
  if (forgot)
    return (
      <SignedOutFrame>
        <ForgotPasswordForm onBack={() => setForgot(false)} />
      </SignedOutFrame>
    );
  return (
    <SignedOutFrame>
      <Typography.Title level={3}>{t('login.title')}</Typography.Title>
      <Form<LoginForm> layout="vertical" onFinish={(values) => signIn.mutate(values)} requiredMark={false}>
        <Form.Item
          name="email"
          label={t('login.email')}
          rules={[{ required: true, type: 'email', message: t('login.emailRequired') }]}
        >
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {signIn.isError && (
          <Alert type="error" title={signIn.error.message} showIcon style={{ marginBottom: 16 }} />
        )}
        <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
          {t('login.submit')}
        </Button>
      </Form>
      <Button type="link" onClick={() => setForgot(true)} style={{ paddingInline: 0, marginTop: 8 }}>
        {t('login.forgot')}
      </Button>
    </SignedOutFrame>
  );
}
