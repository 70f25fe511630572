// The buyer card (D1): profile and questionnaire answers with editing, consents (D6), cards with
// block, unblock and replace (C9), points with history and lots (C12), manual accrue or deduct with
// a reason, and erasure of the personal data with a confirmation that lists what goes and what stays.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Result,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ExportButton } from '#api/export-button.tsx';
import { useSession } from '#auth/session-context.tsx';
import { BuyerCoupons } from '#coupons/buyer-coupons.tsx';
import { namesById, useProgramme, useStores } from '#reference/reference-data.ts';
import { fetchQuestionnaire } from '#questionnaire/questionnaire-api.ts';
import {
  blockCard,
  eraseBuyer,
  fetchBuyer,
  fetchLedger,
  fetchLots,
  fetchPoints,
  replaceCard,
  unblockCard,
  type Buyer,
} from './buyer-api.ts';
import { BuyerEditDialog } from './buyer-edit-dialog.tsx';
import { BuyerPurchases } from './buyer-purchases.tsx';
import { buyerName } from './buyers-page.tsx';
import { ManualPointsDialog } from './manual-points-dialog.tsx';

type CardRow = Buyer['cards'][number];

/** One buyer's page. */
export function BuyerCardPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { format, can } = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const stores = namesById(useStores().data);
  const cardTypes = namesById(useProgramme().data?.cardTypes);
  const buyer = useQuery({ queryKey: ['buyer', id], queryFn: () => fetchBuyer(id) });
  const points = useQuery({ queryKey: ['buyer', id, 'points'], queryFn: () => fetchPoints(id) });
  const lots = useQuery({ queryKey: ['buyer', id, 'lots'], queryFn: () => fetchLots(id) });
  const [ledgerPage, setLedgerPage] = useState({ page: 1, pageSize: 20 });
  const ledger = useQuery({
    queryKey: ['buyer', id, 'ledger', ledgerPage],
    queryFn: () => fetchLedger(id, ledgerPage.page, ledgerPage.pageSize),
    placeholderData: keepPreviousData,
  });
  const [manualOpen, setManualOpen] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  // Labels of the merchant's own fields, so answers show "Размер обуви", not "shoe_size".
  const questionnaire = useQuery({ queryKey: ['questionnaire'], queryFn: fetchQuestionnaire });
  const labels = new Map((questionnaire.data?.fields ?? []).map((f) => [f.key, f.label]));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['buyer', id] });

  const block = useMutation({
    mutationFn: ({ card, reason }: { card: CardRow; reason: string }) => blockCard(card.id, reason),
    onSuccess: () => void refresh(),
    onError: (error) => void message.error(error.message),
  });
  const unblock = useMutation({
    mutationFn: (card: CardRow) => unblockCard(card.id),
    onSuccess: () => void refresh(),
    onError: (error) => void message.error(error.message),
  });
  const erase = useMutation({
    mutationFn: () => eraseBuyer(id),
    onSuccess: () => {
      void message.success(t('buyer.erase.done'));
      queryClient.removeQueries({ queryKey: ['buyer', id] });
      void queryClient.invalidateQueries({ queryKey: ['buyers'] });
      void navigate('/buyers');
    },
    onError: (error) => void message.error(error.message),
  });
  const replace = useMutation({
    mutationFn: ({ card, number }: { card: CardRow; number: string }) => replaceCard(card.id, number),
    onSuccess: () => void refresh(),
    onError: (error) => void message.error(error.message),
  });
  // A small prompt: the value lives in a closure so the modal needs no form state.
  const ask = (title: string, onOk: (value: string) => void) => {
    let value = '';
    modal.confirm({
      title,
      content: <Input autoFocus data-testid="prompt-input" onChange={(e) => (value = e.target.value)} />,
      onOk: () => onOk(value.trim()),
    });
  };

  if (buyer.isError) return <Result status="warning" title={buyer.error.message} />;
  const b = buyer.data;
  if (!b) return <Card loading />;

  const canWrite = can('buyers:write');
  const name = buyerName(b, t('buyers.noName'));
  const usableCards = b.cards.filter((c) => c.status === 'issued' || c.status === 'active');
  const confirmErase = () =>
    modal.confirm({
      title: t('buyer.erase.title', { name }),
      width: 520,
      content: (
        <Space orientation="vertical" data-testid="erase-confirm">
          <Typography.Text>{t('buyer.erase.erased')}</Typography.Text>
          {usableCards.length > 0 && (
            <Typography.Text>
              {t('buyer.erase.cards', { numbers: usableCards.map((c) => c.number).join(', ') })}
            </Typography.Text>
          )}
          <Typography.Text>{t('buyer.erase.kept')}</Typography.Text>
          <Typography.Text strong>{t('buyer.erase.irreversible')}</Typography.Text>
        </Space>
      ),
      okText: t('buyer.erase.confirm'),
      okButtonProps: { danger: true, id: 'erase-buyer-ok' },
      onOk: () => erase.mutateAsync(),
    });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space>
          <Button onClick={() => void navigate('/buyers')}>{t('common.back')}</Button>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="buyer-name">
            {name}
          </Typography.Title>
        </Space>
        {canWrite && (
          <Space>
            <Button onClick={() => setEditOpen(true)} data-testid="edit-buyer">
              {t('buyer.editButton')}
            </Button>
            <Button danger onClick={() => void confirmErase()} data-testid="erase-buyer">
              {t('buyer.erase.button')}
            </Button>
          </Space>
        )}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('buyer.profile')} size="small" data-testid="buyer-profile">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('buyer.phone')}>{b.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('buyer.email')}>{b.email ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('buyer.gender')}>
                {b.gender ? t(`buyers.gender.${b.gender}`) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.birthDate')}>{format.date(b.birthDate)}</Descriptions.Item>
              <Descriptions.Item label={t('buyers.columns.cardType')}>
                {b.cardTypeId ? cardTypes.get(b.cardTypeId) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.registeredAt')}>
                {format.dateTime(b.registeredAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.channel')}>
                {t(`buyers.channel.${b.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('buyer.store')}>
                {b.registrationStoreId ? stores.get(b.registrationStoreId) : '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('buyer.stats')} size="small">
            <Row gutter={16}>
              <Col span={8}>
                <Statistic
                  title={t('buyers.columns.purchasesCount')}
                  value={format.count(b.stats.purchasesCount)}
                />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('buyers.columns.purchasesTotal')}
                  value={format.money(b.stats.purchasesTotal)}
                />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t('buyers.columns.averageCheck')}
                  value={format.money(b.stats.averageCheck)}
                />
              </Col>
            </Row>
            <Descriptions column={1} size="small" style={{ marginTop: 12 }}>
              <Descriptions.Item label={t('buyers.columns.lastPurchaseAt')}>
                {format.dateTime(b.stats.lastPurchaseAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('buyers.filter.lastStore')}>
                {b.stats.lastStoreId ? stores.get(b.stats.lastStoreId) : '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('buyer.answers')} size="small" data-testid="buyer-answers">
            {Object.keys(b.answers).length === 0 ? (
              <Empty description={t('buyer.noAnswers')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Descriptions column={1} size="small">
                {Object.entries(b.answers).map(([key, value]) => (
                  <Descriptions.Item key={key} label={labels.get(key) ?? key}>
                    {String(value)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('buyer.consents')} size="small">
            <Space wrap>
              {(['sms', 'advertising', 'email', 'messenger'] as const).map((kind) => (
                <Tag key={kind} color={b.consents[kind] ? 'green' : 'default'}>
                  {t(`buyer.consentKind.${kind}`)}:{' '}
                  {b.consents[kind] ? t('buyer.granted') : t('buyer.withdrawn')}
                </Tag>
              ))}
            </Space>
          </Card>
        </Col>
      </Row>
      {can('sales:read') && (
        <Card title={t('buyer.purchases')} size="small">
          <BuyerPurchases buyerId={id} storeNames={stores} />
        </Card>
      )}
      <Card
        title={t('buyer.cards')}
        size="small"
        extra={
          <ExportButton
            size="small"
            path="/exports/cards.xlsx"
            query={{ buyerId: b.id }}
            data-testid="export-cards"
          />
        }
      >
        <Table<CardRow>
          rowKey="id"
          size="small"
          data-testid="cards-table"
          pagination={false}
          dataSource={b.cards}
          columns={[
            { title: t('buyer.cardNumber'), dataIndex: 'number' },
            { title: t('terminals.status'), render: (_, c) => t(`buyer.cardStatus.${c.status}`) },
            {
              title: t('common.actions'),
              render: (_, card) =>
                canWrite && card.status !== 'replaced' ? (
                  <Space>
                    {card.status === 'blocked' && (
                      <Button
                        size="small"
                        onClick={() =>
                          void modal.confirm({
                            title: t('buyer.unblockConfirm', { number: card.number }),
                            onOk: () => unblock.mutateAsync(card),
                          })
                        }
                      >
                        {t('buyer.unblock')}
                      </Button>
                    )}
                    {card.status !== 'blocked' && (
                      <Button
                        size="small"
                        danger
                        onClick={() =>
                          ask(t('buyer.blockReason'), (reason) => block.mutate({ card, reason }))
                        }
                      >
                        {t('buyer.block')}
                      </Button>
                    )}
                    <Button
                      size="small"
                      onClick={() =>
                        ask(t('buyer.newCardNumber'), (number) => replace.mutate({ card, number }))
                      }
                    >
                      {t('buyer.replace')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <BuyerCoupons buyerId={b.id} />
      <Card
        title={t('buyer.points')}
        size="small"
        extra={
          <Space>
            <ExportButton
              size="small"
              path="/exports/ledger.xlsx"
              query={{ buyerId: b.id }}
              data-testid="export-ledger"
            />
            {can('points:manual') && (
              <Button type="primary" onClick={() => setManualOpen(true)} data-testid="manual-points">
                {t('buyer.manual')}
              </Button>
            )}
          </Space>
        }
      >
        <Row gutter={16}>
          {(['balance', 'available', 'active', 'pending', 'debt'] as const).map((key) => (
            <Col key={key} xs={12} md={4}>
              <Statistic title={t(`buyer.${key}`)} value={format.points(points.data?.[key])} />
            </Col>
          ))}
        </Row>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('buyer.ledger')}
        </Typography.Title>
        <Table
          rowKey="id"
          size="small"
          data-testid="ledger-table"
          loading={ledger.isFetching}
          dataSource={ledger.data?.items ?? []}
          pagination={{
            current: ledgerPage.page,
            pageSize: ledgerPage.pageSize,
            total: ledger.data?.total ?? 0,
          }}
          onChange={(p) => setLedgerPage({ page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
          columns={[
            { title: t('buyer.when'), render: (_, e) => format.dateTime(e.createdAt) },
            {
              title: t('buyer.kind'),
              render: (_, e) => t(`buyer.ledgerKind.${e.kind}`, { defaultValue: e.kind }),
            },
            { title: t('buyer.amount'), align: 'right', render: (_, e) => format.points(e.points) },
            { title: t('buyer.reason'), render: (_, e) => e.reason ?? '' },
          ]}
        />
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={5}>{t('buyer.lots')}</Typography.Title>
          <ExportButton
            size="small"
            path="/exports/lots.xlsx"
            query={{ buyerId: b.id }}
            data-testid="export-lots"
          />
        </Space>
        <Table
          rowKey="id"
          size="small"
          loading={lots.isFetching}
          dataSource={lots.data ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('buyer.lotSource'), dataIndex: 'source' },
            { title: t('buyer.lotInitial'), align: 'right', render: (_, l) => format.points(l.initial) },
            { title: t('buyer.lotRemaining'), align: 'right', render: (_, l) => format.points(l.remaining) },
            { title: t('buyer.activatesAt'), render: (_, l) => format.dateTime(l.activatesAt) },
            {
              title: t('buyer.expiresAt'),
              render: (_, l) => (l.expiresAt ? format.dateTime(l.expiresAt) : t('buyer.never')),
            },
          ]}
        />
      </Card>
      <BuyerEditDialog
        buyer={b}
        open={editOpen}
        onClose={() => setEditOpen(false)}
        onSaved={(saved) => {
          setEditOpen(false);
          queryClient.setQueryData(['buyer', id], saved);
          void message.success(t('buyer.edit.saved'));
          void queryClient.invalidateQueries({ queryKey: ['buyers'] });
        }}
      />
      <ManualPointsDialog
        buyerId={id}
        open={manualOpen}
        onClose={() => setManualOpen(false)}
        onDone={() => {
          setManualOpen(false);
          void refresh();
        }}
      />
    </Space>
  );
}
