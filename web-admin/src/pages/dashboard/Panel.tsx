// One dashboard panel: a card with its chart and, behind a toggle, the
// same figures as a table (for screen readers, for copying, and for the
// browser test); a FORBIDDEN answer is said plainly instead of a chart.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Empty, Skeleton, Space, Typography } from 'antd';
import { TableOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQuery, type AnyVariables, type CombinedError, type TypedDocumentNode } from 'urql';
import ErrorAlert from '../../components/ErrorAlert';
import { hasCode } from '../../errors';

export interface PanelProps {
  title: string;
  testId: string;
  note?: string;
  extra?: ReactNode;
  error?: CombinedError;
  loading: boolean;
  empty?: boolean;
  /** Shown instead of everything else (e.g. "not counted by sector"). */
  notice?: string;
  summary?: ReactNode;
  chart?: ReactNode;
  table?: ReactNode;
  /** Show the table from the start (and keep the toggle). */
  tableFirst?: boolean;
}

export function Panel(p: PanelProps) {
  const { t } = useTranslation();
  const [showTable, setShowTable] = useState(!!p.tableFirst);
  const forbidden = hasCode(p.error, 'FORBIDDEN');
  let body: ReactNode;
  if (p.notice) body = <Alert type="info" showIcon message={p.notice} />;
  else if (forbidden) body = <Alert type="warning" showIcon message={t('dashboard.forbidden')} />;
  else if (p.error) body = <ErrorAlert error={p.error} />;
  else if (p.loading) body = <Skeleton active />;
  else if (p.empty) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noData')} />;
  else
    body = (
      <>
        {p.summary}
        {p.chart}
        {showTable && p.table}
      </>
    );
  const toggle = p.table && !p.notice && !p.error && !p.loading && !p.empty && (
    <Button
      size="small"
      icon={<TableOutlined />}
      aria-pressed={showTable}
      onClick={() => setShowTable((v) => !v)}
    >
      {showTable ? t('dashboard.showChart') : t('dashboard.showTable')}
    </Button>
  );
  return (
    <Card
      size="small"
      title={p.title}
      data-testid={p.testId}
      extra={
        <Space wrap>
          {p.extra}
          {toggle}
        </Space>
      }
      style={{ height: '100%' }}
    >
      {p.note && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          {p.note}
        </Typography.Paragraph>
      )}
      {body}
    </Card>
  );
}

/**
 * useQuery that re-asks the network whenever `tick` moves (the live
 * refresh) and reports each answer it got to `onLoaded`. An OVERLOADED
 * answer (README "Overload protection": the server sheds analytics it has
 * no slot for) is retried after its retryAfterSeconds, up to 5 times,
 * showing the previous figures meanwhile.
 */
export function useLiveQuery<D, V extends AnyVariables>(
  query: TypedDocumentNode<D, V>,
  variables: V,
  tick: number,
  onLoaded: () => void,
  pause = false,
) {
  const [r, reexecute] = useQuery<D, V>({ query, variables, pause, requestPolicy: 'cache-and-network' } as never);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!pause) reexecute({ requestPolicy: 'network-only' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick]);
  const loaded = useRef(onLoaded);
  loaded.current = onLoaded;
  const last = useRef<D | undefined>(undefined);
  const tries = useRef(0);
  const overloaded = hasCode(r.error, 'OVERLOADED');
  const retrying = overloaded && tries.current < 5;
  useEffect(() => {
    if (!r.fetching && !r.stale && r.data && !r.error) {
      last.current = r.data;
      tries.current = 0;
      loaded.current();
    }
  }, [r.fetching, r.stale, r.data, r.error]);
  useEffect(() => {
    if (!overloaded || tries.current >= 5) return;
    tries.current++;
    const ext = r.error?.graphQLErrors.find((e) => e.extensions?.code === 'OVERLOADED')?.extensions;
    const wait = (Number(ext?.retryAfterSeconds) || 1) * 1000 + Math.random() * 500;
    const h = setTimeout(() => reexecute({ requestPolicy: 'network-only' }), wait);
    return () => clearTimeout(h);
  }, [overloaded, r.error, reexecute]);
  return {
    data: r.data ?? last.current,
    error: retrying ? undefined : r.error,
    fetching: r.fetching || retrying,
    loading: (r.fetching || retrying) && !(r.data ?? last.current),
  };
}

/** 12345 → "12,345" (Chinese grouping is the same). */
export const num = (n: number | null | undefined) => (n == null ? '—' : Math.round(n).toLocaleString('zh-CN'));
export const pct = (r: number | null | undefined) => (r == null ? '—' : `${(r * 100).toFixed(1)}%`);
