// The station's offline queue in IndexedDB (idb): every scan is put here
// first, with its client id (crypto.randomUUID), and leaves only when the
// server has answered for it — stored (or recognised as a retry of a stored
// one: replayed) or refused. Refused items move to `failed` (需处理) and stay
// until the scanner records them again or deletes them: nothing is dropped
// silently, and since the server recognises a retried clientId nothing is
// stored twice (schema/scans.graphqls ScanInput.clientId).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ScanInput } from '../../gql/graphql';

export interface QueuedScan {
  clientId: string;
  /** The acting account that recorded it: only that account uploads it. */
  accountId: string;
  input: ScanInput;
  /** Epoch ms when it was recorded at the door. */
  queuedAt: number;
  attempts: number;
  /** A short label for the lists (the method, the masked person if known). */
  label: string;
}

export interface FailedScan extends QueuedScan {
  failedAt: number;
  code: string;
  message: string;
}

interface StationDB extends DBSchema {
  pending: { key: string; value: QueuedScan; indexes: { byAccount: string } };
  failed: { key: string; value: FailedScan; indexes: { byAccount: string } };
}

let dbp: Promise<IDBPDatabase<StationDB>> | null = null;

function db() {
  dbp ??= openDB<StationDB>('mashang-station', 1, {
    upgrade(d) {
      d.createObjectStore('pending', { keyPath: 'clientId' }).createIndex('byAccount', 'accountId');
      d.createObjectStore('failed', { keyPath: 'clientId' }).createIndex('byAccount', 'accountId');
    },
  });
  return dbp;
}

/** Notifies the page when the queue changes (this tab or another). */
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('mashang-station-queue');
const listeners = new Set<() => void>();
function changed() {
  listeners.forEach((l) => l());
  channel?.postMessage('changed');
}
channel?.addEventListener('message', () => listeners.forEach((l) => l()));

export function onQueueChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export async function enqueue(item: QueuedScan) {
  await (await db()).put('pending', item);
  changed();
}

/** The pending scans, oldest first. */
export async function pending(): Promise<QueuedScan[]> {
  const all = await (await db()).getAll('pending');
  return all.sort((a, b) => a.queuedAt - b.queuedAt);
}

export async function failed(): Promise<FailedScan[]> {
  const all = await (await db()).getAll('failed');
  return all.sort((a, b) => b.failedAt - a.failedAt);
}

/** The server answered for these: stored, replayed, or refused (moved to failed unless shown). */
export async function settle(done: string[], refused: FailedScan[], attempted: string[]) {
  const d = await db();
  const tx = d.transaction(['pending', 'failed'], 'readwrite');
  const p = tx.objectStore('pending');
  for (const id of done) await p.delete(id);
  for (const f of refused) {
    await p.delete(f.clientId);
    await tx.objectStore('failed').put(f);
  }
  const settled = new Set([...done, ...refused.map((f) => f.clientId)]);
  for (const id of attempted) {
    if (settled.has(id)) continue;
    const it = await p.get(id);
    if (it) await p.put({ ...it, attempts: it.attempts + 1 });
  }
  await tx.done;
  changed();
}

/** Put a refused scan back in the queue, with the same client id (nothing of it was stored). */
export async function retryFailed(clientId: string) {
  const d = await db();
  const tx = d.transaction(['pending', 'failed'], 'readwrite');
  const f = await tx.objectStore('failed').get(clientId);
  if (f) {
    const item: QueuedScan = { clientId: f.clientId, accountId: f.accountId, input: f.input, queuedAt: f.queuedAt, attempts: 0, label: f.label };
    await tx.objectStore('pending').put(item);
    await tx.objectStore('failed').delete(clientId);
  }
  await tx.done;
  changed();
}

export async function discardFailed(clientId: string) {
  await (await db()).delete('failed', clientId);
  changed();
}
