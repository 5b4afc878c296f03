// Pieces shared by /alerts and /tasks: enum tags, the region picker within
// the viewer's scope, the temperature in red above 37.3 °C.
import { useState } from 'react';
import { Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { enumLabel } from '../../i18n';
import { ScopeRegionsDocument } from './documents';
import './locale';

export const feverFrom = 37.3; // seed 001 §4: 体温 ≥ 37.3 °C is abnormal

const statusColour: Record<string, string> = { OPEN: 'red', ASSIGNED: 'orange', VISITED: 'blue', CLOSED: 'default' };
const codeColour: Record<string, string> = { GREEN: 'green', YELLOW: 'gold', ORANGE: 'orange', RED: 'red' };

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={statusColour[status]}>{t(`alerts.enumStatus.${status}`, { defaultValue: status })}</Tag>;
}

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag>{t(`alerts.enumKind.${kind}`, { defaultValue: kind })}</Tag>;
}

export function ColourTag({ colour }: { colour?: string | null }) {
  useTranslation(); // re-render on a language change
  if (!colour) return <>—</>;
  return <Tag color={codeColour[colour]}>{enumLabel('Colour', colour)}</Tag>;
}

export function Reasons({ reasons }: { reasons: readonly string[] }) {
  useTranslation(); // re-render on a language change
  return (
    <>
      {reasons.map((r) => (
        <Tag key={r} color="red">
          {enumLabel('AlertReason', r)}
        </Tag>
      ))}
    </>
  );
}

export function Temperature({ value }: { value?: number | null }) {
  if (value == null) return <>—</>;
  const fever = value >= feverFrom;
  return (
    <Typography.Text strong={fever} type={fever ? 'danger' : undefined}>
      {value.toFixed(1)} °C
    </Typography.Text>
  );
}

/**
 * A region of the viewer's scope: the scope region and its children
 * offered at once, any region below it by name (or code) on search. The
 * division tree is public, so the scope is what limits the choice here;
 * the server limits the alerts anyway.
 */
export function ScopeRegionPicker({
  scope,
  value,
  onChange,
  placeholder,
  testId,
}: {
  scope: string | undefined;
  value?: string;
  onChange: (id: string | undefined, name?: string) => void;
  placeholder?: string;
  testId?: string;
}) {
  const [search, setSearch] = useState('');
  const q = search.trim();
  const where = q
    ? { within: scope, ...(/^\d+$/.test(q) ? { codeHasPrefix: q } : { nameContains: q }) }
    : scope
      ? { or: [{ id: scope }, { hasParentWith: [{ id: scope }] }] }
      : { level: 'PROVINCE' as const };
  const [r] = useQuery({ query: ScopeRegionsDocument, variables: { where } });
  const options = (r.data?.regions.edges ?? []).flatMap((e) =>
    e?.node ? [{ value: e.node.id, label: `${e.node.name}（${enumLabel('RegionLevel', e.node.level)}）`, name: e.node.name }] : [],
  );
  return (
    <Select
      data-testid={testId}
      showSearch
      allowClear
      value={value}
      placeholder={placeholder}
      filterOption={false}
      onSearch={setSearch}
      onChange={(v, o) => onChange(v, Array.isArray(o) ? undefined : (o as { name?: string } | undefined)?.name)}
      loading={r.fetching}
      options={options}
      style={{ minWidth: 200 }}
    />
  );
}
