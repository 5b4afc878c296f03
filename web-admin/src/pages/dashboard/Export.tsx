// Export to XLSX (README "Exports (XLSX)"): start a job (startStatsExport
// with the dashboard's where, or startDailyReport of the node), poll
// statsExportJob for its progress, then GET its downloadUrl with the same
// bearer token as /graphql and hand the file to the browser.
import { useState } from 'react';
import { App, Button, Dropdown, Modal, Progress, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import type { DashboardExportJobFragment, Sector, StatsMeasure, StatsPeriod } from '../../gql/graphql';
import { DownloadError, downloadErrorText, errorText } from '../../errors';
import { loadTokens } from '../../session';
import { ExportJobDocument, StartDailyReportDocument, StartStatsExportDocument } from './queries';

export interface ExportProps {
  under: string;
  name: string;
  period: StatsPeriod;
  sector: Sector | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The file name of a Content-Disposition header (RFC 6266 filename* first). */
function fileName(header: string | null, fallback: string): string {
  const star = header?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]);
  const plain = header?.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : fallback;
}

export default function ExportButton({ under, name, period, sector }: ExportProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [job, setJob] = useState<DashboardExportJobFragment | null>(null);
  const [open, setOpen] = useState(false);

  const download = async (j: DashboardExportJobFragment) => {
    const token = loadTokens()?.accessToken;
    const res = await fetch(j.downloadUrl!, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new DownloadError(res.status);
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName(res.headers.get('Content-Disposition'), `${name}-${j.kind === 'DAILY_REPORT' ? '日报' : '统计'}.xlsx`);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const run = async (kind: 'stats' | 'daily') => {
    setOpen(true);
    setJob(null);
    // Measures counted by sector only, when a sector is chosen (README: a
    // measure filtered by a dimension it is not counted by is INVALID_INPUT).
    const measures: StatsMeasure[] = sector
      ? ['SCANS', 'FEVERS', 'ALERTS_RAISED', 'ALERTS_CLOSED']
      : ['REGISTRATIONS', 'SCANS', 'PEOPLE_SCANNED', 'FEVERS', 'ALERTS_RAISED', 'ALERTS_CLOSED'];
    const started =
      kind === 'stats'
        ? await client.mutation(StartStatsExportDocument, { where: { under, period, sector }, groupBy: ['REGION'], measures }).toPromise()
        : await client.mutation(StartDailyReportDocument, { under }).toPromise();
    let j = started.data ? ('startStatsExport' in started.data ? started.data.startStatsExport : started.data.startDailyReport) : null;
    if (!j) {
      setOpen(false);
      message.error(t('dashboard.exportFailed', { reason: errorText(started.error) }));
      return;
    }
    setJob(j);
    for (let i = 0; j.status === 'RUNNING' && i < 600; i++) {
      await sleep(400);
      const r = await client.query(ExportJobDocument, { id: j.id }, { requestPolicy: 'network-only' }).toPromise();
      // Shed (OVERLOADED: statsExportJob is an analytics read) or a network
      // hiccup: ask again at the next turn.
      if (r.error && !r.data) continue;
      if (!r.data?.statsExportJob) break;
      j = r.data.statsExportJob;
      setJob(j);
    }
    if (j.status !== 'DONE' || !j.downloadUrl) {
      message.error(t('dashboard.exportFailed', { reason: j.failure || t('errors.exportIncomplete') }));
      return;
    }
    try {
      await download(j);
      message.success(j.rows > 0 ? t('dashboard.exportDone', { rows: j.rows }) : t('dashboard.exportReady'));
    } catch (e) {
      message.error(t('dashboard.exportFailed', { reason: downloadErrorText(e) }));
    }
  };

  const percent = job ? Math.round((job.status === 'DONE' ? 1 : job.progress) * 100) : 0;
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'stats', label: t('dashboard.exportStats') },
            { key: 'daily', label: t('dashboard.exportDaily') },
          ],
          onClick: ({ key }) => void run(key as 'stats' | 'daily'),
        }}
      >
        <Button icon={<DownloadOutlined />} data-testid="export">
          {t('dashboard.export')}
        </Button>
      </Dropdown>
      <Modal open={open} title={t('dashboard.export')} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph>{job?.status === 'DONE' ? (job.rows > 0 ? t('dashboard.exportDone', { rows: job.rows }) : t('dashboard.exportReady')) : t('dashboard.exporting')}</Typography.Paragraph>
        <Progress
          percent={percent}
          status={job?.status === 'FAILED' ? 'exception' : job?.status === 'DONE' ? 'success' : 'active'}
          data-testid="export-progress"
          aria-label={t('dashboard.export')}
        />
        {job?.status === 'DONE' && job.downloadUrl && (
          <Button type="link" icon={<DownloadOutlined />} onClick={() => download(job).catch((e) => message.error(t('dashboard.exportFailed', { reason: downloadErrorText(e) })))}>
            {t('dashboard.download')}
          </Button>
        )}
      </Modal>
    </>
  );
}
