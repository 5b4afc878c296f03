// /rules: the versions of the colour rules (seed 003 §五(二) 实时调整规则:
// 根据疫情趋势、防控要求和分区分级风险等级等, 及时调整完善“安康码”制定标准), the
// version in force marked, a line diff between any two versions, and, for
// whoever may publish (the province's INITIATOR), an editor whose text is
// dry-run by the server (previewRuleSet: problems, samples, colour changes
// among real persons) before publishRuleSet is confirmed.
import './locale';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Input, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery } from 'urql';
import dayjs from 'dayjs';
import { diffLines } from 'diff';
import { graphql } from '../../gql';
import type { PreviewRuleSetQuery, RuleSetsQuery } from '../../gql/graphql';
import ErrorAlert from '../../components/ErrorAlert';
import { errorText } from '../../errors';
import { useAccess } from '../../useAccess';
import i18n from '../../i18n';
import '../../components/tables.css';
import ColourTag from '../../components/ColourTag';
// CodeMirror (about 150 KB gzipped) is its own chunk, loaded when the
// editor opens: the page's first load stays within the 500 KB budget
// (scripts/size.mjs counts it as deferred).
const RuleEditor = lazy(() => import('./RuleEditor'));

const RuleSetsDocument = graphql(`
  query RuleSets {
    ruleSets {
      version
      inForce
      rules
      note
      publishedAt
    }
  }
`);

const PreviewDocument = graphql(`
  query PreviewRuleSet($rules: String!) {
    previewRuleSet(rules: $rules) {
      version
      valid
      personsSampled
      problems {
        rule
        ruleName
        field
        message
        offset
      }
      samples {
        name
        colour
        cause
        want
        mismatch
        error
      }
      changes {
        from
        to
        count
      }
    }
  }
`);

const PublishDocument = graphql(`
  mutation PublishRuleSet($rules: String!, $note: String!) {
    publishRuleSet(input: { rules: $rules, note: $note }) {
      version
      inForce
      rules
      note
      publishedAt
    }
  }
`);

type Version = RuleSetsQuery['ruleSets'][number];
type Preview = PreviewRuleSetQuery['previewRuleSet'];

/** The rules as the editor and the diff show them: pretty JSON without the version (the server numbers it). */
export function pretty(rules: string): string {
  try {
    const { version: _v, ...rest } = JSON.parse(rules) as Record<string, unknown>;
    return JSON.stringify(rest, null, 2);
  } catch {
    return rules;
  }
}

/** Chinese names of the server's sample persons (persons.SamplesFor). */
const sampleNames: Record<string, string> = {
  'nothing known': '无任何记录',
  'normal temperature': '体温正常',
  '37.2 is not fever': '37.2 °C 不算发热',
  '37.3 is fever': '37.3 °C 为发热',
  'fever 38.5': '发热 38.5 °C',
  confirmed: '确诊',
  suspected: '疑似',
  'confirmed with fever': '确诊且发热',
  'confirmed, normal temperature': '确诊、体温正常',
  'close contact, quarantine running': '密接、隔离中',
  'close contact, no end known': '密接、隔离结束时间未知',
  'quarantined, quarantine running': '隔离中',
  'quarantined with fever': '隔离中且发热',
  'quarantine ended': '隔离期满',
  'quarantine ends exactly now': '隔离恰好此刻期满',
  'quarantine ended, symptoms': '隔离期满但有症状',
  'quarantine ended, fever': '隔离期满但发热',
};

function sampleName(name: string): string {
  if (i18n.language === 'en') return name;
  if (sampleNames[name]) return sampleNames[name];
  const at = name.match(/^fever threshold ([\d.]+)$/);
  if (at) return `发热阈值 ${at[1]} °C`;
  const below = name.match(/^just below the threshold, ([\d.]+)$/);
  if (below) return `略低于阈值 ${below[1]} °C`;
  return name;
}

