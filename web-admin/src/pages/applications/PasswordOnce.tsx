// The initial password of an approved application's new holder, shown
// once (DecideApplicationPayload.initialPassword): kept only in this
// component's state, gone when the dialog closes.
import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import './locale';

export default function PasswordOnce({ password, onClose }: { password: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('applications.passwordTitle')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('applications.passwordClose')}
        </Button>
      }
    >
      {password ? (
        <>
          <Alert type="warning" showIcon message={t('applications.passwordHint')} style={{ marginBottom: 16 }} />
          <Typography.Paragraph copyable={{ text: password }} style={{ fontSize: 20, fontFamily: 'monospace' }} data-testid="initial-password">
            {password}
          </Typography.Paragraph>
        </>
      ) : (
        <Alert type="info" showIcon message={t('applications.passwordNone')} />
      )}
    </Modal>
  );
}
