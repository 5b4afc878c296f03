// /control-lists: an official or the INITIATOR uploads a control list
// (管控名单, seed 000 §五.2 做好数据共享: 需要隔离人员和解除隔离人员数据要及时上报,
// 确保“吉祥码”颜色能够根据管控工作需要及时调整到位) by drag and drop; the job's
// progress is polled until it is done, with the row errors by line, and the
// history of imports is paged below. The columns are those the importer
// reads (controllist/doc.go): 身份证号, 风险 required; 隔离结束, 证件类型, 姓名.
import './locale';
import { useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Progress, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { ImportJobFragment } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';

graphql(`
  fragment ImportJob on ControlListImport {
    id
    filename
    format
    status
    totalRows
    processedRows
    appliedRows
    unchangedRows
    invalidRows
    failure
    createdAt
    finishedAt
    rowErrors {
      line
      reason
    }
  }
`);

const ImportDocument = graphql(`
  mutation ImportControlList($filename: String!, $content: String!) {
    importControlList(filename: $filename, contentBase64: $content) {
      ...ImportJob
    }
  }
`);

const JobDocument = graphql(`
  query ControlListImport($id: ID!) {
    controlListImport(id: $id) {
      ...ImportJob
    }
  }
`);

const HistoryDocument = graphql(`
  query ControlListImports($after: Cursor) {
    controlListImports(first: 10, after: $after) {
      edges {
        node {
          ...ImportJob
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The header the importer reads (controllist/parse.go headerAliases), with a BOM so Excel reads UTF-8. */
const template = '\uFEFF身份证号,风险,隔离结束,证件类型,姓名\r\n';

function downloadTemplate() {
  const url = URL.createObjectURL(new Blob([template], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = '管控名单模板.csv';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

const done = (s: string) => s === 'DONE' || s === 'FAILED';
const fmt = (s?: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm:ss') : '—');
const statusColour: Record<string, string> = { PENDING: 'default', RUNNING: 'processing', DONE: 'success', FAILED: 'error' };

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={statusColour[status]}>{t(`controlLists.status_${status}`)}</Tag>;
}

function percent(j: ImportJobFragment): number {
  if (j.status === 'DONE') return 100;
  if (j.totalRows <= 0) return 0;
  return Math.min(99, Math.floor((j.processedRows * 100) / j.totalRows));
}

/** One job: progress, counts, failure and row errors, polled while it runs. */
function JobCard({ id, onFinished }: { id: string; onFinished: () => void }) {
  const { t } = useTranslation();
  const [r, reexecute] = useQuery({ query: JobDocument, variables: { id }, requestPolicy: 'network-only' });
  const job = r.data?.controlListImport;
  const running = !!job && !done(job.status);
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => reexecute({ requestPolicy: 'network-only' }), 500);
    return () => clearTimeout(timer);
  }, [running, r.data, reexecute]);
  useEffect(() => {
    if (job && done(job.status)) onFinished();
  }, [job?.status]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!job) return <ErrorAlert error={r.error} />;
  return (
    <Card size="small" title={`${t('controlLists.job')}：${job.filename}`} extra={<StatusTag status={job.status} />} style={{ marginBottom: 16 }} data-testid="import-job">
      <ErrorAlert error={r.error} />
      <Progress percent={percent(job)} status={job.status === 'FAILED' ? 'exception' : job.status === 'DONE' ? 'success' : 'active'} />
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('controlLists.rows', { total: job.totalRows, processed: job.processedRows })}
      </Typography.Paragraph>
      <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
        <Descriptions.Item label={t('controlLists.applied')}>{job.appliedRows}</Descriptions.Item>
        <Descriptions.Item label={t('controlLists.unchanged')}>{job.unchangedRows}</Descriptions.Item>
        <Descriptions.Item label={t('controlLists.invalid')}>
          <Typography.Text type={job.invalidRows > 0 ? 'danger' : undefined}>{job.invalidRows}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      {job.failure && (
        <Typography.Paragraph type="danger">
          {t('controlLists.failure')}：{job.failure}
        </Typography.Paragraph>
      )}
      {job.rowErrors.length > 0 && (
        <Table
          rowKey={(e) => `${e.line}`}
          size="small"
          title={() => t('controlLists.rowErrors')}
          dataSource={job.rowErrors}
          pagination={job.rowErrors.length > 20 ? { pageSize: 20 } : false}
          columns={[
            { title: t('controlLists.line'), dataIndex: 'line', width: 80 },
            { title: t('controlLists.reason'), dataIndex: 'reason', render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text> },
          ]}
        />
      )}
    </Card>
  );
}

export default function ControlListsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [current, setCurrent] = useState<string | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [history, refetch] = useQuery({ query: HistoryDocument, variables: { after }, requestPolicy: 'cache-and-network' });
  const [{ fetching, error }, upload] = useMutation(ImportDocument);
  const rows = (history.data?.controlListImports.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const info = history.data?.controlListImports.pageInfo;

  const send = async (file: File) => {
    let content: string;
    try {
      content = await base64Of(file);
    } catch {
      message.error(t('controlLists.readFailed'));
      return;
    }
    const res = await upload({ filename: file.name, content });
    if (res.error) message.error(errorText(res.error));
    else if (res.data) {
      setCurrent(res.data.importControlList.id);
      setCursors([null]);
      refetch({ requestPolicy: 'network-only' });
    }
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('controlLists.title')}
        </Typography.Title>
        <Button icon={<DownloadOutlined />} onClick={downloadTemplate}>
          {t('controlLists.template')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('controlLists.intro')}</Typography.Paragraph>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        disabled={fetching}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
        style={{ marginBottom: 16 }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{fetching ? t('controlLists.uploading') : t('controlLists.drop')}</p>
        <p className="ant-upload-hint">{t('controlLists.dropHint')}</p>
        <p className="ant-upload-hint">{t('controlLists.values')}</p>
      </Upload.Dragger>
      <ErrorAlert error={error} />
      {current && <JobCard key={current} id={current} onFinished={() => refetch({ requestPolicy: 'network-only' })} />}
      <Card size="small" title={t('controlLists.history')}>
        <ErrorAlert error={history.error} />
        <Table<ImportJobFragment>
          rowKey="id"
          size="small"
          loading={history.fetching && !history.data}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('controlLists.empty') }}
          data-testid="import-history"
          columns={[
            { title: t('controlLists.filename'), dataIndex: 'filename' },
            { title: t('controlLists.status'), key: 'status', render: (_, j) => <StatusTag status={j.status} /> },
            {
              title: t('controlLists.progress'),
              key: 'progress',
              render: (_, j) => <Progress size="small" style={{ width: 120, margin: 0 }} percent={percent(j)} status={j.status === 'FAILED' ? 'exception' : undefined} />,
            },
            { title: t('controlLists.applied'), dataIndex: 'appliedRows' },
            { title: t('controlLists.unchanged'), dataIndex: 'unchangedRows' },
            { title: t('controlLists.invalid'), dataIndex: 'invalidRows' },
            { title: t('controlLists.createdAt'), key: 'created', render: (_, j) => fmt(j.createdAt) },
            { title: t('controlLists.finishedAt'), key: 'finished', render: (_, j) => fmt(j.finishedAt) },
            {
              title: t('common.actions'),
              key: 'x',
              render: (_, j) => (
                <Button size="small" onClick={() => setCurrent(j.id)}>
                  {t('controlLists.details')}
                </Button>
              ),
            },
          ]}
        />
        <Space style={{ marginTop: 8 }}>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('controlLists.prev')}
          </Button>
          <Button disabled={!info?.hasNextPage} onClick={() => setCursors((c) => [...c, info?.endCursor ?? null])}>
            {t('controlLists.next')}
          </Button>
        </Space>
      </Card>
    </>
  );
}
