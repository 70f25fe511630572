// Users and roles (C10) and integration API keys (B4): add a user with a role, change the role,
// deactivate or return; create a key with scopes (the key is shown once) and revoke it. Only the
// owner may give or take the owner role, and nobody may lock themselves out (the server checks too).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Permission } from '@loyalty/protocol/api/auth.schema';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import {
  createApiKey,
  createUser,
  fetchApiKeys,
  fetchUsers,
  revokeApiKey,
  updateUser,
  type ApiKey,
  type ApiKeyCreated,
  type User,
} from './user-api.ts';

const roles = ['owner', 'admin', 'marketer', 'manager', 'analyst'] as const;
type Role = (typeof roles)[number];
const scopes = Object.values(Permission);

/** The users and API keys page. */
export function UsersPage() {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('users.title')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'users', label: t('users.usersTab'), children: <UsersTab /> },
          { key: 'keys', label: t('users.keysTab'), children: <ApiKeysTab /> },
        ]}
      />
    </Space>
  );
}

function UsersTab() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: fetchUsers });
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ email: string; name: string; role: Role; password: string }>();
  const isOwner = session.user.role === 'owner';
  // Only an owner may give the owner role.
  const roleOptions = roles
    .filter((r) => isOwner || r !== 'owner')
    .map((r) => ({ value: r, label: t(`roles.${r}`) }));
  const reload = () => queryClient.invalidateQueries({ queryKey: ['users'] });
  const onError = (error: Error) => void message.error(error.message);

  const create = useMutation({
    mutationFn: createUser,
    onSuccess: () => {
      setCreating(false);
      form.resetFields();
      void message.success(t('users.created'));
      void reload();
    },
  });
  const update = useMutation({
    mutationFn: (v: { id: string; role?: Role; disabled?: boolean }) =>
      updateUser(v.id, { role: v.role, disabled: v.disabled }),
    onSuccess: () => void reload(),
    onError,
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="create-user">
          {t('users.create')}
        </Button>
        <ExportButton path="/exports/users.xlsx" data-testid="export-users" />
      </Space>
      <Table<User>
        rowKey="id"
        size="small"
        data-testid="users-table"
        loading={users.isFetching}
        dataSource={users.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('users.email'), dataIndex: 'email' },
          { title: t('users.name'), dataIndex: 'name' },
          {
            title: t('users.role'),
            render: (_, u) => {
              const self = u.id === session.user.id;
              const locked = self || (u.role === 'owner' && !isOwner);
              return locked ? (
                t(`roles.${u.role}`)
              ) : (
                <Select<Role>
                  size="small"
                  style={{ width: 180 }}
                  value={u.role}
                  options={roleOptions}
                  data-testid={`user-role-${u.email}`}
                  onChange={(role) => update.mutate({ id: u.id, role })}
                />
              );
            },
          },
          {
            title: t('users.state'),
            render: (_, u) =>
              u.disabled ? (
                <Tag color="red">{t('users.disabled')}</Tag>
              ) : (
                <Tag color="green">{t('users.active')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            render: (_, u) =>
              u.id === session.user.id || (u.role === 'owner' && !isOwner) ? null : u.disabled ? (
                <Button size="small" onClick={() => update.mutate({ id: u.id, disabled: false })}>
                  {t('users.enable')}
                </Button>
              ) : (
                <Button
                  size="small"
                  danger
                  onClick={() => {
                    void modal.confirm({
                      title: t('users.disableConfirm', { email: u.email }),
                      onOk: () => update.mutateAsync({ id: u.id, disabled: true }).then(() => undefined),
                    });
                  }}
                >
                  {t('users.disable')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('users.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'user-save' }}
        confirmLoading={create.isPending}
      >
        <Form form={form} name="user" layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="email"
            label={t('users.email')}
            rules={[{ required: true, type: 'email', message: t('users.emailRequired') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="name" label={t('users.name')}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="role"
            label={t('users.role')}
            initialValue="manager"
            rules={[{ required: true, message: t('users.roleRequired') }]}
          >
            <Select options={roleOptions} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('users.password')}
            extra={t('users.passwordHint')}
            rules={[{ required: true, min: 10, message: t('users.passwordRequired') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {create.isError && <Alert type="error" title={create.error.message} showIcon />}
        </Form>
      </Modal>
    </Space>
  );
}

function ApiKeysTab() {
  const { t } = useTranslation();
  const { format } = useSession();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: fetchApiKeys });
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<ApiKeyCreated | null>(null);
  const [form] = Form.useForm<{ name: string; scopes: string[] }>();
  const reload = () => queryClient.invalidateQueries({ queryKey: ['api-keys'] });

  const create = useMutation({
    mutationFn: createApiKey,
    onSuccess: (key) => {
      setCreating(false);
      form.resetFields();
      setShown(key);
      void reload();
    },
  });
  const revoke = useMutation({
    mutationFn: revokeApiKey,
    onSuccess: () => void reload(),
    onError: (error: Error) => void message.error(error.message),
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="create-api-key">
          {t('users.keyCreate')}
        </Button>
        <ExportButton path="/exports/api-keys.xlsx" data-testid="export-api-keys" />
      </Space>
      <Table<ApiKey>
        rowKey="id"
        size="small"
        data-testid="api-keys-table"
        loading={keys.isFetching}
        dataSource={keys.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('users.keyName'), dataIndex: 'name' },
          {
            title: t('users.scopes'),
            render: (_, k) => (
              <Space size={[0, 4]} wrap>
                {k.scopes.map((s) => (
                  <Tag key={s}>{s}</Tag>
                ))}
              </Space>
            ),
          },
          { title: t('users.keyCreated'), render: (_, k) => format.dateTime(k.createdAt) },
          {
            title: t('users.keyLastUsed'),
            render: (_, k) => (k.lastUsedAt ? format.dateTime(k.lastUsedAt) : t('users.never')),
          },
          {
            title: t('users.state'),
            render: (_, k) =>
              k.revoked ? (
                <Tag color="red">{t('users.revoked')}</Tag>
              ) : (
                <Tag color="green">{t('users.active')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            render: (_, k) =>
              k.revoked ? null : (
                <Button
                  size="small"
                  danger
                  onClick={() => {
                    void modal.confirm({
                      title: t('users.revokeConfirm', { name: k.name }),
                      onOk: () => revoke.mutateAsync(k.id).then(() => undefined),
                    });
                  }}
                >
                  {t('users.revoke')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('users.keyCreate')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ id: 'api-key-save' }}
        confirmLoading={create.isPending}
      >
        <Form form={form} name="apiKey" layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="name"
            label={t('users.keyName')}
            rules={[{ required: true, message: t('users.keyNameRequired') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('users.scopes')}
            rules={[{ required: true, message: t('users.scopesRequired') }]}
          >
            <Checkbox.Group options={scopes.map((s) => ({ value: s, label: s }))} />
          </Form.Item>
          {create.isError && <Alert type="error" title={create.error.message} showIcon />}
        </Form>
      </Modal>
      <Modal
        open={shown !== null}
        title={t('users.keyShownTitle')}
        onCancel={() => setShown(null)}
        footer={
          <Button data-testid="close-api-key" onClick={() => setShown(null)}>
            {t('common.close')}
          </Button>
        }
      >
        {shown && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon title={t('users.keyShownText')} />
            <Typography.Paragraph
              copyable
              code
              data-testid="api-key-secret"
              style={{ wordBreak: 'break-all' }}
            >
              {shown.key}
            </Typography.Paragraph>
          </Space>
        )}
      </Modal>
    </Space>
  );
}
