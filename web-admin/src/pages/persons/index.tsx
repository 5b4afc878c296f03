// Placeholder of /persons (issue 14): replaced by the page itself.
import { Result } from 'antd';

export default function Page() {
  return <Result status="info" title="persons" />;
}
