// Sends the offline queue (queue.ts) as recordScans batches, one run at a
// time (within the tab by a promise chain, across tabs by a Web Lock), and
// schedules retries: at once when the browser says it is back online, and
// otherwise every few seconds with an exponential backoff while scans are
// waiting — also when a request fails although navigator.onLine says true
// (a captive portal, a server out of reach).
import type { Client } from 'urql';
import { graphql } from '../../gql';
import type { StationScanFragment } from '../../gql/graphql';
import * as queue from './queue';

graphql(`
  fragment StationScan on Scan {
    id
    clientId
    method
    decision
    colour
    fever
    farFix
    temperature
    nameMasked
    alertReasons
    serverTime
  }
`);

export const RecordScansDocument = graphql(`
  mutation StationRecordScans($input: [ScanInput!]!) {
    recordScans(input: $input) {
      stored
      replayed
      failed
      results {
        index
        clientId
        replayed
        scan {
          ...StationScan
        }
        error {
          code
          field
          message
        }
      }
    }
  }
`);

/** What became of one item of a run. */
export type ItemOutcome =
  | { kind: 'scan'; scan: StationScanFragment; replayed: boolean }
  | { kind: 'refused'; code: string; message: string };

export interface RunOutcome {
  /** 'ok': every item sent got an answer; 'network': the server was not reached; 'error': the whole request was refused. */
  kind: 'ok' | 'network' | 'error';
  code?: string;
  message?: string;
  items: Map<string, ItemOutcome>;
  /** performance.now() when the answer arrived (for the paint measure). */
  answeredAt: number;
}

/**
 * Called with the answer for a shown item as soon as it arrives, before the
 * queue is updated in IndexedDB: the screen shows it at once.
 */
export type Answered = (clientId: string, outcome: ItemOutcome, answeredAt: number) => void;

/** Items per request: the server takes up to 500 (scans.MaxBatch). */
const batchSize = 100;

let chain: Promise<unknown> = Promise.resolve();

/**
 * Sends what the account has waiting, oldest first. `shown` are client ids
 * whose answer the screen shows at once: a refusal of those is not kept in
 * the 需处理 list (the scanner sees it with the person in front of them).
 */
export function run(client: Client, accountId: string, shown: string[] = [], onAnswer?: Answered): Promise<RunOutcome> {
  const next = chain.then(() => withLock(() => runOnce(client, accountId, new Set(shown), onAnswer)));
  chain = next.catch(() => undefined);
  return next;
}

async function withLock<T>(f: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return f();
  return locks.request('mashang-station-queue', f) as Promise<T>;
}

async function runOnce(client: Client, accountId: string, shown: Set<string>, onAnswer?: Answered): Promise<RunOutcome> {
  const items = new Map<string, ItemOutcome>();
  const all = (await queue.pending()).filter((q) => q.accountId === accountId);
  let answeredAt = performance.now();
  for (let i = 0; i < all.length; i += batchSize) {
    const batch = all.slice(i, i + batchSize);
    const r = await client
      .mutation(RecordScansDocument, { input: batch.map((q) => q.input) }, { requestPolicy: 'network-only' })
      .toPromise();
    answeredAt = performance.now();
    const ids = batch.map((q) => q.clientId);
    if (!r.data?.recordScans) {
      await queue.settle([], [], ids);
      const gqlError = r.error?.graphQLErrors[0];
      if (!gqlError) return { kind: 'network', items, answeredAt };
      const code = typeof gqlError.extensions?.code === 'string' ? gqlError.extensions.code : 'INTERNAL';
      return { kind: 'error', code, message: gqlError.message, items, answeredAt };
    }
    const done: string[] = [];
    const refused: queue.FailedScan[] = [];
    for (const res of r.data.recordScans.results) {
      const q = batch[res.index];
      if (!q) continue;
      if (res.scan) {
        done.push(q.clientId);
        items.set(q.clientId, { kind: 'scan', scan: res.scan, replayed: res.replayed });
      } else {
        const code = res.error?.code ?? 'INTERNAL';
        const message = res.error?.message ?? '';
        items.set(q.clientId, { kind: 'refused', code, message });
        if (shown.has(q.clientId)) done.push(q.clientId);
        else refused.push({ ...q, failedAt: Date.now(), code, message });
      }
      const it = items.get(q.clientId);
      if (onAnswer && it && shown.has(q.clientId)) onAnswer(q.clientId, it, answeredAt);
    }
    await queue.settle(done, refused, ids);
  }
  return { kind: 'ok', items, answeredAt };
}

/**
 * Keeps retrying while scans wait: on the online event at once, else after
 * 5 s, 10 s, 20 s … up to 2 min after each failure, and every 30 s while
 * all is well (another tab's scans, a queue left by a reload).
 */
export class Retrier {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private stopped = false;
  /** When the next attempt is due (epoch ms), for the screen. */
  nextAt = 0;

  constructor(
    private attempt: () => Promise<RunOutcome | null>,
    private onState: () => void,
  ) {
    window.addEventListener('online', this.now);
    this.schedule(1000);
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.now);
    if (this.timer) clearTimeout(this.timer);
  }

  /** Attempt at once (the online event, the 立即上传 button). */
  now = () => {
    this.schedule(0);
  };

  /** Report the outcome of a run made elsewhere (a scan sent at once). */
  report(o: RunOutcome | null) {
    if (!o || o.kind === 'ok') this.failures = 0;
    else this.failures++;
    this.schedule(this.delay());
  }

  private delay() {
    if (this.failures === 0) return 30_000;
    return Math.min(5_000 * 2 ** (this.failures - 1), 120_000);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = Date.now() + ms;
    this.onState();
    this.timer = setTimeout(async () => {
      this.timer = null;
      let o: RunOutcome | null = null;
      // Offline for sure: no request, wait for the online event or the next tick.
      if (navigator.onLine) {
        try {
          o = await this.attempt();
        } catch {
          o = { kind: 'network', items: new Map(), answeredAt: performance.now() };
        }
      } else {
        o = { kind: 'network', items: new Map(), answeredAt: performance.now() };
      }
      this.report(o);
    }, ms);
  }
}