/** A readable line diff: removed lines red, added lines green. */
export function LineDiff({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const parts = useMemo(() => diffLines(from, to), [from, to]);
  if (!parts.some((p) => p.added || p.removed)) return <Typography.Text type="secondary">{t('rules.noDiff')}</Typography.Text>;
  return (
    <pre data-testid="rule-diff" style={{ fontSize: 12, margin: 0, maxHeight: 420, overflow: 'auto', background: '#fafafa', padding: 8, borderRadius: 6 }}>
      {parts.flatMap((p, i) =>
        p.value
          .replace(/\n$/, '')
          .split('\n')
          .map((line, j) => (
            <div
              key={`${i}-${j}`}
              className={p.added ? 'diff-added' : p.removed ? 'diff-removed' : undefined}
              title={p.added ? t('rules.added') : p.removed ? t('rules.removed') : undefined}
              style={{ background: p.added ? '#d9f7be' : p.removed ? '#ffccc7' : undefined, color: p.added ? '#135200' : p.removed ? '#820014' : undefined, whiteSpace: 'pre-wrap' }}
            >
              {p.added ? '+ ' : p.removed ? '- ' : '  '}
              {line}
            </div>
          )),
      )}
    </pre>
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="rule-preview">
      {preview.valid ? (
        <Alert type="success" showIcon message={t('rules.valid', { version: preview.version })} />
      ) : (
        <Alert
          type="error"
          showIcon
          message={t('rules.invalid', { count: preview.problems.length })}
          description={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {preview.problems.map((p, i) => (
                <li key={i}>
                  <b>{p.rule == null ? t('rules.ruleSet') : `${t('rules.rule')} ${t('rules.ruleN', { n: p.rule + 1 })}「${p.ruleName}」`}</b>
                  {` · ${p.field}：${p.message}`}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {preview.samples.length > 0 && (
        <Table
          size="small"
          rowKey="name"
          title={() => t('rules.samples')}
          dataSource={preview.samples}
          pagination={false}
          scroll={{ x: 'max-content', y: 260 }}
          rowClassName={(s) => (s.mismatch ? 'scan-abnormal' : '')}
          columns={[
            { title: t('rules.sample'), key: 'name', render: (_, s) => sampleName(s.name) },
            { title: t('rules.colour'), key: 'colour', render: (_, s) => <ColourTag colour={s.colour} /> },
            {
              title: t('rules.want'),
              key: 'want',
              render: (_, s) => (
                <Space>
                  <ColourTag colour={s.want} />
                  {s.mismatch && <Tag color="red">{t('rules.mismatch')}</Tag>}
                </Space>
              ),
            },
            { title: t('rules.cause'), key: 'cause', render: (_, s) => s.error ?? s.cause },
          ]}
        />
      )}
      {preview.valid && (
        <Card size="small" title={t('rules.shifts', { n: preview.personsSampled })} data-testid="rule-shifts">
          {preview.changes.length === 0 ? (
            <Typography.Text type="secondary">{t('rules.noShift')}</Typography.Text>
          ) : (
            <Table
              size="small"
              rowKey={(c) => `${c.from}-${c.to}`}
              dataSource={preview.changes}
              pagination={false}
              columns={[
                { title: t('rules.shiftFrom'), key: 'from', render: (_, c) => <ColourTag colour={c.from} /> },
                { title: t('rules.shiftTo'), key: 'to', render: (_, c) => <ColourTag colour={c.to} /> },
                { title: t('rules.count'), dataIndex: 'count' },
              ]}
            />
          )}
        </Card>
      )}
    </Space>
  );
}

function Publisher({ inForce, onDone }: { inForce: Version; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const initial = useMemo(() => pretty(inForce.rules), [inForce.rules]);
  const [text, setText] = useState(initial);
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<{ text: string; result: Preview } | null>(null);
  const [running, setRunning] = useState(false);
  const [previewError, setPreviewError] = useState<Parameters<typeof ErrorAlert>[0]['error']>(null);
  const [{ fetching: publishing }, publish] = useMutation(PublishDocument);
  const fresh = preview?.text === text;
  const problems = useMemo(() => (preview ? { text: preview.text, list: preview.result.problems } : null), [preview]);

  const run = async () => {
    setRunning(true);
    const res = await client.query(PreviewDocument, { rules: text }, { requestPolicy: 'network-only' }).toPromise();
    setRunning(false);
    setPreviewError(res.error ?? null);
    if (res.data) setPreview({ text, result: res.data.previewRuleSet });
  };
  const confirm = async () => {
    if (!note.trim()) {
      message.error(t('rules.noteRequired'));
      return;
    }
    const res = await publish({ rules: text, note: note.trim() });
    if (res.error) message.error(errorText(res.error));
    else if (res.data) {
      message.success(t('rules.published', { version: res.data.publishRuleSet.version }));
      onDone();
    }
  };
  return (
    <Card size="small" title={t('rules.editTitle', { version: inForce.version })} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t('rules.editorHint')}</Typography.Paragraph>
      <Suspense fallback={<Card loading />}>
        <RuleEditor initial={initial} onChange={setText} problems={problems} />
      </Suspense>
      <Input style={{ marginTop: 12 }} placeholder={t('rules.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} aria-label={t('rules.note')} />
      <Space style={{ marginTop: 12 }} wrap>
        <Button onClick={run} loading={running}>
          {running ? t('rules.previewing') : t('rules.preview')}
        </Button>
        <Popconfirm title={t('rules.confirmTitle')} onConfirm={confirm} disabled={!fresh || !preview?.result.valid}>
          <Button type="primary" disabled={!fresh || !preview?.result.valid} loading={publishing}>
            {t('rules.confirm', { version: preview?.result.version ?? inForce.version + 1 })}
          </Button>
        </Popconfirm>
        <Button onClick={onDone}>{t('rules.cancel')}</Button>
        {!fresh && <Typography.Text type="secondary">{preview ? t('rules.unchanged') : t('rules.previewFirst')}</Typography.Text>}
      </Space>
      <ErrorAlert error={previewError} style={{ marginTop: 12 }} />
      {preview && (
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col xs={24} lg={12}>
            <PreviewResult preview={preview.result} />
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('rules.diffInForce')}>
              <LineDiff from={initial} to={preview.text} />
            </Card>
          </Col>
        </Row>
      )}
    </Card>
  );
}

export default function RulesPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const [r, reexecute] = useQuery({ query: RuleSetsDocument, requestPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState(false);
  const versions = r.data?.ruleSets ?? [];
  const inForce = versions.find((v) => v.inForce);
  const [pick, setPick] = useState<{ from?: number; to?: number }>({});
  const toV = pick.to ?? versions[0]?.version;
  const fromV = pick.from ?? versions[1]?.version ?? versions[0]?.version;
  const byVersion = (n?: number) => versions.find((v) => v.version === n);
  const options = versions.map((v) => ({ value: v.version, label: `v${v.version}${v.inForce ? ` (${t('rules.inForce')})` : ''}` }));
  const mayPublish = access.can('ruleset', 'publish');

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('rules.title')}
        </Typography.Title>
        {mayPublish && inForce && !editing && (
          <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('rules.edit')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('rules.intro')}</Typography.Paragraph>
      <ErrorAlert error={r.error} />
      {editing && inForce && (
        <Publisher
          key={inForce.version}
          inForce={inForce}
          onDone={() => {
            setEditing(false);
            setPick({});
            reexecute({ requestPolicy: 'network-only' });
          }}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('rules.versions')} style={{ marginBottom: 16 }}>
            <Table<Version>
              rowKey="version"
              size="small"
              loading={r.fetching && !r.data}
              dataSource={versions}
              pagination={versions.length > 10 ? { pageSize: 10 } : false}
              data-testid="rule-versions"
              columns={[
                {
                  title: t('rules.version'),
                  key: 'v',
                  render: (_, v) => (
                    <Space>
                      {`v${v.version}`}
                      {v.inForce && <Tag color="green">{t('rules.inForce')}</Tag>}
                    </Space>
                  ),
                },
                { title: t('rules.note'), dataIndex: 'note' },
                { title: t('rules.publishedAt'), key: 'at', render: (_, v) => dayjs(v.publishedAt).format('YYYY-MM-DD HH:mm') },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={t('rules.diff')}
            extra={
              <Space wrap>
                <Select size="small" style={{ width: 130 }} aria-label={t('rules.from')} value={fromV} options={options} onChange={(v) => setPick((p) => ({ ...p, from: v, to: toV }))} />
                →
                <Select size="small" style={{ width: 130 }} aria-label={t('rules.to')} value={toV} options={options} onChange={(v) => setPick((p) => ({ ...p, to: v, from: fromV }))} />
              </Space>
            }
          >
            {byVersion(fromV) && byVersion(toV) && <LineDiff from={pretty(byVersion(fromV)!.rules)} to={pretty(byVersion(toV)!.rules)} />}
          </Card>
        </Col>
      </Row>
    </>
  );
}
