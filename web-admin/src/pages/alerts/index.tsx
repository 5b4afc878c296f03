// /alerts: the live alert board of officials (OFFICIAL, INITIATOR, SENIOR;
// authz/policy.csv, the `alert` lines). seed 004 annex note 3:
// “八闽健康码管理侧异常提醒模块,可查看被扫码人员健康状况异常(健康码为橙码或体温
// 异常时),后台会进行标红单独展示” — new alerts arrive through the alertRaised
// subscription without a refresh, are shown in red and apart (the card of
// new alerts, and open rows in red), with a tone and a notification that
// can be switched off. seed 001 §15: 实时跟踪平台推送的扫码异常健康信息, 并依照
// 防疫相关规定进行合理处置 — the handling (assign, visit, close) is in the
// drawer (AlertDrawer.tsx); pausing the pushes of a region in Pauses.tsx.
import './locale';
import './alerts.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Button, Card, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { SoundOutlined, BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQuery, useSubscription } from 'urql';
import dayjs from 'dayjs';
import type { AlertRowFragment, AlertStatus, AlertKind } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';
import { useViewer } from '../../viewer';
import { useAccess } from '../../useAccess';
import { AlertRaisedDocument, AlertsDocument } from './documents';
import { KindTag, Reasons, ScopeRegionPicker, StatusTag } from './parts';
import ColourTag from '../../components/ColourTag';
import Temperature from '../../components/Temperature';
import { useAlertSignals } from './signal';
import AlertDrawer from './AlertDrawer';
import Pauses from './Pauses';

const statuses: AlertStatus[] = ['OPEN', 'ASSIGNED', 'VISITED', 'CLOSED'];
const kinds: AlertKind[] = ['SCAN', 'COLOUR_CHANGE'];
const fmt = (s: string) => dayjs(s).format('MM-DD HH:mm:ss');

