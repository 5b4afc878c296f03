// Starts `mashang serve --demo` on a free port over a new SQLite database in
// a temporary folder, waits for /healthz, and publishes its URL to the
// tests as MASHANG_E2E_URL (workers inherit the environment set here).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export default async function globalSetup() {
  const bin = resolve(process.env.MASHANG_BIN ?? '../bin/mashang');
  if (!existsSync(bin)) throw new Error(`no server binary at ${bin}: run make e2e (it builds bin/mashang)`);
  const dir = mkdtempSync(join(tmpdir(), 'mashang-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const server = spawn(bin, ['serve', '--demo', '--addr', `127.0.0.1:${port}`, '--database', join(dir, 'e2e.db')], {
    // The whole suite logs the demo accounts in from one address more often
    // than a person would (MASHANG_LOGIN_ATTEMPTS, default 20 in 15 minutes).
    env: { ...process.env, MASHANG_LOG_LEVEL: 'warn', MASHANG_REDIS_URL: '', MASHANG_LOGIN_ATTEMPTS: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (b) => log.push(String(b)));
  server.stderr.on('data', (b) => log.push(String(b)));
  let exited = false;
  server.on('exit', () => (exited = true));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`mashang serve exited:\n${log.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`mashang serve did not answer /healthz within 60 s:\n${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.env.MASHANG_E2E_URL = url;

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => (exited ? r(null) : server.on('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  };
}
