// The D1 filter form. Amounts are typed in roubles and points and sent in minor units; every
// filter goes to the server, which pages, sorts and counts.
import { Button, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { buyerChannelSchema } from '@loyalty/protocol/api/buyers.schema';
import { namesById, useProgramme, useStores } from '#reference/reference-data.ts';
import type { BuyerQuery } from './buyer-api.ts';

type Range = [Dayjs | null, Dayjs | null] | null | undefined;
type YesNo = 'true' | 'false' | undefined;

/** The form's own values, before conversion to query parameters. */
export type BuyerFilterValues = {
  cardTypeId?: string[];
  registrationStoreId?: string[];
  lastStoreId?: string[];
  channel?: z.infer<typeof buyerChannelSchema>[];
  gender?: 'male' | 'female';
  referred?: YesNo;
  isReferrer?: YesNo;
  cardNumberFrom?: string;
  cardNumberTo?: string;
  phone?: string;
  email?: string;
  lastName?: string;
  firstName?: string;
  middleName?: string;
  ageFrom?: number | null;
  ageTo?: number | null;
  birthDate?: Range;
  registered?: Range;
  averageCheckFrom?: number | null;
  averageCheckTo?: number | null;
  purchasesTotalFrom?: number | null;
  purchasesTotalTo?: number | null;
  purchasesCountFrom?: number | null;
  purchasesCountTo?: number | null;
  balanceFrom?: number | null;
  balanceTo?: number | null;
  daysWithoutPurchaseFrom?: number | null;
  daysWithoutPurchaseTo?: number | null;
  boughtProductId?: string;
  bought?: Range;
};

const day = (value: Dayjs | null | undefined) => value?.format('YYYY-MM-DD');
const minor = (value: number | null | undefined) =>
  value === null || value === undefined ? undefined : Math.round(value * 100);
const whole = (value: number | null | undefined) => (value === null ? undefined : value);
const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
const list = <T,>(value: T[] | undefined) => (value && value.length > 0 ? value : undefined);

/** Form values to the list's query parameters (money in kopecks, points in hundredths). */
export function filtersToQuery(v: BuyerFilterValues): BuyerQuery {
  return {
    cardTypeId: list(v.cardTypeId),
    registrationStoreId: list(v.registrationStoreId),
    lastStoreId: list(v.lastStoreId),
    channel: list(v.channel),
    gender: v.gender,
    referred: v.referred,
    isReferrer: v.isReferrer,
    cardNumberFrom: text(v.cardNumberFrom),
    cardNumberTo: text(v.cardNumberTo),
    phone: text(v.phone),
    email: text(v.email),
    lastName: text(v.lastName),
    firstName: text(v.firstName),
    middleName: text(v.middleName),
    ageFrom: whole(v.ageFrom),
    ageTo: whole(v.ageTo),
    birthDateFrom: day(v.birthDate?.[0]),
    birthDateTo: day(v.birthDate?.[1]),
    registeredFrom: day(v.registered?.[0]),
    registeredTo: day(v.registered?.[1]),
    averageCheckFrom: minor(v.averageCheckFrom),
    averageCheckTo: minor(v.averageCheckTo),
    purchasesTotalFrom: minor(v.purchasesTotalFrom),
    purchasesTotalTo: minor(v.purchasesTotalTo),
    purchasesCountFrom: whole(v.purchasesCountFrom),
    purchasesCountTo: whole(v.purchasesCountTo),
    balanceFrom: minor(v.balanceFrom),
    balanceTo: minor(v.balanceTo),
    daysWithoutPurchaseFrom: whole(v.daysWithoutPurchaseFrom),
    daysWithoutPurchaseTo: whole(v.daysWithoutPurchaseTo),
    boughtProductId: text(v.boughtProductId)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    boughtFrom: day(v.bought?.[0]),
    boughtTo: day(v.bought?.[1]),
  };
}

const NumberRange = ({ name, label }: { name: string; label: string }) => {
  const { t } = useTranslation();
  return (
    <Form.Item label={label} style={{ marginBottom: 8 }}>
      <Space.Compact block>
        <Form.Item name={`${name}From`} noStyle>
          <InputNumber placeholder={t('common.from')} style={{ width: '50%' }} data-testid={`${name}From`} />
        </Form.Item>
        <Form.Item name={`${name}To`} noStyle>
          <InputNumber placeholder={t('common.to')} style={{ width: '50%' }} data-testid={`${name}To`} />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );
};

/** Every D1 filter in a compact grid; `onApply` gets the query parameters. */
export function BuyerFilters({ onApply }: { onApply: (query: BuyerQuery) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<BuyerFilterValues>();
  const stores = useStores();
  const programme = useProgramme();
  const storeOptions = [...namesById(stores.data)].map(([value, label]) => ({ value, label }));
  const cardTypeOptions = (programme.data?.cardTypes ?? []).map((c) => ({ value: c.id, label: c.name }));
  const yesNo = [
    { value: 'true', label: t('common.yes') },
    { value: 'false', label: t('common.no') },
  ];
  const col = { xs: 24, sm: 12, lg: 8, xl: 6 };
  return (
    <Form<BuyerFilterValues>
      form={form}
      layout="vertical"
      size="small"
      data-testid="buyer-filters"
      onFinish={(values) => onApply(filtersToQuery(values))}
    >
      <Row gutter={12}>
        <Col {...col}>
          <Form.Item name="cardTypeId" label={t('buyers.filter.cardType')} style={{ marginBottom: 8 }}>
            <Select mode="multiple" allowClear options={cardTypeOptions} data-testid="filter-card-type" />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item
            name="registrationStoreId"
            label={t('buyers.filter.registrationStore')}
            style={{ marginBottom: 8 }}
          >
            <Select
              mode="multiple"
              allowClear
              options={storeOptions}
              data-testid="filter-registration-store"
              optionFilterProp="label"
            />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name="lastStoreId" label={t('buyers.filter.lastStore')} style={{ marginBottom: 8 }}>
            <Select mode="multiple" allowClear options={storeOptions} optionFilterProp="label" />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name="channel" label={t('buyers.filter.channel')} style={{ marginBottom: 8 }}>
            <Select
              mode="multiple"
              allowClear
              options={buyerChannelSchema.options.map((c) => ({ value: c, label: t(`buyers.channel.${c}`) }))}
            />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name="gender" label={t('buyers.filter.gender')} style={{ marginBottom: 8 }}>
            <Select
              allowClear
              data-testid="filter-gender"
              options={[
                { value: 'female', label: t('buyers.gender.female') },
                { value: 'male', label: t('buyers.gender.male') },
              ]}
            />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name="referred" label={t('buyers.filter.referred')} style={{ marginBottom: 8 }}>
            <Select allowClear options={yesNo} />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name="isReferrer" label={t('buyers.filter.isReferrer')} style={{ marginBottom: 8 }}>
            <Select allowClear options={yesNo} />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item label={t('buyers.filter.cardNumber')} style={{ marginBottom: 8 }}>
            <Space.Compact block>
              <Form.Item name="cardNumberFrom" noStyle>
                <Input placeholder={t('common.from')} />
              </Form.Item>
              <Form.Item name="cardNumberTo" noStyle>
                <Input placeholder={t('common.to')} />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        </Col>
        {(['phone', 'email', 'lastName', 'firstName', 'middleName'] as const).map((name) => (
          <Col {...col} key={name}>
            <Form.Item name={name} label={t(`buyers.filter.${name}`)} style={{ marginBottom: 8 }}>
              <Input allowClear data-testid={`filter-${name}`} />
            </Form.Item>
          </Col>
        ))}
        <Col {...col}>
          <NumberRange name="age" label={t('buyers.filter.age')} />
        </Col>
        <Col {...col}>
          <Form.Item name="birthDate" label={t('buyers.filter.birthDate')} style={{ marginBottom: 8 }}>
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name="registered" label={t('buyers.filter.registered')} style={{ marginBottom: 8 }}>
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col {...col}>
          <NumberRange name="averageCheck" label={t('buyers.filter.averageCheck')} />
        </Col>
        <Col {...col}>
          <NumberRange name="purchasesTotal" label={t('buyers.filter.purchasesTotal')} />
        </Col>
        <Col {...col}>
          <NumberRange name="purchasesCount" label={t('buyers.filter.purchasesCount')} />
        </Col>
        <Col {...col}>
          <NumberRange name="balance" label={t('buyers.filter.balance')} />
        </Col>
        <Col {...col}>
          <NumberRange name="daysWithoutPurchase" label={t('buyers.filter.daysWithoutPurchase')} />
        </Col>
        <Col {...col}>
          <Form.Item
            name="boughtProductId"
            label={t('buyers.filter.boughtProduct')}
            style={{ marginBottom: 8 }}
          >
            <Input allowClear />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name="bought" label={t('buyers.filter.boughtPeriod')} style={{ marginBottom: 8 }}>
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" data-testid="apply-filters">
          {t('common.apply')}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            onApply({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Space>
    </Form>
  );
}
