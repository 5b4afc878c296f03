// One alert and its handling (seed 003 §五(五): 对于红码、黄码等人员, 基层网格员
// 要及时上门核实): ASSIGN to a grid worker of the community (Alert.assignees:
// where it was raised or where the person lives), the grid worker's VISIT
// (上门核实, recorded on /tasks), then CLOSE; every step with who, when and
// the note.
import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Empty, Form, Input, Popconfirm, Select, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import dayjs from 'dayjs';
import type { AlertStepRowFragment } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';
import { useAccess } from '../../useAccess';
import { AlertDetailDocument, HandleAlertDocument } from './documents';
import { KindTag, Reasons, StatusTag } from './parts';
import ColourTag from '../../components/ColourTag';
import Temperature from '../../components/Temperature';

const fmt = (s: string) => dayjs(s).format('YYYY-MM-DD HH:mm:ss');

interface Named {
  id: string;
  name: string;
}

/** The steps of an alert, oldest first, with who took each. */
export function StepHistory({ steps, me, people }: { steps: readonly AlertStepRowFragment[]; me?: string; people: readonly Named[] }) {
  const { t } = useTranslation();
  if (steps.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.noHistory')} />;
  const who = (id: string) => (id === me ? t('alerts.me') : people.find((p) => p.id === id)?.name ?? t('alerts.accountN', { id }));
  const action = (s: AlertStepRowFragment) => (s.to === 'ASSIGNED' ? 'ASSIGN' : s.to === 'VISITED' ? 'VISIT' : 'CLOSE');
  return (
    <Timeline
      data-testid="alert-history"
      items={steps.map((s, i) => ({
        key: i,
        color: s.to === 'CLOSED' ? 'green' : s.to === 'VISITED' ? 'blue' : 'orange',
        children: (
          <Space direction="vertical" size={0}>
            <Space size={4} wrap>
              <strong>{t(`alerts.enumAction.${action(s)}`)}</strong>
              {s.assigneeId && s.to === 'ASSIGNED' && <span>{t('alerts.assignedTo', { name: who(s.assigneeId) })}</span>}
              <StatusTag status={s.to} />
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {`${t('alerts.by')}：${who(s.byAccountId)} · ${fmt(s.at)}`}
            </Typography.Text>
            {s.note && <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{s.note}</Typography.Paragraph>}
          </Space>
        ),
      }))}
    />
  );
}

export default function AlertDrawer({ id, me, onClose, onChanged }: { id: string; me?: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const [r] = useQuery({ query: AlertDetailDocument, variables: { id }, requestPolicy: 'cache-and-network' });
  const [handling, handle] = useMutation(HandleAlertDocument);
  const [assignee, setAssignee] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const a = r.data?.node?.__typename === 'Alert' ? r.data.node : null;
  const assignees = a?.assignees ?? [];
  const step = async (action: 'ASSIGN' | 'CLOSE') => {
    if (!a) return;
    const res = await handle({ input: { alert: a.id, action, assignee: action === 'ASSIGN' ? assignee : undefined, note: note || undefined } });
    if (res.error) {
      message.error(errorText(res.error));
      return;
    }
    message.success(action === 'ASSIGN' ? t('alerts.assigned') : t('alerts.closed'));
    setNote('');
    setAssignee(undefined);
    onChanged();
  };
  const mayAssign = access.can('alert', 'assign') && a && (a.status === 'OPEN' || a.status === 'ASSIGNED');
  const mayClose = access.can('alert', 'close') && a?.status === 'VISITED';
  return (
    <Drawer open width={Math.min(560, window.innerWidth)} title={t('alerts.detail')} onClose={onClose} destroyOnClose data-testid="alert-drawer">
      <ErrorAlert error={r.error} />
      {a && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('alerts.status')}>
              <span data-testid="alert-status">
                <StatusTag status={a.status} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.kind')}>
              <KindTag kind={a.kind} />
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.raisedAt')}>{fmt(a.raisedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.person')}>
              <span className="alerts-red">{a.nameMasked}</span> {a.idNumberMasked}
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.place')}>{a.site ? `${a.site.name}${a.site.address ? ` · ${a.site.address}` : ''}` : a.place}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.colour')}>
              <ColourTag colour={a.colour} />
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.temperature')}>
              <Temperature value={a.temperature} />
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.reasons')}>
              <Reasons reasons={a.reasons} />
            </Descriptions.Item>
          </Descriptions>

          {mayAssign && (
            <Form layout="vertical" data-testid="alert-assign">
              <Form.Item label={t('alerts.assignee')} required>
                <Select
                  data-testid="alert-assignee"
                  value={assignee}
                  onChange={setAssignee}
                  placeholder={t('alerts.pickAssignee')}
                  notFoundContent={t('alerts.noAssignees')}
                  options={assignees.map((g) => ({
                    value: g.id,
                    label: `${g.name} · ${g.phoneMasked}${g.region ? ` · ${g.region.name}` : ''}`,
                  }))}
                />
              </Form.Item>
              <Form.Item label={t('alerts.note')}>
                <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('alerts.notePlaceholder')} maxLength={1000} />
              </Form.Item>
              <Button type="primary" disabled={!assignee} loading={handling.fetching} onClick={() => void step('ASSIGN')}>
                {a.status === 'ASSIGNED' ? t('alerts.reassign') : t('alerts.assign')}
              </Button>
            </Form>
          )}
          {a.status === 'ASSIGNED' && <Typography.Text type="secondary">{t('alerts.waitVisit')}</Typography.Text>}
          {mayClose && (
            <Form layout="vertical" data-testid="alert-close">
              <Form.Item label={t('alerts.closeNote')}>
                <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('alerts.notePlaceholder')} maxLength={1000} />
              </Form.Item>
              <Popconfirm title={t('alerts.closeConfirm')} onConfirm={() => step('CLOSE')}>
                <Button type="primary" loading={handling.fetching}>
                  {t('alerts.close')}
                </Button>
              </Popconfirm>
            </Form>
          )}

          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('alerts.history')}
          </Typography.Title>
          <StepHistory steps={a.steps} me={me} people={assignees} />
        </Space>
      )}
    </Drawer>
  );
}
