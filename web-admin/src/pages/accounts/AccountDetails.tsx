// One account's details: status and reason, last activity, holder and the
// link of the holder's own health code (seed 001 §7).
import { Alert, Descriptions, Drawer, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { AccountRowFragment } from '../../gql/graphql';
import EnumTag from '../../components/EnumTag';
import { scopeName, StatusCell } from './AccountTable';
import './locale';

const when = (s: string | null | undefined) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

export default function AccountDetails({ account, onClose }: { account: AccountRowFragment | null; onClose: () => void }) {
  const { t } = useTranslation();
  if (!account) return null;
  const a = account;
  return (
    <Drawer open onClose={onClose} title={t('accounts.details')} width={Math.min(520, window.innerWidth)}>
      {a.disabledReason === 'PENDING_CONSENT' && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('accounts.pendingConsentNote')} />}
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('accounts.role')}>
          <EnumTag of="AccountRole" value={a.role} color="blue" />
        </Descriptions.Item>
        <Descriptions.Item label={t('accounts.scope')}>{scopeName(a)}</Descriptions.Item>
        {a.sector && (
          <Descriptions.Item label={t('accounts.sector')}>
            <EnumTag of="Sector" value={a.sector} />
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('accounts.holder')}>
          {a.holder ? `${a.holder.name} · ${a.holder.phoneMasked}` : <Typography.Text type="secondary">{t('accounts.holderHidden')}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('accounts.holderCode')}>
          <EnumTag of="HolderCode" value={a.holderCode} />
        </Descriptions.Item>
        <Descriptions.Item label={t('accounts.status')}>
          <StatusCell a={a} />
        </Descriptions.Item>
        {a.disabledAt && <Descriptions.Item label={t('accounts.disabledAt')}>{when(a.disabledAt)}</Descriptions.Item>}
        <Descriptions.Item label={t('accounts.lastActive')}>{a.lastActiveAt ? when(a.lastActiveAt) : t('accounts.never')}</Descriptions.Item>
        <Descriptions.Item label={t('accounts.createdAt')}>{when(a.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('accounts.sms')}>
          <Typography.Text type="secondary">{t('accounts.smsHint')}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Drawer>
  );
}
