// The frame of every signed-in page: the side menu filtered by the role's permissions, the user,
// the language switch, password change and sign-out.
import { useQueryClient } from '@tanstack/react-query';
import { Button, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { logout, sessionQueryKey } from '#auth/session-api.ts';
import { useSession } from '#auth/session-context.tsx';
import { switchLanguage } from '#i18n/i18n.ts';
import { menuEntries, selectedEntry } from './menu-items.ts';

/** Layout with the menu; pages render in the outlet. */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { session, can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();

  const signOut = async () => {
    await logout();
    // Nothing of the previous user's data may outlive the session.
    queryClient.clear();
    queryClient.setQueryData(sessionQueryKey, null);
    await navigate('/');
  };

  const items = menuEntries
    .filter((entry) => can(entry.permission))
    .map((entry) => ({ key: entry.path, label: t(entry.label) }));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={220}>
        <Typography.Title level={5} style={{ padding: '16px 24px', margin: 0 }}>
          {session.merchant.name}
        </Typography.Title>
        <Menu
          mode="inline"
          data-testid="main-menu"
          selectedKeys={[selectedEntry(location.pathname)]}
          items={items}
          onClick={({ key }) => void navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}
        >
          <Space>
            <Button type="text" onClick={() => void switchLanguage(i18n.language === 'en' ? 'ru' : 'en')}>
              {t('menu.language')}
            </Button>
            <Dropdown
              menu={{
                items: [
                  { key: 'password', label: t('menu.password') },
                  { key: 'logout', label: t('menu.logout') },
                ],
                onClick: ({ key }) => void (key === 'logout' ? signOut() : navigate('/password')),
              }}
            >
              <Button data-testid="user-menu">
                {session.user.name || session.user.email} · {t(`roles.${session.user.role}`)}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
