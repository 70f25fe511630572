// Editing a buyer (D1, D2): the phone, the standard fields the questionnaire has switched on and the
// answers to the merchant's own fields. The server checks everything against the questionnaire; its
// `{ code, message, details.issues }` answer is shown under each field it names.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiFailure } from '#api/http-client.ts';
import {
  fetchQuestionnaire,
  type QuestionnaireField,
  type StandardFieldName,
} from '#questionnaire/questionnaire-api.ts';
import { updateBuyer, type Buyer, type BuyerUpdate } from './buyer-api.ts';

type AnswerValue = string | number | Dayjs | null | undefined;
type EditForm = {
  phone?: string;
  lastName?: string;
  firstName?: string;
  middleName?: string;
  email?: string;
  gender?: 'male' | 'female' | null;
  birthDate?: Dayjs | null;
  answers: Record<string, AnswerValue>;
};

const orNull = (value: string | undefined) => (value?.trim() ? value.trim() : null);
const standardOrder: readonly StandardFieldName[] = [
  'lastName',
  'firstName',
  'middleName',
  'email',
  'gender',
  'birthDate',
];

/** The form's value of an answer as the API takes it: dates as YYYY-MM-DD, empty as null. */
function answerOut(field: QuestionnaireField, value: AnswerValue): string | number | null {
  if (value === undefined || value === null || value === '') return null;
  if (field.kind === 'date') return dayjs.isDayjs(value) ? value.format('YYYY-MM-DD') : String(value);
  if (dayjs.isDayjs(value)) return value.format('YYYY-MM-DD');
  return typeof value === 'string' ? value.trim() || null : value;
}

function answerIn(field: QuestionnaireField, value: unknown): AnswerValue {
  if (value === undefined || value === null) return undefined;
  if (field.kind === 'date' && typeof value === 'string') return dayjs(value);
  return typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value);
}

/** Where a server issue path (`body.answers.size`, `body.firstName`) sits in this form. */
function formPath(issuePath: string): Array<string> | null {
  const parts = issuePath.replace(/^body\./, '').split('.');
  if (parts[0] === 'answers' && parts[1]) return ['answers', parts[1]];
  return parts[0] ? [parts[0]] : null;
}

/** The edit dialog; `onSaved` gets the buyer as the server stored it. */
export function BuyerEditDialog(props: {
  buyer: Buyer;
  open: boolean;
  onClose: () => void;
  onSaved: (buyer: Buyer) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditForm>();
  const questionnaire = useQuery({ queryKey: ['questionnaire'], queryFn: fetchQuestionnaire });
  const standard = questionnaire.data?.standardFields;
  const fields = (questionnaire.data?.fields ?? []).filter((f) => f.enabled);
  const shown = standardOrder.filter((name) => standard?.[name].enabled);
  const b = props.buyer;

  const save = useMutation({
    mutationFn: (v: EditForm) => {
      const body: BuyerUpdate = { phone: orNull(v.phone) };
      for (const name of shown) {
        if (name === 'gender') body.gender = v.gender ?? null;
        else if (name === 'birthDate') body.birthDate = v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null;
        else body[name] = orNull(v[name]);
      }
      if (fields.length > 0)
        body.answers = Object.fromEntries(fields.map((f) => [f.key, answerOut(f, v.answers[f.key])]));
      return updateBuyer(b.id, body);
    },
    onSuccess: (buyer) => props.onSaved(buyer),
    onError: (error) => {
      if (!isApiFailure(error)) return;
      const details = error.details as { issues?: Array<{ path: string; message: string }> } | null;
      const known = new Set(['phone', ...shown, ...fields.map((f) => `answers.${f.key}`)]);
      // Only the paths this form shows are set (checked against `known`), so the cast is safe.
      const issues = (details?.issues ?? []).flatMap((issue) => {
        const name = formPath(issue.path);
        return name && known.has(name.join('.')) ? [{ name, errors: [issue.message] }] : [];
      });
      form.setFields(issues as Parameters<typeof form.setFields>[0]);
    },
  });

  const initial: EditForm = {
    phone: b.phone ?? '',
    lastName: b.lastName ?? '',
    firstName: b.firstName ?? '',
    middleName: b.middleName ?? '',
    email: b.email ?? '',
    gender: b.gender,
    birthDate: b.birthDate ? dayjs(b.birthDate) : null,
    answers: Object.fromEntries(fields.map((f) => [f.key, answerIn(f, b.answers[f.key])])),
  };
  const requiredRule = (required: boolean | undefined) =>
    required ? [{ required: true, message: t('buyer.edit.required') }] : [];

  return (
    <Modal
      open={props.open}
      title={t('buyer.edit.title')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ id: 'buyer-edit-save', disabled: !questionnaire.data }}
      destroyOnHidden
    >
      {questionnaire.data && (
        <Form<EditForm>
          form={form}
          layout="vertical"
          name="buyer-edit"
          initialValues={initial}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="phone" label={t('buyer.phone')}>
            <Input placeholder="+7 900 000-00-00" />
          </Form.Item>
          {shown.map((name) => (
            <Form.Item
              key={name}
              name={name}
              label={t(`buyer.field.${name}`)}
              rules={[
                ...requiredRule(standard?.[name].required),
                ...(name === 'email' ? [{ type: 'email' as const, message: t('buyer.edit.email') }] : []),
              ]}
            >
              {name === 'gender' ? (
                <Select
                  allowClear
                  options={[
                    { value: 'female', label: t('buyers.gender.female') },
                    { value: 'male', label: t('buyers.gender.male') },
                  ]}
                />
              ) : name === 'birthDate' ? (
                <DatePicker format="DD.MM.YYYY" style={{ width: '100%' }} />
              ) : (
                <Input />
              )}
            </Form.Item>
          ))}
          {fields.map((field) => (
            <Form.Item
              key={field.key}
              name={['answers', field.key]}
              label={field.label}
              rules={requiredRule(field.required)}
            >
              {field.kind === 'list' ? (
                <Select allowClear options={(field.options ?? []).map((o) => ({ value: o, label: o }))} />
              ) : field.kind === 'number' ? (
                <InputNumber style={{ width: '100%' }} />
              ) : field.kind === 'date' ? (
                <DatePicker format="DD.MM.YYYY" style={{ width: '100%' }} />
              ) : (
                <Input />
              )}
            </Form.Item>
          ))}
          {save.isError && <Alert type="error" title={save.error.message} showIcon />}
        </Form>
      )}
    </Modal>
  );
}
