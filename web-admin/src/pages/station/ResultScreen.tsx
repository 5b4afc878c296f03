// The answer at the door, full-screen: green PASS, red DENY, amber when the
// scan was saved offline (the server decides colours, so offline there is
// no PASS), red when the scan was refused. The reason is in Chinese,
// mapped from the server's decision, alertReasons and error codes.
//
// Paint time (issue 14: within 300 ms of the answer): from the moment the
// answer arrived (performance.now() in runner.ts) to the first frame
// painted with this screen (a timeout queued from requestAnimationFrame
// runs after that frame). It is shown on the element as data-paint-ms.
import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationScanFragment } from '../../gql/graphql';

export type Shown =
  | { kind: 'scan'; scan: StationScanFragment; answeredAt: number }
  | { kind: 'offline'; temperature: number; claims?: string; answeredAt: number }
  | { kind: 'held'; code: string; message: string; answeredAt: number }
  | { kind: 'error'; code: string; message: string; answeredAt: number };

const colours = { PASS: '#1a7f37', DENY: '#cf1322', OFFLINE: '#ad6800', ERROR: '#a8071a', HELD: '#ad6800' } as const;

// The answer shown now: a store of its own, so showing it re-renders the
// ResultHost alone (not the station page with its pad and lists).
let current: Shown | null = null;
const subscribers = new Set<() => void>();
export function showResult(s: Shown | null) {
  current = s;
  subscribers.forEach((f) => f());
}
function subscribe(f: () => void) {
  subscribers.add(f);
  return () => subscribers.delete(f);
}

export function ResultHost({ onClose }: { onClose: () => void }) {
  const shown = useSyncExternalStore(subscribe, () => current);
  return shown ? <ResultScreen shown={shown} onClose={onClose} /> : null;
}

export default function ResultScreen({ shown, onClose }: { shown: Shown; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    requestAnimationFrame(() =>
      setTimeout(() => {
        const ms = performance.now() - shown.answeredAt;
        el.dataset.paintMs = ms.toFixed(1);
        (window as Window & { __stationPaintMs?: number[] }).__stationPaintMs ??= [];
        (window as Window & { __stationPaintMs?: number[] }).__stationPaintMs!.push(ms);
      }, 0),
    );
  }, [shown]);

  // A pass clears itself for the next person; anything else waits for a tap.
  useEffect(() => {
    if (shown.kind !== 'scan' || shown.scan.decision !== 'PASS') return;
    const timer = setTimeout(onClose, 4000);
    return () => clearTimeout(timer);
  }, [shown, onClose]);

  let verdict: keyof typeof colours;
  const lines: string[] = [];
  let detail = '';
  if (shown.kind === 'scan') {
    const s = shown.scan;
    verdict = s.decision === 'PASS' ? 'PASS' : 'DENY';
    if (verdict === 'PASS') lines.push(s.method === 'MANUAL' ? t('station.result.passManual') : t('station.result.passGreen'));
    for (const r of s.alertReasons) lines.push(i18n.exists(`station.reasons.${r}`) ? t(`station.reasons.${r}`) : r);
    if (s.farFix) lines.push(t('station.result.farFix'));
    detail = [s.nameMasked, s.colour ? t(`station.colours.${s.colour}`) : '', t('station.result.temperature', { t: s.temperature.toFixed(1) })]
      .filter(Boolean)
      .join(' · ');
  } else if (shown.kind === 'offline') {
    verdict = 'OFFLINE';
    if (shown.temperature >= 37.3) lines.push(t('station.result.offlineFever'));
    lines.push(t('station.result.offlineText'), t('station.result.offlineCannot'));
    detail = [shown.claims, t('station.result.temperature', { t: shown.temperature.toFixed(1) })].filter(Boolean).join(' · ');
  } else {
    verdict = shown.kind === 'held' ? 'HELD' : 'ERROR';
    lines.push(errorLine(t, i18n.exists.bind(i18n), shown.code, shown.message));
    if (shown.kind === 'held') lines.push(t('station.result.heldText'));
  }

  return (
    <div
      ref={ref}
      role="alertdialog"
      aria-label={t(`station.result.${verdict}`)}
      data-testid="station-result"
      data-decision={verdict}
      onClick={onClose}
      style={{
        position: 'fixed',
        inset: 0,
        zIndex: 2000,
        background: colours[verdict],
        color: '#fff',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 32,
        textAlign: 'center',
        cursor: 'pointer',
      }}
    >
      <div style={{ fontSize: 120, lineHeight: 1.1, fontWeight: 700 }}>{t(`station.result.${verdict}`)}</div>
      {lines.map((l, i) => (
        <div key={i} style={{ fontSize: i === 0 ? 34 : 24, marginTop: 16, maxWidth: 900 }}>
          {l}
        </div>
      ))}
      {detail && <div style={{ fontSize: 26, marginTop: 24, opacity: 0.9 }}>{detail}</div>}
      <div style={{ fontSize: 18, marginTop: 40, opacity: 0.75 }}>{t('station.result.tapToContinue')}</div>
    </div>
  );
}

/** The Chinese line for an error code, with the server's own message when it says more. */
export function errorLine(t: (k: string) => string, exists: (k: string) => boolean, code: string, message: string): string {
  const mine = exists(`station.errorCodes.${code}`) ? t(`station.errorCodes.${code}`) : exists(`errors.code.${code}`) ? t(`errors.code.${code}`) : '';
  const han = /[\u3400-\u9fff]/.test(message);
  if (mine && han && code === 'INVALID_INPUT') return `${mine}：${message}`;
  if (mine) return mine;
  return han ? message : t('errors.unknown');
}
