// The temperature pad: large keys for a gloved finger on a tablet, quick
// keys 36.0–36.9 for the common case, and a digit pad for the rest. The
// keys never take the focus (mousedown is prevented), so a USB scanner's
// input keeps it between people. Valid: 34.0–43.0 °C, as the server
// (validate.Temperature).
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

export const minTemperature = 34.0;
export const maxTemperature = 43.0;

/** The temperature typed, or null when it is not a valid reading. */
export function parseTemperature(text: string): number | null {
  if (!/^\d{2}(\.\d)?$/.test(text)) return null;
  const t = Number(text);
  return t >= minTemperature && t <= maxTemperature ? t : null;
}

const keep = (e: React.MouseEvent) => e.preventDefault();

export default function TemperaturePad({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const press = (k: string) => {
    if (k === '.') {
      if (!value.includes('.') && value.length === 2) onChange(`${value}.`);
      return;
    }
    // Two digits, a point, one decimal: typing 365 gives 36.5.
    let v = value;
    if (v.length === 2 && !v.includes('.')) v += '.';
    if (/^\d{2}\.\d$/.test(v)) return;
    onChange(v + k);
  };
  const valid = parseTemperature(value) !== null;
  const big = { height: 64, fontSize: 26 } as const;
  return (
    <div data-testid="station-pad">
      <div
        data-testid="station-temperature"
        style={{
          fontSize: 48,
          fontWeight: 600,
          textAlign: 'center',
          padding: '4px 0',
          borderRadius: 8,
          background: value && !valid ? '#fff1f0' : '#f5f5f5',
          color: value && !valid ? '#cf1322' : undefined,
          marginBottom: 8,
        }}
      >
        {value || '--.-'} °C
      </div>
      {value && !valid && value.length >= 4 && <div style={{ color: '#cf1322', marginBottom: 8 }}>{t('station.temperatureRange')}</div>}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(5, minmax(0, 1fr))', gap: 8, marginBottom: 8 }}>
        {Array.from({ length: 10 }, (_, i) => `36.${i}`).map((q) => (
          <Button key={q} onMouseDown={keep} onClick={() => onChange(q)} style={{ height: 56, fontSize: 20, padding: 0 }} type={value === q ? 'primary' : 'default'}>
            {q}
          </Button>
        ))}
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 8 }}>
        {['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0'].map((k) => (
          <Button key={k} onMouseDown={keep} onClick={() => press(k)} style={big} aria-label={k === '.' ? '小数点' : k}>
            {k}
          </Button>
        ))}
        <Button onMouseDown={keep} onClick={() => onChange(value.slice(0, -1))} style={big}>
          {t('station.backspace')}
        </Button>
      </div>
      <Button block onMouseDown={keep} onClick={() => onChange('')} style={{ marginTop: 8, height: 44 }}>
        {t('station.clear')}
      </Button>
    </div>
  );
}
