// /tasks: the grid worker's "my tasks" on a phone (375 px wide and up).
// seed 003 §五(五): 对于红码、黄码等人员, 基层网格员要及时上门核实, 如情况属实, 按有关
// 规定落实隔离观察等措施 — the alerts assigned to me (ASSIGNED): whom to
// visit (masked), the address, a call button and the visit form
// (handleAlert VISIT). seed 001 §11: the phone in clear is read only when
// the call button is pressed (Alert.contact, audited by the server), then
// dialled with tel:. New assignments arrive through alertRaised.
import '../alerts/locale';
import '../alerts/alerts.css';
import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Collapse, Descriptions, Empty, Input, Space, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useNoCacheClient } from '../../client';
import dayjs from 'dayjs';
import type { MyTasksQuery } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';
import { AlertContactDocument, AlertRaisedDocument, HandleAlertDocument, MyTasksDocument } from '../alerts/documents';
import { Reasons, StatusTag } from '../alerts/parts';
import Temperature from '../../components/Temperature';
import { useAlertSignals } from '../alerts/signal';

type Task = NonNullable<NonNullable<NonNullable<MyTasksQuery['alerts']['edges']>[number]>['node']>;
const fmt = (s: string) => dayjs(s).format('MM-DD HH:mm');

function assignedAt(a: Task): string | undefined {
  const s = [...a.steps].reverse().find((x) => x.to === 'ASSIGNED');
  return s?.at;
}

function TaskCard({ a, onDone }: { a: Task; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const noCacheClient = useNoCacheClient();
  const [visiting, visit] = useMutation(HandleAlertDocument);
  const [note, setNote] = useState('');
  const [calling, setCalling] = useState(false);
  const [contact, setContact] = useState<{ phone?: string | null; address?: string | null } | null>(null);
  const call = async () => {
    setCalling(true);
    // The audited read: only now, through the client without a cache, so
    // the phone and address in clear live only in this card's state.
    const r = await noCacheClient.query(AlertContactDocument, { id: a.id }).toPromise();
    setCalling(false);
    if (r.error) {
      message.error(errorText(r.error));
      return;
    }
    const c = r.data?.node?.__typename === 'Alert' ? r.data.node.contact : null;
    setContact({ phone: c?.phone, address: c?.address });
    if (c?.phone) window.location.href = `tel:${c.phone.replace(/[^\d+]/g, '')}`;
    else message.warning(t('tasks.noPhone'));
  };
  const submit = async () => {
    if (!note.trim()) {
      message.warning(t('tasks.visitRequired'));
      return;
    }
    const r = await visit({ input: { alert: a.id, action: 'VISIT', note: note.trim() } });
    if (r.error) {
      message.error(errorText(r.error));
      return;
    }
    message.success(t('tasks.visited'));
    setNote('');
    onDone();
  };
  const name = a.person?.nameMasked || a.nameMasked;
  const at = assignedAt(a);
  return (
    <Card
      size="small"
      data-testid={`task-${a.id}`}
      title={
        <Space wrap size={4}>
          <span className="alerts-red" style={{ fontSize: 16 }}>{name}</span>
          <Reasons reasons={a.reasons} />
        </Space>
      }
    >
      <Descriptions size="small" column={1} colon={false} labelStyle={{ width: 72 }}>
        <Descriptions.Item label={t('tasks.visitWhom')}>{`${name} ${a.idNumberMasked}`}</Descriptions.Item>
        <Descriptions.Item label={t('tasks.address')}>
          <span data-testid="task-address">{contact?.address ?? a.person?.addressMasked ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('tasks.place')}>{`${a.place} · ${fmt(a.raisedAt)}`}</Descriptions.Item>
        <Descriptions.Item label={t('alerts.temperature')}>
          <Temperature value={a.temperature} />
        </Descriptions.Item>
        {at && <Descriptions.Item label={t('tasks.assignedAt')}>{fmt(at)}</Descriptions.Item>}
      </Descriptions>
      <Button className="tasks-call" type="primary" icon={<PhoneOutlined />} loading={calling} onClick={() => void call()} data-testid="task-call">
        {contact?.phone ?? t('tasks.call')}
      </Button>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('tasks.callHint')}
      </Typography.Text>
      <div style={{ marginTop: 12 }}>
        <Typography.Text strong>{t('tasks.visitNote')}</Typography.Text>
        <Input.TextArea
          data-testid="task-note"
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('tasks.visitPlaceholder')}
          maxLength={1000}
          style={{ marginTop: 4 }}
        />
        <Button block type="primary" style={{ marginTop: 8, height: 44 }} loading={visiting.fetching} onClick={() => void submit()}>
          {t('tasks.submitVisit')}
        </Button>
      </div>
    </Card>
  );
}

export default function TasksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const signals = useAlertSignals();
  const [r, reexecute] = useQuery({ query: MyTasksDocument, variables: { where: {} }, requestPolicy: 'cache-and-network' });
  // A push to a grid worker is an assignment to it (or a re-assignment).
  const [sub] = useSubscription({ query: AlertRaisedDocument, variables: { scope: null } });
  const lastPush = useRef<string | null>(null);
  useEffect(() => {
    const a = sub.data?.alertRaised;
    if (!a) return;
    const key = `${a.id}:${a.status}:${a.updatedAt}`;
    if (lastPush.current === key) return;
    lastPush.current = key;
    if (a.status === 'ASSIGNED') {
      message.info(t('tasks.newTask'));
      signals.signal(t('tasks.newTask'), `${a.nameMasked} · ${a.place}`);
    }
    reexecute({ requestPolicy: 'network-only' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sub.data]);
  const all = (r.data?.alerts.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const open = all.filter((a) => a.status === 'ASSIGNED');
  const done = all.filter((a) => a.status !== 'ASSIGNED');
  return (
    <div className="tasks-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('tasks.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('tasks.hint')}</Typography.Paragraph>
      <ErrorAlert error={r.error} />
      {open.length === 0 && !r.fetching && <Empty description={t('tasks.empty')} />}
      {open.map((a) => (
        <TaskCard key={a.id} a={a} onDone={() => reexecute({ requestPolicy: 'network-only' })} />
      ))}
      {done.length > 0 && (
        <Collapse
          size="small"
          items={[
            {
              key: 'done',
              label: t('tasks.done', { count: done.length }),
              children: done.map((a) => (
                <div key={a.id} style={{ padding: '4px 0', borderBottom: '1px solid #f0f0f0' }}>
                  <Space wrap size={4}>
                    <StatusTag status={a.status} />
                    <span>{a.person?.nameMasked || a.nameMasked}</span>
                    <Typography.Text type="secondary">{`${a.place} · ${fmt(a.raisedAt)}`}</Typography.Text>
                  </Space>
                </div>
              )),
            },
          ]}
        />
      )}
    </div>
  );
}
