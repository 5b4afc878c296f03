// The queue as the scanner sees it: how many scans wait to be uploaded,
// when the next attempt is, the scans the server refused (需处理) with the
// reason and the choice to submit again or delete, and the latest results
// of uploaded offline scans (a DENY found after the person went through is
// shown here; the alert reached the officials anyway).
import { Button, List, Popconfirm, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FailedScan } from './queue';
import type { StationScanFragment } from '../../gql/graphql';
import { errorLine } from './ResultScreen';

export interface Uploaded {
  clientId: string;
  label: string;
  scan: StationScanFragment;
}

interface Props {
  waiting: number;
  waitingOther: number;
  failed: FailedScan[];
  uploaded: Uploaded[];
  uploading: boolean;
  lastError: string | null;
  nextInS: number | null;
  onUpload: () => void;
  onRetry: (id: string) => void;
  onDiscard: (id: string) => void;
}

export default function QueuePanel(p: Props) {
  const { t, i18n } = useTranslation();
  return (
    <div data-testid="station-queue">
      <Space wrap align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong style={{ fontSize: 18 }} data-testid="station-waiting" data-count={p.waiting}>
          {p.waiting > 0 ? t('station.queue.waiting', { n: p.waiting }) : t('station.queue.empty')}
        </Typography.Text>
        <Button onClick={p.onUpload} loading={p.uploading} disabled={p.waiting === 0}>
          {p.uploading ? t('station.queue.uploading') : t('station.queue.upload')}
        </Button>
        {p.waiting > 0 && p.nextInS !== null && !p.uploading && (
          <Typography.Text type="secondary">{t('station.queue.nextTry', { s: p.nextInS })}</Typography.Text>
        )}
      </Space>
      {p.waitingOther > 0 && <div style={{ color: '#ad6800' }}>{t('station.queue.waitingOther', { n: p.waitingOther })}</div>}
      {p.lastError && p.waiting > 0 && <div style={{ color: '#ad6800' }}>{t('station.queue.lastError', { message: p.lastError })}</div>}
      {p.failed.length > 0 && (
        <div data-testid="station-failed" style={{ marginTop: 12 }}>
          <Typography.Text strong style={{ color: '#cf1322' }}>
            {t('station.queue.needsAction', { n: p.failed.length })}
          </Typography.Text>
          <div style={{ color: '#8c8c8c', fontSize: 13 }}>{t('station.queue.needsActionHint')}</div>
          <List
            size="small"
            dataSource={p.failed}
            renderItem={(f) => (
              <List.Item
                actions={[
                  <Button key="r" size="small" onClick={() => p.onRetry(f.clientId)}>
                    {t('station.queue.retry')}
                  </Button>,
                  <Popconfirm key="d" title={t('station.queue.discardConfirm')} onConfirm={() => p.onDiscard(f.clientId)}>
                    <Button size="small" danger>
                      {t('station.queue.discard')}
                    </Button>
                  </Popconfirm>,
                ]}
              >
                <List.Item.Meta
                  title={`${f.label} · ${dayjs(f.queuedAt).format('MM-DD HH:mm:ss')}`}
                  description={errorLine(t, i18n.exists.bind(i18n), f.code, f.message)}
                />
              </List.Item>
            )}
          />
        </div>
      )}
      {p.uploaded.length > 0 && (
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('station.queue.uploaded')}</Typography.Text>
          <List
            size="small"
            dataSource={p.uploaded}
            renderItem={(u) => (
              <List.Item>
                <Space wrap>
                  <Tag color={u.scan.decision === 'PASS' ? 'green' : 'red'}>{t(`station.result.${u.scan.decision}`)}</Tag>
                  <span>{u.scan.nameMasked || u.label}</span>
                  {u.scan.alertReasons.map((r) => (
                    <Tag key={r} color="red">
                      {i18n.exists(`station.reasons.${r}`) ? t(`station.reasons.${r}`) : r}
                    </Tag>
                  ))}
                  <Typography.Text type="secondary">{u.scan.temperature.toFixed(1)} °C</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </div>
      )}
    </div>
  );
}
