// Pieces shared by /alerts and /tasks: enum tags and the region picker
// within the viewer's scope. The colour tag and the temperature are in
// src/components (ColourTag, Temperature), shared with the other pages.
import { useState } from 'react';
import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { enumLabel } from '../../i18n';
import { ScopeRegionsDocument } from './documents';
import './locale';

const statusColour: Record<string, string> = { OPEN: 'red', ASSIGNED: 'orange', VISITED: 'blue', CLOSED: 'default' };

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={statusColour[status]}>{t(`alerts.enumStatus.${status}`, { defaultValue: status })}</Tag>;
}

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag>{t(`alerts.enumKind.${kind}`, { defaultValue: kind })}</Tag>;
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
