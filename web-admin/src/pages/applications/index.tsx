// /applications: a unit submits a senior application; the INITIATOR reviews
// the queue and approves (the initial password of a new holder is shown
// once) or rejects with a reason (seed 001 §9, §13).
import './locale';
import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { ApplicationRowFragment, ApplicationStatus, ApplicationWhereInput } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';
import EnumTag from '../../components/EnumTag';
import { errorText } from '../../errors';
import { useAccess } from '../../useAccess';
import { useViewer } from '../../viewer';
import SubmitForm from './SubmitForm';
import PasswordOnce from './PasswordOnce';

graphql(`
  fragment ApplicationRow on Application {
    id
    createdAt
    unitName
    uscc
    status
    holderName
    holderPhoneMasked
    holderIDNumberMasked
    decidedAt
    decisionReason
    scopeRegion {
      id
      name
    }
    scopeSite {
      id
      name
      region {
        id
        name
      }
    }
    submittedBy {
      id
      role
    }
  }
`);

const ApplicationsDocument = graphql(`
  query Applications($where: ApplicationWhereInput, $after: Cursor) {
    applications(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          ...ApplicationRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const DecideApplicationDocument = graphql(`
  mutation DecideApplication($id: ID!, $approve: Boolean!, $reason: String) {
    decideApplication(id: $id, approve: $approve, reason: $reason) {
      application {
        ...ApplicationRow
      }
      account {
        id
        status
      }
      initialPassword
    }
  }
`);

const statuses: ApplicationStatus[] = ['PENDING', 'APPROVED', 'REJECTED'];
const statusColor: Record<string, string> = { PENDING: 'gold', APPROVED: 'green', REJECTED: 'red' };

function scope(a: ApplicationRowFragment) {
  if (a.scopeSite) return `${a.scopeSite.name} · ${a.scopeSite.region.name}`;
  return a.scopeRegion?.name ?? '';
}

function ApplicationList({ where, decide, version }: { where: ApplicationWhereInput; decide: boolean; version: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [after, setAfter] = useState<string | null>(null);
  const [r, reexecute] = useQuery({ query: ApplicationsDocument, variables: { where, after }, requestPolicy: 'cache-and-network' });
  const [{ fetching }, decideApplication] = useMutation(DecideApplicationDocument);
  const [rejecting, setRejecting] = useState<ApplicationRowFragment | null>(null);
  const [password, setPassword] = useState<{ value: string | null } | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  void version;
  const rows = (r.data?.applications.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const info = r.data?.applications.pageInfo;
  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  const approve = async (a: ApplicationRowFragment) => {
    const res = await decideApplication({ id: a.id, approve: true, reason: null });
    if (res.error) return message.error(errorText(res.error));
    message.success(t('applications.approved'));
    setPassword({ value: res.data?.decideApplication.initialPassword ?? null });
  };
  const reject = async (v: { reason: string }) => {
    if (!rejecting) return;
    const res = await decideApplication({ id: rejecting.id, approve: false, reason: v.reason.trim() });
    if (res.error) return message.error(errorText(res.error));
    message.success(t('applications.rejected'));
    setRejecting(null);
    form.resetFields();
    refresh();
  };

  return (
    <>
      <ErrorAlert error={r.error} />
      <Table<ApplicationRowFragment>
        rowKey="id"
        size="small"
        loading={r.fetching && !r.data}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('applications.empty') }}
        columns={[
          {
            title: t('applications.unitName'),
            key: 'unit',
            render: (_, a) => (
              <Space direction="vertical" size={0}>
                <span>{a.unitName}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {a.uscc}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('applications.scope'), key: 'scope', render: (_, a) => scope(a) },
          { title: t('applications.holder'), key: 'holder', render: (_, a) => `${a.holderName} · ${a.holderPhoneMasked}` },
          {
            title: t('applications.status'),
            key: 'status',
            render: (_, a) => (
              <Space direction="vertical" size={0}>
                <EnumTag of="ApplicationStatus" value={a.status} color={statusColor[a.status]} />
                {a.decisionReason && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.decisionReason}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('applications.submittedAt'), key: 'at', responsive: ['md'], render: (_, a) => dayjs(a.createdAt).format('YYYY-MM-DD HH:mm') },
          ...(decide
            ? [
                {
                  title: t('common.actions'),
                  key: 'x',
                  render: (_: unknown, a: ApplicationRowFragment) =>
                    a.status === 'PENDING' && (
                      <Space size={4}>
                        <Popconfirm title={t('applications.approveConfirm')} onConfirm={() => approve(a)}>
                          <Button type="primary" size="small" loading={fetching}>
                            {t('applications.approve')}
                          </Button>
                        </Popconfirm>
                        <Button size="small" danger onClick={() => setRejecting(a)}>
                          {t('applications.reject')}
                        </Button>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {info?.hasNextPage && (
        <Button style={{ marginTop: 8 }} onClick={() => setAfter(info.endCursor ?? null)}>
          {t('applications.more')}
        </Button>
      )}
      {rejecting && (
        <Modal
          open
          title={t('applications.rejectTitle', { unit: rejecting.unitName })}
          onCancel={() => setRejecting(null)}
          onOk={() => form.submit()}
          okText={t('applications.reject')}
          okButtonProps={{ danger: true }}
          confirmLoading={fetching}
        >
          <Form form={form} layout="vertical" onFinish={reject}>
            <Form.Item name="reason" label={t('applications.rejectReason')} rules={[{ required: true, whitespace: true, message: t('applications.rejectReasonRequired') }]}>
              <Input.TextArea rows={3} maxLength={500} />
            </Form.Item>
          </Form>
        </Modal>
      )}
      {password && (
        <PasswordOnce
          password={password.value}
          onClose={() => {
            setPassword(null);
            refresh();
          }}
        />
      )}
    </>
  );
}

export default function ApplicationsPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const { viewer } = useViewer();
  const [status, setStatus] = useState<ApplicationStatus | undefined>();
  const [version, setVersion] = useState(0);
  const [tab, setTab] = useState<string | undefined>();
  const decide = access.can('application', 'decide');
  const submit = access.can('application', 'submit');
  const items = [
    ...(decide
      ? [{ key: 'queue', label: t('applications.queueTab'), children: <ApplicationList key={`q${version}`} where={{ status: 'PENDING' }} decide version={version} /> }]
      : []),
    ...(submit
      ? [{ key: 'submit', label: t('applications.submitTab'), children: <SubmitForm initiator={viewer?.acting.role === 'INITIATOR'} onSubmitted={() => { setVersion((v) => v + 1); setTab(decide ? 'queue' : 'all'); }} /> }]
      : []),
    {
      key: 'all',
      label: t('applications.allTab'),
      children: (
        <>
          <Select
            allowClear
            style={{ minWidth: 160, marginBottom: 12 }}
            placeholder={t('applications.filterStatus')}
            value={status}
            onChange={setStatus}
            options={statuses.map((s) => ({ value: s, label: enumLabel('ApplicationStatus', s) }))}
          />
          <ApplicationList key={`a${version}${status ?? ''}`} where={status ? { status } : {}} decide={decide} version={version} />
        </>
      ),
    },
  ];
  return (
    <>
      <Typography.Title level={3}>{t('applications.title')}</Typography.Title>
      <Card size="small">
        <Tabs activeKey={tab} onChange={setTab} items={items} destroyInactiveTabPane />
      </Card>
    </>
  );
}
