// Runs the graphql-http audit (GraphQL over HTTP) against the server at
// argv[2]. Prints every result that is not "ok"; exits 1 when a MUST or a
// SHOULD item fails (MAY items are only printed).
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
let failed = 0;
for (const r of results) {
  if (r.status === 'ok') continue;
  const level = r.name.split(' ')[0];
  const fatal = level === 'MUST' || level === 'SHOULD';
  if (fatal) failed++;
  let body = '';
  try {
    body = (await r.response.text()).slice(0, 300);
  } catch {
    // the audit may have read the body already
  }
  console.log(`${fatal ? 'FAIL' : 'note'} ${r.id} ${r.name}: ${r.reason} [${r.response.status} ${r.response.headers.get('content-type')}] ${body}`);
}
console.log(`${results.length} audits, ${failed} MUST or SHOULD failures`);
process.exit(failed === 0 ? 0 : 1);
