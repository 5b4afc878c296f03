// A health-code colour as a tag (绿码, 黄码…), the same on every page: the
// words of the shared enum.Colour table, antd's preset colours.
import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '../i18n';

const preset: Record<string, string> = { GREEN: 'green', YELLOW: 'gold', ORANGE: 'orange', RED: 'red' };

export default function ColourTag({ colour, big, empty = '—' }: { colour?: string | null; big?: boolean; empty?: ReactNode }) {
  useTranslation(); // re-render on a language change
  if (!colour) return <>{empty}</>;
  return (
    <Tag color={preset[colour]} data-colour={colour} style={big ? { fontSize: 16, padding: '4px 12px' } : undefined}>
      {enumLabel('Colour', colour)}
    </Tag>
  );
}