export default function AlertsPage() {
  const { t } = useTranslation();
  const { viewer } = useViewer();
  const access = useAccess();
  const scope = viewer?.acting.scopeRegion?.id;
  const [status, setStatus] = useState<AlertStatus | undefined>();
  const [kind, setKind] = useState<AlertKind | undefined>();
  const [region, setRegion] = useState<string | undefined>();
  const [after, setAfter] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // Pushed alerts the official has opened or marked read.
  const [read, setRead] = useState<string[]>([]);
  const signals = useAlertSignals();

  const where = { status, kind, within: region };
  const [list, reexecute] = useQuery({ query: AlertsDocument, variables: { where, after }, requestPolicy: 'cache-and-network' });

  // The pushes of the chosen region (of the whole scope when none).
  const [sub] = useSubscription(
    { query: AlertRaisedDocument, variables: { scope: region ?? null } },
    (prev: AlertRowFragment[] | undefined, d) => [d.alertRaised, ...(prev ?? []).filter((a) => a.id !== d.alertRaised.id)].slice(0, 200),
  );
  const pushed = useMemo(() => sub.data ?? [], [sub.data]);
  const last = pushed[0];
  const lastSeen = useRef<string | null>(null);
  useEffect(() => {
    if (!last || lastSeen.current === last.id) return;
    lastSeen.current = last.id;
    // A push is also an assignment (re-sent with its new status): only
    // an OPEN alert is news.
    if (last.status === 'OPEN') {
      signals.signal(t('alerts.notifyTitle'), `${last.nameMasked} · ${last.place}`);
    }
    // The list takes the new row (and its ordering) from the server.
    reexecute({ requestPolicy: 'network-only' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [last]);

  const listed = (list.data?.alerts.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const matches = (a: AlertRowFragment) => (!status || a.status === status) && (!kind || a.kind === kind);
  // A pushed alert shows at once, before the list comes back with it.
  const rows = [...pushed.filter((a) => matches(a) && !listed.some((l) => l.id === a.id)), ...listed];
  const byId = new Map(rows.map((a) => [a.id, a]));
  // The new ones are shown from the push itself, in the same render as
  // the push (no effect in between): the current status from the list.
  const fresh = pushed.flatMap((p) => {
    const a = byId.get(p.id) ?? p;
    return a.status === 'OPEN' && !read.includes(a.id) ? [a] : [];
  });
  const freshIds = new Set(fresh.map((a) => a.id));
  const info = list.data?.alerts.pageInfo;
  const open = (id: string) => {
    setSelected(id);
    setRead((r) => [...r, id]);
  };
  const resetPage = () => setAfter(null);

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Space align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('alerts.title')}
          </Typography.Title>
          {sub.error ? (
            <Tooltip title={errorText(sub.error)}>
              <Badge status="error" text={t('alerts.liveError')} />
            </Tooltip>
          ) : (
            <Badge status="processing" color="green" text={t('alerts.live')} data-testid="alerts-live" />
          )}
        </Space>
        <Space wrap>
          <Space>
            <SoundOutlined />
            {t('alerts.sound')}
            <Switch size="small" checked={signals.sound} onChange={signals.setSound} data-testid="alerts-sound" />
          </Space>
          <Space>
            <BellOutlined />
            {t('alerts.notify')}
            <Switch size="small" checked={signals.notify} onChange={(v) => void signals.setNotify(v)} data-testid="alerts-notify" />
            {signals.notifyDenied && <Typography.Text type="secondary">{t('alerts.notifyDenied')}</Typography.Text>}
          </Space>
        </Space>
      </Space>

      {fresh.length > 0 && (
        <Card
          size="small"
          className="alerts-fresh"
          data-testid="alerts-fresh"
          title={
            <Space>
              <span className="alerts-red">{t('alerts.newAlerts', { count: fresh.length })}</span>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
                {t('alerts.newAlertsHint')}
              </Typography.Text>
            </Space>
          }
          extra={
            <Button size="small" onClick={() => setRead((r) => [...r, ...pushed.map((a) => a.id)])}>
              {t('alerts.clearNew')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        >
          {fresh.map((a) => (
            <div key={a.id} className="alerts-fresh-item alerts-red" data-testid={`fresh-${a.id}`} onClick={() => open(a.id)}>
              <Tag color="red">{t('alerts.newTag')}</Tag>
              <span>{fmt(a.raisedAt)}</span>
              <strong>{a.nameMasked}</strong>
              <span>{a.idNumberMasked}</span>
              <span>{a.place}</span>
              <Temperature value={a.temperature} />
              <ColourTag colour={a.colour} />
              <Reasons reasons={a.reasons} />
              <Button size="small" danger type="primary">
                {t('alerts.handle')}
              </Button>
            </div>
          ))}
        </Card>
      )}

      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select<AlertStatus>
            allowClear
            placeholder={t('alerts.allStatus')}
            value={status}
            onChange={(v) => { setStatus(v); resetPage(); }}
            options={statuses.map((s) => ({ value: s, label: t(`alerts.enumStatus.${s}`) }))}
            style={{ minWidth: 140 }}
            data-testid="alerts-filter-status"
          />
          <Select<AlertKind>
            allowClear
            placeholder={t('alerts.allKind')}
            value={kind}
            onChange={(v) => { setKind(v); resetPage(); }}
            options={kinds.map((k) => ({ value: k, label: t(`alerts.enumKind.${k}`) }))}
            style={{ minWidth: 140 }}
          />
          <ScopeRegionPicker
            scope={scope}
            value={region}
            onChange={(v) => { setRegion(v); resetPage(); }}
            placeholder={t('alerts.regionPlaceholder')}
          />
        </Space>
        <ErrorAlert error={list.error} />
        <Table<AlertRowFragment>
          rowKey="id"
          size="small"
          loading={list.fetching && !list.data}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('alerts.empty') }}
          rowClassName={(a) => (a.status === 'OPEN' ? 'alerts-row-open' : '')}
          onRow={(a) => ({ onClick: () => open(a.id), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('alerts.raisedAt'),
              key: 'at',
              render: (_, a) => (
                <Space size={4}>
                  {freshIds.has(a.id) && <Tag color="red">{t('alerts.newTag')}</Tag>}
                  {fmt(a.raisedAt)}
                </Space>
              ),
            },
            { title: t('alerts.kind'), key: 'kind', render: (_, a) => <KindTag kind={a.kind} /> },
            {
              title: t('alerts.person'),
              key: 'person',
              render: (_, a) => (
                <Space direction="vertical" size={0}>
                  <span className="alerts-person">{a.nameMasked || '—'}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.idNumberMasked}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('alerts.place'), key: 'place', render: (_, a) => a.place },
            { title: t('alerts.colour'), key: 'colour', render: (_, a) => <ColourTag colour={a.colour} /> },
            { title: t('alerts.temperature'), key: 'temp', render: (_, a) => <Temperature value={a.temperature} /> },
            { title: t('alerts.reasons'), key: 'reasons', render: (_, a) => <Reasons reasons={a.reasons} /> },
            { title: t('alerts.status'), key: 'status', render: (_, a) => <StatusTag status={a.status} /> },
            {
              title: t('common.actions'),
              key: 'x',
              render: (_, a) => (
                <Button size="small" type={a.status === 'CLOSED' ? 'default' : 'primary'} danger={a.status === 'OPEN'}>
                  {t('alerts.handle')}
                </Button>
              ),
            },
          ]}
        />
        {info?.hasNextPage && (
          <Button style={{ marginTop: 8 }} onClick={() => setAfter(info.endCursor ?? null)}>
            {t('alerts.more')}
          </Button>
        )}
      </Card>

      {access.can('alert', 'pause') && <Pauses scope={scope} />}

      {selected && (
        <AlertDrawer
          id={selected}
          me={viewer?.acting.id}
          onClose={() => setSelected(null)}
          onChanged={() => reexecute({ requestPolicy: 'network-only' })}
        />
      )}
    </>
  );
}
