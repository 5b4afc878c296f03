// The holder of an account (HolderInput): name, phone, optional ID number and
// an initial password — required from everyone but the INITIATOR, whether or
// not the person is registered (issue 10 point 2: the answer is the same).
import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import './locale';

export interface HolderValues {
  name: string;
  phone: string;
  idNumber?: string;
  password?: string;
}

export function holderInput(h: HolderValues) {
  return {
    name: h.name.trim(),
    phone: h.phone.trim(),
    idNumber: h.idNumber?.trim() || null,
    password: h.password || null,
  };
}

export default function HolderFields({ passwordRequired }: { passwordRequired: boolean }) {
  const { t } = useTranslation();
  const req = { required: true, message: t('accounts.required') };
  return (
    <>
      <Form.Item name={['holder', 'name']} label={t('accounts.holderName')} rules={[req]}>
        <Input maxLength={100} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name={['holder', 'phone']}
        label={t('accounts.holderPhone')}
        rules={[req, { pattern: /^1\d{10}$/, message: t('accounts.phoneInvalid') }]}
      >
        <Input inputMode="tel" maxLength={11} autoComplete="off" />
      </Form.Item>
      <Form.Item name={['holder', 'idNumber']} label={t('accounts.holderIdNumber')}>
        <Input maxLength={18} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name={['holder', 'password']}
        label={passwordRequired ? t('accounts.holderPassword') : t('accounts.holderPasswordOptional')}
        extra={t('accounts.holderPasswordHint')}
        rules={passwordRequired ? [req, { min: 10, message: t('accounts.holderPasswordHint') }] : [{ min: 10, message: t('accounts.holderPasswordHint') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
