// The daemon as a process: graceful stop with requests in flight, crash safety, restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, waitFor, MANAGER_PASSWORD } from './harness.mjs';

// A process's peak resident memory (VmHWM), in KiB.
const peakMemoryKiB = (pid) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB$/m)[1]);

let stack;
let manager;
before(async () => ({ stack, manager } = await startSetUpStack()));
after(() => stack.stop());

test('SIGTERM lets in-flight requests finish and closes the database cleanly', async () => {
  fs.appendFileSync(stack.daemon.configPath, '\npassword_hash_ops = 6\npassword_hash_mem_kib = 262144\n');
  await stack.daemon.stop();
  await stack.daemon.start();
  const started = Date.now();
  // The sign-in is in flight once nestboxd hashes the password again with the new 256 MiB
  // parameters: its peak memory grows by that much (a fixed pause lost the race under load).
  const peak = peakMemoryKiB(stack.daemon.process.pid);
  const inFlight = stack.client().signIn('manager', MANAGER_PASSWORD);
  await waitFor(() => peakMemoryKiB(stack.daemon.process.pid) > peak + 64 * 1024, 'nestboxd to hash the password');
  const exited = stack.daemon.stop('SIGTERM');
  const res = await inFlight;
  assert.equal(res.status, 200, `in-flight request answered (${Date.now() - started} ms)`);
  const { code, signal } = await exited;
  assert.equal(code, 0);
  assert.equal(signal, null);
  assert.match(stack.daemon.stderr, /NBX_DAEMON_STOPPING/);
  assert.match(stack.daemon.stderr, /NBX_DAEMON_STOPPED drained=yes/);
  // Closing the last connection checkpoints the WAL and removes it.
  assert.equal(fs.existsSync(path.join(stack.dataDir, 'nestbox.db-wal')), false);
  assert.equal(stack.sql('PRAGMA integrity_check'), 'ok');
});

test('an acknowledged change survives kill -9', async () => {
  await stack.daemon.start();
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD)).status, 200);
  const res = await manager.post('/api/v1/users', { username: 'survivor', display_name: 'Survivor', role: 'staff' });
  assert.equal(res.status, 201);
  await stack.daemon.stop('SIGKILL');
  await stack.daemon.start();
  assert.equal(stack.sql("SELECT count(*) FROM users WHERE username = 'survivor'"), '1');
  assert.equal(stack.sql('PRAGMA integrity_check'), 'ok');
  const audit = stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_ACCOUNT_CREATED'");
  assert.equal(audit, '1');
  // The session issued before the crash is still valid: sessions live in the database.
  assert.equal((await manager.get('/api/v1/auth/session')).status, 200);
});

test('the CA survives restarts; the key stays private', async () => {
  const caBefore = fs.readFileSync(path.join(stack.dataDir, 'tls/ca.crt'), 'utf8');
  await stack.daemon.stop();
  await stack.daemon.start();
  assert.equal(fs.readFileSync(path.join(stack.dataDir, 'tls/ca.crt'), 'utf8'), caBefore);
  assert.equal(fs.statSync(path.join(stack.dataDir, 'tls/ca.key')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(stack.dataDir, 'tls/server.key')).mode & 0o777, 0o600);
});

test('a bad configuration stops the daemon with a message naming the line', async () => {
  await stack.daemon.stop();
  fs.appendFileSync(stack.daemon.configPath, '\nlisten_adress = 0.0.0.0\n');
  await assert.rejects(stack.daemon.start(), /unknown key 'listen_adress'/);
});
