// A result's errors as an antd Alert, in the user's language (src/errors.ts).
import { Alert } from 'antd';
import type { CombinedError } from 'urql';
import { serverErrors } from '../errors';

export default function ErrorAlert({ error, style }: { error: CombinedError | undefined | null; style?: React.CSSProperties }) {
  const list = serverErrors(error);
  if (list.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16, ...style }}
      message={list.length === 1 ? list[0].message : <ul style={{ margin: 0, paddingLeft: 16 }}>{list.map((e, i) => <li key={i}>{e.message}</li>)}</ul>}
    />
  );
}
