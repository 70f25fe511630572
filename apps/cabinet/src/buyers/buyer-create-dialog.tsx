// Adding a buyer from the cabinet (D1): the profile, registration store and an issued card; the
// server normalises the phone and refuses a taken one with a message shown as it comes.
import { useMutation } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useStores } from '#reference/reference-data.ts';
import { createBuyer, type Buyer } from './buyer-api.ts';

type CreateForm = {
  phone?: string;
  lastName?: string;
  firstName?: string;
  middleName?: string;
  email?: string;
  gender?: 'male' | 'female';
  birthDate?: Dayjs | null;
  registrationStoreId?: string;
  cardNumber?: string;
};

const orNull = (value: string | undefined) => (value?.trim() ? value.trim() : null);

/** The add-a-buyer dialog; `onCreated` gets the new buyer. */
export function BuyerCreateDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (buyer: Buyer) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateForm>();
  const stores = useStores();
  const create = useMutation({
    mutationFn: (v: CreateForm) =>
      createBuyer({
        phone: orNull(v.phone),
        lastName: orNull(v.lastName),
        firstName: orNull(v.firstName),
        middleName: orNull(v.middleName),
        email: orNull(v.email),
        gender: v.gender ?? null,
        birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null,
        registrationStoreId: v.registrationStoreId ?? null,
        cardNumber: orNull(v.cardNumber),
      }),
    onSuccess: (buyer) => {
      form.resetFields();
      props.onCreated(buyer);
    },
  });
  return (
    <Modal
      open={props.open}
      title={t('buyers.add')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ id: 'create-buyer-ok' }}
      destroyOnHidden
    >
      <Form<CreateForm> form={form} layout="vertical" onFinish={(v) => create.mutate(v)} name="buyer-create">
        <Form.Item name="phone" label={t('buyer.phone')}>
          <Input placeholder="+7 900 000-00-00" />
        </Form.Item>
        <Form.Item name="lastName" label={t('buyers.filter.lastName')}>
          <Input />
        </Form.Item>
        <Form.Item name="firstName" label={t('buyers.filter.firstName')}>
          <Input />
        </Form.Item>
        <Form.Item name="middleName" label={t('buyers.filter.middleName')}>
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t('buyer.email')} rules={[{ type: 'email' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="gender" label={t('buyer.gender')}>
          <Select
            allowClear
            options={[
              { value: 'female', label: t('buyers.gender.female') },
              { value: 'male', label: t('buyers.gender.male') },
            ]}
          />
        </Form.Item>
        <Form.Item name="birthDate" label={t('buyer.birthDate')}>
          <DatePicker format="DD.MM.YYYY" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="registrationStoreId" label={t('buyers.filter.registrationStore')}>
          <Select allowClear options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item name="cardNumber" label={t('buyer.cardNumber')}>
          <Input />
        </Form.Item>
        {create.isError && <Alert type="error" title={create.error.message} showIcon />}
      </Form>
    </Modal>
  );
}
