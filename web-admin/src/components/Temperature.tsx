// A body temperature in °C, in bold red when it is a fever: the server's
// fever flag when the row has one, else from 37.3 °C (seed 001 §4).
import { Typography } from 'antd';

export const feverFrom = 37.3;

export default function Temperature({ value, fever }: { value?: number | null; fever?: boolean }) {
  if (value == null) return <>—</>;
  const hot = fever ?? value >= feverFrom;
  return (
    <Typography.Text strong={hot} type={hot ? 'danger' : undefined}>
      {value.toFixed(1)} °C
    </Typography.Text>
  );
}
