// Labels and the colour tag shared by /persons/:id and /tracing.
import './locale';
import { Tag } from 'antd';
import i18n, { enumLabel } from '../../i18n';

type EnumName = 'Colour' | 'PersonRisk' | 'RiskChange' | 'TestResultKind' | 'TestResultResult' | 'ScanMethod' | 'ScanDecision' | 'PersonIDType';

/** The label of an enum value of these pages (personEnums in locale.ts; Colour and ScanDecision from the shared enum.* table). */
export function label(of: EnumName, value: string | null | undefined): string {
  if (!value) return '';
  if (of === 'Colour' || of === 'ScanDecision') return enumLabel(of, value);
  return i18n.t(`personEnums.${of}.${value}`, { defaultValue: value });
}

export const colourHex: Record<string, string> = { GREEN: '#389e0d', YELLOW: '#d4b106', ORANGE: '#fa8c16', RED: '#cf1322' };

/** A health code colour as a solid tag (绿码, 黄码…). */
export function ColourTag({ colour, big }: { colour: string | null | undefined; big?: boolean }) {
  if (!colour) return <Tag>—</Tag>;
  return (
    <Tag color={colourHex[colour]} data-colour={colour} style={big ? { fontSize: 16, padding: '4px 12px' } : undefined}>
      {label('Colour', colour)}
    </Tag>
  );
}
