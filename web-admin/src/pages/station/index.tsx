// /station: the scan station for a tablet at the door (扫码员's working
// screen; issue 14). A code is read by a USB scanner typing into the
// focused input (Enter ends it), by the camera (CameraScanner, zxing), or
// typed; the temperature comes from the large pad; the answer is shown
// full-screen (ResultScreen). Three methods (schema/scans.graphqls
// ScanInput): SCAN_CODE (the code's token), SHOW_CODE (the colour read off
// a shown code, or its captured content; the identity is required for a
// shown orange or red code without content, seed 004 §二(二)), and MANUAL
// for people without a code (seed 001 §5: 无码人员按原方式进行测温登记通行;
// 老人、儿童、残障人士、外籍人士等参照无码人员管理), with name, document and phone.
//
// Offline: every scan goes to the IndexedDB queue first (queue.ts) and is
// sent as recordScans batches (runner.ts): at once when online, on the
// online event, and by a retry timer with backoff. While the server cannot
// be reached the screen says the scan was saved and will be uploaded; the
// server decides colours, so offline there is never a PASS — only what is
// certain without it (a fever, an expired or foreign-kind code). The site
// comes from the acting account (Query.viewer acting.scopeSite), kept in
// localStorage so the station also starts offline (App.tsx falls back to
// this page when the viewer cannot be fetched on /station).
import './locale';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { Alert, App, Button, Card, Grid, Input, Segmented, Space, Tag, Typography, type InputRef } from 'antd';
import { CameraOutlined, CloudOutlined, DisconnectOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import type { Colour, ScanInput, ScanMethod } from '../../gql/graphql';
import TemperaturePad, { parseTemperature } from './TemperaturePad';
import { ResultHost, showResult } from './ResultScreen';
import CameraScanner from './CameraScanner';
import IdentityFields, { emptyIdentity, identityProblems, toManualInput, type Identity } from './IdentityFields';
import QueuePanel, { type Uploaded } from './QueuePanel';
import * as queue from './queue';
import { Retrier, run, type RunOutcome } from './runner';
import { readCode } from './hc1';
import { freshFix, useGeolocation } from './geo';
import { useStationServiceWorker } from './sw';

const StationDocument = graphql(`
  query Station {
    viewer {
      user {
        id
        name
      }
      acting {
        id
        role
        scopeSite {
          id
          name
          latitude
          longitude
          geofenceRadius
          enabled
        }
      }
    }
  }
`);

interface Snapshot {
  accountId: string;
  site: { id: string; name: string; geofenced: boolean; enabled: boolean } | null;
}

const snapshotKey = 'mashang.station';

function loadSnapshot(): Snapshot | null {
  try {
    const raw = localStorage.getItem(snapshotKey);
    return raw ? (JSON.parse(raw) as Snapshot) : null;
  } catch {
    return null;
  }
}

function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

type Mode = Extract<ScanMethod, 'SCAN_CODE' | 'SHOW_CODE' | 'MANUAL'>;
const shownColours: Colour[] = ['GREEN', 'YELLOW', 'ORANGE', 'RED'];
const colourCss: Record<Colour, string> = { GREEN: '#1a7f37', YELLOW: '#d4b106', ORANGE: '#d46b08', RED: '#cf1322' };
/** A code's expiry seen offline is trusted only beyond this clock skew. */
const skewMs = 60_000;

export default function StationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const wide = Grid.useBreakpoint().lg ?? false;
  const [{ data }] = useQuery({ query: StationDocument });
  const online = useOnline();
  const fix = useGeolocation();
  const swReady = useStationServiceWorker();

  // The acting account and its site, remembered for an offline start.
  const snapshot = useMemo<Snapshot | null>(() => {
    const v = data?.viewer;
    if (!v) return loadSnapshot();
    const s = v.acting.scopeSite;
    return {
      accountId: v.acting.id,
      site: s ? { id: s.id, name: s.name, geofenced: s.latitude != null && s.longitude != null && s.geofenceRadius > 0, enabled: s.enabled } : null,
    };
  }, [data]);
  useEffect(() => {
    if (data?.viewer && snapshot) localStorage.setItem(snapshotKey, JSON.stringify(snapshot));
  }, [data, snapshot]);
  const accountId = snapshot?.accountId ?? '';
  const site = snapshot?.site ?? null;

  const [mode, setMode] = useState<Mode>('SCAN_CODE');
  const [code, setCode] = useState('');
  const [heldCode, setHeldCode] = useState<string | null>(null);
  const [temp, setTemp] = useState('');
  const [colour, setColour] = useState<Colour | null>(null);
  const [identity, setIdentity] = useState<Identity>(emptyIdentity);
  const [touched, setTouched] = useState(false);
  const [camera, setCamera] = useState(false);
  // The answer lives in a store of its own (ResultHost): showing it renders
  // the full-screen answer alone, not the whole page (issue 14: < 300 ms).
  const setShown = showResult;
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<InputRef>(null);

  // The queue's state, refreshed on every change (this tab or another).
  const [waiting, setWaiting] = useState(0);
  const [waitingOther, setWaitingOther] = useState(0);
  const [failedList, setFailedList] = useState<queue.FailedScan[]>([]);
  const [uploaded, setUploaded] = useState<Uploaded[]>([]);
  const [uploading, setUploading] = useState(false);
  const [lastError, setLastError] = useState<string | null>(null);
  const [, tick] = useState(0);
  const refresh = useCallback(async () => {
    const [p, f] = await Promise.all([queue.pending(), queue.failed()]);
    setWaiting(p.filter((q) => q.accountId === accountId).length);
    setWaitingOther(p.filter((q) => q.accountId !== accountId).length);
    setFailedList(f.filter((q) => q.accountId === accountId));
  }, [accountId]);
  useEffect(() => {
    void refresh();
    return queue.onQueueChange(() => void refresh());
  }, [refresh]);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);

  // What a run tells the screen besides the scan being waited for.
  const absorb = useCallback(
    (o: RunOutcome | null, labels: Map<string, string>, except?: string) => {
      if (!o) return;
      if (o.kind === 'network') setLastError(t('station.network'));
      else if (o.kind === 'error') setLastError(o.message || o.code || '');
      else setLastError(null);
      const fresh: Uploaded[] = [];
      o.items.forEach((it, id) => {
        if (id !== except && it.kind === 'scan' && !it.replayed) fresh.push({ clientId: id, label: labels.get(id) ?? '', scan: it.scan });
      });
      if (fresh.length) setUploaded((u) => [...fresh.reverse(), ...u].slice(0, 10));
    },
    [t],
  );

  const retrier = useRef<Retrier | null>(null);
  useEffect(() => {
    if (!accountId) return;
    const r = new Retrier(
      async () => {
        const p = (await queue.pending()).filter((q) => q.accountId === accountId);
        if (p.length === 0) return null;
        setUploading(true);
        try {
          const o = await run(client, accountId);
          absorb(o, new Map(p.map((q) => [q.clientId, q.label])));
          return o;
        } finally {
          setUploading(false);
        }
      },
      () => tick((n) => n + 1),
    );
    retrier.current = r;
    return () => r.stop();
  }, [client, accountId, absorb]);

  const focusCode = useCallback(() => setTimeout(() => codeInput.current?.focus(), 0), []);
  const close = useCallback(() => {
    setShown(null);
    focusCode();
  }, [focusCode]);

  const temperature = parseTemperature(temp);
  const idProblems = identityProblems(identity);
  const identityFilled = !!(identity.name || identity.idNumber || identity.phone);
  const identityRequired = mode === 'MANUAL' || (mode === 'SHOW_CODE' && !code.trim() && (colour === 'ORANGE' || colour === 'RED'));
  const identityOk = Object.keys(idProblems).length === 0;

  const ready =
    !!site &&
    temperature !== null &&
    !busy &&
    (mode === 'SCAN_CODE'
      ? !!(heldCode || code.trim())
      : mode === 'SHOW_CODE'
        ? !!(colour || code.trim()) && (identityOk || (!identityRequired && !identityFilled))
        : identityOk);

  const submit = async (tokenText?: string) => {
    if (!site) return;
    const tv = parseTemperature(temp);
    if (tv === null) {
      message.warning(t('station.temperatureHint'));
      return;
    }
    const token = (tokenText ?? heldCode ?? code).trim();
    const input: ScanInput = { clientId: newClientId(), site: site.id, method: mode, temperature: tv, clientTime: new Date().toISOString() };
    let label: string = t(`station.modes.${mode}`);
    let claims: string | undefined;
    if (mode === 'SCAN_CODE' || (mode === 'SHOW_CODE' && token)) {
      const c = readCode(token);
      if (c?.colour) claims = t('station.codeClaims', { colour: t(`station.colours.${c.colour}`), time: dayjs(c.expiresAt).format('HH:mm') });
      // What is certain without the server: not a code at all, a site's
      // code, or a code already expired (the server refuses these).
      const local = !token.startsWith('HC1:') || !c ? 'TOKEN_MALFORMED' : c.kind === 'SITE' ? 'TOKEN_WRONG_KIND' : c.expiresAt.getTime() + skewMs < Date.now() ? 'TOKEN_EXPIRED' : null;
      if (local && (!navigator.onLine || local === 'TOKEN_MALFORMED')) {
        setShown({ kind: 'error', code: local, message: '', answeredAt: performance.now() });
        resetAfterScan();
        return;
      }
      input.token = token;
    }
    if (mode === 'SHOW_CODE' && colour) input.colour = colour;
    if (mode === 'MANUAL' || (mode === 'SHOW_CODE' && identityFilled)) {
      if (!identityOk) {
        setTouched(true);
        return;
      }
      input.manual = toManualInput(identity);
      label = `${label} · ${identity.name.trim().slice(0, 1)}*`;
    }
    if (mode === 'SHOW_CODE' && identityRequired && !input.manual) {
      setTouched(true);
      return;
    }
    const f = freshFix(fix);
    if (f) Object.assign(input, { latitude: f.latitude, longitude: f.longitude, accuracy: Math.min(Math.round(f.accuracy), 10000) });

    await queue.enqueue({ clientId: input.clientId, accountId, input, queuedAt: Date.now(), attempts: 0, label });
    resetAfterScan();
    if (!navigator.onLine) {
      setShown({ kind: 'offline', temperature: tv, claims, answeredAt: performance.now() });
      return;
    }
    setBusy(true);
    try {
      const labels = new Map((await queue.pending()).map((q) => [q.clientId, q.label]));
      // The answer is shown the moment it arrives (before the queue is
      // updated): the paint is measured from there (ResultScreen).
      const o = await run(client, accountId, [input.clientId], (_id, mine, at) =>
        flushSync(() =>
          setShown(mine.kind === 'scan' ? { kind: 'scan', scan: mine.scan, answeredAt: at } : { kind: 'error', code: mine.code, message: mine.message, answeredAt: at }),
        ),
      );
      retrier.current?.report(o);
      absorb(o, labels, input.clientId);
      if (o.items.has(input.clientId)) {
        // shown above
      } else if (o.kind === 'error') setShown({ kind: 'held', code: o.code ?? 'INTERNAL', message: o.message ?? '', answeredAt: o.answeredAt });
      else setShown({ kind: 'offline', temperature: tv, claims, answeredAt: o.answeredAt });
    } finally {
      setBusy(false);
    }
  };

  const resetAfterScan = () => {
    setCode('');
    setHeldCode(null);
    setTemp('');
    setColour(null);
    setIdentity(emptyIdentity);
    setTouched(false);
  };

  const onCode = (text: string) => {
    const v = text.trim();
    if (!v) return;
    if (mode === 'SCAN_CODE' && parseTemperature(temp) !== null) {
      void submit(v);
      return;
    }
    if (mode === 'SCAN_CODE') {
      setHeldCode(v);
      setCode('');
    } else setCode(v);
  };

  if (!site) {
    return (
      <Card title={t('station.title')}>
        <Alert type="warning" showIcon message={t('station.noSite')} />
      </Card>
    );
  }

  const nextInS = retrier.current && waiting > 0 ? Math.max(0, Math.round((retrier.current.nextAt - Date.now()) / 1000)) : null;
  const heldClaims = heldCode ? readCode(heldCode) : null;
  const codeBox = (
    <div>
      <label htmlFor="station-code" style={{ fontSize: 16 }}>
        {t('station.codeInput')}
      </label>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          id="station-code"
          data-testid="station-code"
          ref={codeInput}
          size="large"
          autoFocus
          autoComplete="off"
          value={code}
          placeholder={mode === 'SCAN_CODE' ? t('station.codePlaceholder') : t('station.showCodePlaceholder')}
          onChange={(e) => setCode(e.target.value)}
          onPressEnter={() => onCode(code)}
          style={{ fontSize: 18 }}
        />
        <Button size="large" icon={<CameraOutlined />} onClick={() => setCamera((c) => !c)}>
          {camera ? t('station.cameraStop') : t('station.camera')}
        </Button>
      </Space.Compact>
      {camera && <CameraScanner onCode={onCode} />}
      {heldCode && (
        <Alert
          style={{ marginTop: 8 }}
          type="info"
          showIcon
          data-testid="station-held"
          message={t('station.codeRead')}
          description={heldClaims?.colour ? t('station.codeClaims', { colour: t(`station.colours.${heldClaims.colour}`), time: dayjs(heldClaims.expiresAt).format('HH:mm') }) : undefined}
        />
      )}
    </div>
  );

  const left = (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Segmented<Mode>
        block
        size="large"
        value={mode}
        onChange={(m) => {
          setMode(m);
          setTouched(false);
          focusCode();
        }}
        options={(['SCAN_CODE', 'SHOW_CODE', 'MANUAL'] as Mode[]).map((m) => ({ value: m, label: <span style={{ fontSize: 18 }}>{t(`station.modes.${m}`)}</span> }))}
      />
      {mode !== 'MANUAL' && codeBox}
      {mode === 'SHOW_CODE' && (
        <div>
          <div style={{ fontSize: 16, marginBottom: 4 }}>{t('station.colourShown')}</div>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 8 }}>
            {shownColours.map((c) => (
              <Button
                key={c}
                onClick={() => setColour(c)}
                style={{
                  height: 64,
                  fontSize: 22,
                  background: colour === c ? colourCss[c] : '#fff',
                  color: colour === c ? '#fff' : colourCss[c],
                  borderColor: colourCss[c],
                  borderWidth: 2,
                }}
                aria-pressed={colour === c}
              >
                {t(`station.colours.${c}`)}
              </Button>
            ))}
          </div>
        </div>
      )}
      {mode === 'MANUAL' && <Alert type="info" showIcon message={t('station.manualHint')} />}
      {mode !== 'SCAN_CODE' && (
        <Card size="small" title={mode === 'MANUAL' ? t('station.identity') : identityRequired ? t('station.identityRequired') : t('station.identityOptional')}>
          <IdentityFields value={identity} onChange={setIdentity} touched={touched || (mode === 'SHOW_CODE' && identityFilled)} />
        </Card>
      )}
    </Space>
  );

  return (
    <div data-testid="station" data-online={online ? 'true' : 'false'} data-sw={swReady ? 'ready' : 'none'} style={{ maxWidth: 1200, margin: '0 auto' }}>
      <Space wrap style={{ marginBottom: 12 }} size="middle">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {site.name}
        </Typography.Title>
        {online ? (
          <Tag icon={<CloudOutlined />} color="green" style={{ fontSize: 16, padding: '4px 8px' }}>
            {t('station.online')}
          </Tag>
        ) : (
          <Tag icon={<DisconnectOutlined />} color="red" style={{ fontSize: 16, padding: '4px 8px' }} data-testid="station-offline">
            {t('station.offline')}
          </Tag>
        )}
        <Tag icon={<EnvironmentOutlined />} color={fix ? 'blue' : 'default'} style={{ fontSize: 16, padding: '4px 8px' }}>
          {fix ? t('station.geoFix', { m: Math.round(fix.accuracy) }) : t('station.geoNone')}
        </Tag>
        <Tag color={waiting > 0 ? 'orange' : 'default'} style={{ fontSize: 16, padding: '4px 8px' }} data-testid="station-waiting-tag">
          {waiting > 0 ? t('station.queue.waiting', { n: waiting }) : t('station.queue.empty')}
        </Tag>
        {failedList.length > 0 && (
          <Tag color="red" style={{ fontSize: 16, padding: '4px 8px' }}>
            {t('station.queue.needsAction', { n: failedList.length })}
          </Tag>
        )}
        <Tag color={swReady ? 'green' : 'default'} style={{ fontSize: 16, padding: '4px 8px' }}>
          {swReady ? t('station.offlineReady') : t('station.offlineNotReady')}
        </Tag>
      </Space>
      {!online && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('station.offlineBanner')} />}
      {!site.enabled && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('station.siteDisabled')} />}
      {site.geofenced && !fix && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('station.geoNeeded')} />}
      <div style={{ display: 'grid', gridTemplateColumns: wide ? 'minmax(0, 1fr) 400px' : '1fr', gap: 16 }}>
        <Card>{left}</Card>
        <Card title={t('station.temperature')}>
          <TemperaturePad value={temp} onChange={setTemp} />
          <Button
            type="primary"
            block
            size="large"
            data-testid="station-submit"
            disabled={!ready}
            loading={busy}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => void submit()}
            style={{ marginTop: 12, height: 72, fontSize: 28 }}
          >
            {busy ? t('station.submitting') : t('station.submit')}
          </Button>
        </Card>
      </div>
      <Card title={t('station.queue.title')} style={{ marginTop: 16 }}>
        <QueuePanel
          waiting={waiting}
          waitingOther={waitingOther}
          failed={failedList}
          uploaded={uploaded}
          uploading={uploading}
          lastError={lastError}
          nextInS={nextInS}
          onUpload={() => retrier.current?.now()}
          onRetry={(id) => void queue.retryFailed(id).then(() => retrier.current?.now())}
          onDiscard={(id) => void queue.discardFailed(id)}
        />
      </Card>
      <ResultHost onClose={close} />
    </div>
  );
}
