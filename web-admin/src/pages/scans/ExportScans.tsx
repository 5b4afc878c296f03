// Export of the current filter as XLSX (startScansExport): a job on the
// server, followed by polling statsExportJob with a progress bar (rows
// written / rows selected), then downloaded with the session's bearer token
// (GET downloadUrl), saved under the server's file name.
import { useEffect, useState } from 'react';
import { Alert, Button, Modal, Progress, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ScanWhereInput } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { loadTokens } from '../../session';
import { DownloadError, downloadErrorText } from '../../errors';
import { currentLanguage } from '../../i18n';

const StartScansExportDocument = graphql(`
  mutation StartScansExport($where: ScanWhereInput) {
    startScansExport(where: $where) {
      id
      kind
      status
      progress
      rows
      total
      downloadUrl
      failure
    }
  }
`);

const ScansExportJobDocument = graphql(`
  query ScansExportJob($id: ID!) {
    statsExportJob(id: $id) {
      id
      status
      progress
      rows
      total
      downloadUrl
      failure
    }
  }
`);

/** Fetches a finished export with the bearer token and saves it. */
async function download(url: string): Promise<void> {
  const t = loadTokens();
  const r = await fetch(url, { headers: { ...(t ? { Authorization: `Bearer ${t.accessToken}` } : {}), 'Accept-Language': currentLanguage() } });
  if (!r.ok) throw new DownloadError(r.status);
  const cd = r.headers.get('Content-Disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : 'scans.xlsx';
  const blob = await r.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

function JobProgress({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [r, poll] = useQuery({ query: ScansExportJobDocument, variables: { id }, requestPolicy: 'network-only' });
  const job = r.data?.statsExportJob;
  const running = !job || job.status === 'RUNNING';
  const [saved, setSaved] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!running) return;
    const h = setTimeout(() => poll({ requestPolicy: 'network-only' }), 400);
    return () => clearTimeout(h);
  }, [running, r.data, poll]);
  useEffect(() => {
    if (job?.status === 'DONE' && job.downloadUrl && !saved) {
      setSaved(true);
      download(job.downloadUrl).catch((e) => setFailed(downloadErrorText(e)));
    }
  }, [job, saved]);
  const percent = job ? Math.floor(job.progress * 100) : 0;
  const total = job?.total ?? 0;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ErrorAlert error={r.error} />
      <Progress data-testid="export-progress" percent={percent} status={job?.status === 'FAILED' ? 'exception' : job?.status === 'DONE' ? 'success' : 'active'} />
      {job?.status === 'RUNNING' && <Typography.Text>{t('scans.exporting', { rows: job.rows, total })}</Typography.Text>}
      {job?.status === 'DONE' && (
        <Space wrap>
          <Typography.Text data-testid="export-done">{t('scans.exportDone', { rows: job.rows })}</Typography.Text>
          <Button icon={<DownloadOutlined />} onClick={() => job.downloadUrl && download(job.downloadUrl).catch((e) => setFailed(downloadErrorText(e)))}>
            {t('scans.download')}
          </Button>
        </Space>
      )}
      {(job?.status === 'FAILED' || failed) && <Alert type="error" showIcon message={t('scans.exportFailed', { reason: failed || job?.failure || t('errors.exportIncomplete') })} />}
      <Button onClick={onClose}>{t('scans.close')}</Button>
    </Space>
  );
}

export default function ExportScans({ where }: { where: ScanWhereInput }) {
  const { t } = useTranslation();
  const [started, start] = useMutation(StartScansExportDocument);
  const [jobId, setJobId] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        data-testid="export"
        loading={started.fetching}
        onClick={async () => {
          setJobId(null);
          setOpen(true);
          const r = await start({ where });
          if (r.data) setJobId(r.data.startScansExport.id);
        }}
      >
        {t('scans.export')}
      </Button>
      <Modal open={open} title={t('scans.exportTitle')} footer={null} onCancel={() => setOpen(false)} destroyOnClose>
        <ErrorAlert error={started.error} />
        {jobId && <JobProgress id={jobId} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
