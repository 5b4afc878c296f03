// Pausing the alert pushes of a region (a bad import flooding them): the
// alerts are still recorded and listed, only not pushed. With a
// confirmation; the current pauses listed with a resume button.
import { useState } from 'react';
import { App, Button, Card, Input, List, Popconfirm, Space, Typography } from 'antd';
import { PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import dayjs from 'dayjs';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';
import { AlertPausesDocument, PauseAlertsDocument } from './documents';
import { ScopeRegionPicker } from './parts';

export default function Pauses({ scope }: { scope: string | undefined }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [r, reexecute] = useQuery({ query: AlertPausesDocument, requestPolicy: 'cache-and-network' });
  const [, pause] = useMutation(PauseAlertsDocument);
  const [region, setRegion] = useState<{ id: string; name: string } | null>(null);
  const [reason, setReason] = useState('');
  const set = async (id: string, paused: boolean, why?: string) => {
    const res = await pause({ region: id, paused, reason: why });
    if (res.error) {
      message.error(errorText(res.error));
      return false;
    }
    message.success(paused ? t('alerts.paused') : t('alerts.resumed'));
    reexecute({ requestPolicy: 'network-only' });
    return true;
  };
  const confirmPause = () => {
    if (!region) return;
    if (!reason.trim()) {
      message.warning(t('alerts.reasonRequired'));
      return;
    }
    modal.confirm({
      title: t('alerts.pauseConfirmTitle', { name: region.name }),
      content: t('alerts.pauseConfirm'),
      okButtonProps: { danger: true },
      onOk: async () => {
        if (await set(region.id, true, reason.trim())) {
          setRegion(null);
          setReason('');
        }
      },
    });
  };
  return (
    <Card size="small" title={t('alerts.pauses')} style={{ marginTop: 16 }} data-testid="alert-pauses">
      <Typography.Paragraph type="secondary">{t('alerts.pausesHint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <ScopeRegionPicker
          scope={scope}
          value={region?.id}
          onChange={(id, name) => setRegion(id ? { id, name: name ?? id } : null)}
          placeholder={t('alerts.pauseRegion')}
        />
        <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('alerts.pauseReason')} maxLength={500} style={{ width: 240 }} />
        <Button danger icon={<PauseCircleOutlined />} disabled={!region} onClick={confirmPause}>
          {t('alerts.pause')}
        </Button>
      </Space>
      <ErrorAlert error={r.error} />
      <List
        size="small"
        locale={{ emptyText: t('alerts.noPauses') }}
        dataSource={r.data?.alertPauses ?? []}
        renderItem={(p) => (
          <List.Item
            actions={[
              <Popconfirm key="resume" title={t('alerts.resumeConfirm', { name: p.region.name })} onConfirm={() => set(p.region.id, false)}>
                <Button size="small">{t('alerts.resume')}</Button>
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              title={p.region.name}
              description={`${p.reason || '—'} · ${t('alerts.pausedAt')} ${dayjs(p.at).format('YYYY-MM-DD HH:mm')}`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
