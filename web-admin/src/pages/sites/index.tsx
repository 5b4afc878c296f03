// /sites/:id: one site (filled in by the site page work).
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function SitePage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('site.title')}</Typography.Title>;
}
