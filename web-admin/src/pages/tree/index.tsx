// /tree and /tree/:code: the jurisdiction tree (filled in by the tree page work).
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function TreePage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('tree.title')}</Typography.Title>;
}
