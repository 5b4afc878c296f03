// Labels shared by /persons/:id and /tracing (the colour tag is
// src/components/ColourTag).
import './locale';
import i18n, { enumLabel } from '../../i18n';

type EnumName = 'Colour' | 'PersonRisk' | 'RiskChange' | 'TestResultKind' | 'TestResultResult' | 'ScanMethod' | 'ScanDecision' | 'PersonIDType';

/** The label of an enum value of these pages (personEnums in locale.ts; Colour and ScanDecision from the shared enum.* table). */
export function label(of: EnumName, value: string | null | undefined): string {
  if (!value) return '';
  if (of === 'Colour' || of === 'ScanDecision') return enumLabel(of, value);
  return i18n.t(`personEnums.${of}.${value}`, { defaultValue: value });
}
