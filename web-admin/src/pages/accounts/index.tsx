// /accounts: built on this scaffold by the next piece of work (issue 13).
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function Page() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('nav.accounts')}</Typography.Title>;
}
