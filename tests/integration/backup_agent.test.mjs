// Backups as the manager sets them up and the schedule runs them (issue 19), against the real
// daemon, the real agent script (systemd/nestbox-backup agent, in a loop as its path unit would
// start it) and Debian's restic: the recovery key typed back, the repository made and tested,
// "back up now", the daily backup, weekly check and monthly test restore on the test clock,
// a folder IT support has not allowed, a target that fills up (a small tmpfs only the agent
// sees), nestboxd killed with -9 in the middle of a backup, and the setup page of a fresh box
// finding the snapshots with the recovery key (a wrong key is a clear error).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Stack, startSetUpStack, waitFor, daemonBinary, MANAGER_PASSWORD } from './harness.mjs';

let stack;
let manager;
let targets;
let key;  // the recovery key as shown

const KEY_FORMAT = /^([0-9A-HJKMNP-TV-Z]{5}-){7}[0-9A-HJKMNP-TV-Z]{5}$/;

// Follows an agent request until it is answered.
async function follow(client, request, base = '/api/v1/backups/requests/') {
  let answer = request;
  await waitFor(async () => {
    const res = await client.get(base + request.id);
    assert.equal(res.status, 200, res.text);
    answer = res.json.request;
    return answer.state === 'done' || answer.state === 'failed';
  }, `the agent to answer ${request.op}`, 180000, 200);
  return answer;
}

async function status() {
  const res = await manager.get('/api/v1/backups');
  assert.equal(res.status, 200, res.text);
  return res.json.backups;
}

const audited = (event) => Number(stack.sql(`SELECT count(*) FROM audit_log WHERE event = '${event}'`));

// After the clock moves a day or more, the manager's session has ended: sign in again.
async function signInAgain() {
  manager = stack.client();
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD, { tablet: null })).status, 200);
}

async function backUpNow() {
  const res = await manager.post('/api/v1/backups/run', {});
  assert.equal(res.status, 202, res.text);
  return follow(manager, res.json.request);
}

// A media object of `mib` MiB of random bytes, named by its hash as the box names them.
function randomObject(mib) {
  const bytes = crypto.randomBytes(mib * 1024 * 1024);
  const hash = crypto.createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(stack.dataDir, 'media/objects', hash.slice(0, 2));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, hash), bytes);
  return path.join(dir, hash);
}

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  ({ targets } = await stack.startBackupAgent({ smallDisk: '6m' }));
});

after(async () => { await stack?.stop(); });

test('a manager sets up backups: the key is shown once, confirmed by typing two groups, and the agent makes the repository', async () => {
  let b = await status();
  assert.equal(b.state, 'not_set_up');
  assert.equal(b.configured, false);

  const started = await manager.post('/api/v1/backups/setup', { target: { kind: 'directory', path: `${targets}/repo` }, time: '03:30' });
  assert.equal(started.status, 201, started.text);
  assert.match(started.headers['cache-control'], /no-store/);
  const setup = started.json.setup;
  assert.match(setup.key, KEY_FORMAT);
  key = setup.key;
  const groups = key.split('-');

  const wrong = await manager.post('/api/v1/backups/setup/confirm', { id: setup.id, typed: `${groups[0]} ${groups[0]}` });
  assert.equal(wrong.status, 400, wrong.text);
  assert.equal(wrong.json.error, 'key_mismatch');
  assert.equal(wrong.json.field, 'typed');

  const typed = setup.confirm_groups.map((g) => groups[g - 1].toLowerCase()).join(' ');
  const confirmed = await manager.post('/api/v1/backups/setup/confirm', { id: setup.id, typed });
  assert.equal(confirmed.status, 202, confirmed.text);
  const answer = await follow(manager, confirmed.json.request);
  assert.equal(answer.state, 'done', JSON.stringify(answer.error));
  assert.equal(answer.result.initialised, true);
  assert.equal(answer.result.snapshots, 0);
  assert.ok(answer.result.free_bytes > 0);

  // The key went to root's settings (0600) and nowhere else: not the spool, not the data.
  const stored = path.join(stack.backupSettings, 'key');
  assert.equal(fs.readFileSync(stored, 'utf8').trim(), key.replaceAll('-', ''));
  assert.equal(fs.statSync(stored).mode & 0o077, 0);
  const spool = path.join(stack.root, 'backup-spool');
  for (const dir of ['requests', 'results']) {
    for (const f of fs.readdirSync(path.join(spool, dir))) {
      assert.ok(!fs.readFileSync(path.join(spool, dir, f), 'utf8').includes(key.replaceAll('-', '')), `the key is left in ${dir}/${f}`);
    }
  }
  assert.equal(fs.readdirSync(path.join(spool, 'requests')).length, 0);
  assert.ok(!stack.daemon.stderr.includes(key.replaceAll('-', '')) && !stack.daemon.stderr.includes(key), 'the key is in the log');

  // Shown once: it cannot be confirmed (or seen) again.
  const again = await manager.post('/api/v1/backups/setup/confirm', { id: setup.id, typed });
  assert.equal(again.status, 404);
  assert.equal(again.json.error, 'setup_expired');

  b = await status();
  assert.equal(b.configured, true);
  assert.deepEqual(b.target, { kind: 'directory', path: `${targets}/repo` });
  assert.equal(b.schedule.time, '03:30');
  assert.equal(b.schedule.time_zone, 'Europe/London');
  assert.ok(Date.parse(b.next_at) > Date.now());
  assert.equal(audited('NBX_BACKUP_SET_UP'), 1);
});

test('back up now; then the daily backup, the weekly check and the monthly test restore come on the test clock', async () => {
  const first = await backUpNow();
  assert.equal(first.state, 'done', JSON.stringify(first.error));
  await waitFor(async () => (await status()).state === 'ok', 'the backup to be seen');
  let b = await status();
  assert.equal(b.last_good.snapshots, 1);
  assert.ok(b.last_good.bytes_total > 0);
  assert.equal(b.last_good.finished_at.slice(0, 10), new Date().toISOString().slice(0, 10));
  assert.ok(b.disk.free_bytes > 0);
  assert.equal(audited('NBX_BACKUP_REQUESTED'), 1);

  // To the next 03:30 in London: the schedule asks; no waiting for real time.
  stack.advanceClock(Math.ceil((Date.parse(b.next_at) - Date.now()) / 1000) + 5);
  await waitFor(() => audited('NBX_BACKUP_DONE') >= 2, 'the scheduled backup', 120000);
  assert.equal(audited('NBX_BACKUP_CHECKED'), 0);

  // A week on: that day's backup, then the weekly check.
  stack.advanceClock(7 * 86400);
  await waitFor(() => audited('NBX_BACKUP_CHECKED') >= 1, 'the weekly check', 120000);
  const check = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-check.json'), 'utf8'));
  assert.equal(check.kind, 'check');
  assert.equal(check.ok, true);

  // A month after set-up: the test restore of the latest snapshot.
  stack.advanceClock(23 * 86400);
  await waitFor(() => stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_BACKUP_CHECKED' AND detail LIKE '%test_restore%'") >= 1,
    'the monthly test restore', 180000);
  await signInAgain();
  b = await status();
  assert.equal(b.state, 'ok');
  assert.equal(b.last_check.ok, true);
  assert.equal(b.last_test_restore.ok, true);
  assert.ok(b.last_test_restore.sample >= 0);
  // Retention kept one a day (the snapshots are dated by the box's clock).
  assert.ok(b.last_good.snapshots >= 3);
});

test('a folder IT support has not allowed is refused by the agent, and never becomes the target', async () => {
  const res = await manager.post('/api/v1/backups/target', { target: { kind: 'directory', path: '/etc/nestbox-elsewhere' } });
  assert.equal(res.status, 202, res.text);
  const answer = await follow(manager, res.json.request);
  assert.equal(answer.state, 'failed');
  assert.equal(answer.error.code, 'directory_not_allowed');
  assert.match(answer.error.message, /allowed/);
  assert.ok(!fs.existsSync('/etc/nestbox-elsewhere'));
  assert.equal((await status()).target.path, `${targets}/repo`);
  assert.equal(fs.readFileSync(path.join(stack.backupSettings, 'repository'), 'utf8').trim(), `${targets}/repo`);
});

test('a target that fills up: a clear error on the screen and in the log; older snapshots intact; the next run succeeds', async () => {
  const small = `${targets}/small/repo`;
  let res = await manager.post('/api/v1/backups/target', { target: { kind: 'directory', path: small } });
  let answer = await follow(manager, res.json.request);
  assert.equal(answer.state, 'done', JSON.stringify(answer.error));
  assert.equal(answer.result.initialised, true);
  assert.ok(answer.result.size_bytes <= 6 * 1024 * 1024);
  answer = await backUpNow();
  assert.equal(answer.state, 'done', JSON.stringify(answer.error));
  const first = { snapshot: answer.result.message.match(/^backup ([0-9a-f]+)/)[1] };
  await waitFor(async () => (await status()).last_good.snapshot === first.snapshot, 'the backup to be seen');

  const big = randomObject(8);  // more than the 6 MiB disk holds
  answer = await backUpNow();
  assert.equal(answer.state, 'failed');
  await waitFor(async () => (await status()).state === 'failed', 'the failure to be seen');
  const b = await status();
  assert.equal(b.last.error_code, 'target_full');
  assert.match(b.last.error, /full/);
  assert.equal(b.last_good.snapshot, first.snapshot);
  assert.match(stack.daemon.stderr, /NBX_BACKUP_FAILED.*full/);
  assert.match(stack.agentLog, /no space left/i);

  // The snapshot made before is whole: restic check inside the agent's mount namespace.
  const check = execFileSync('nsenter', ['-t', String(stack.agent.pid), '-U', '-m', '--preserve-credentials',
    'restic', '-r', small, 'check', '--read-data'],
  { env: { ...stack.backupEnv, RESTIC_PASSWORD_FILE: path.join(stack.backupSettings, 'key') }, encoding: 'utf8' });
  assert.match(check, /no errors were found/);

  fs.rmSync(big);
  answer = await backUpNow();
  assert.equal(answer.state, 'done', JSON.stringify(answer.error));
  await waitFor(async () => (await status()).state === 'ok', 'the next backup to be seen');
  assert.notEqual((await status()).last_good.snapshot, first.snapshot);
});

test('the agent, then nestboxd, killed with -9 in the middle of a backup: the snapshot before restores; the next run succeeds', async () => {
  let res = await manager.post('/api/v1/backups/target', { target: { kind: 'directory', path: `${targets}/repo` } });
  assert.equal((await follow(manager, res.json.request)).state, 'done');
  const repo = `${targets}/repo`;
  const latest = () => JSON.parse(stack.restic(repo, ['snapshots', '--json', 'latest']))[0];
  const restores = (snapshot) => {
    const out = fs.mkdtempSync(path.join(stack.root, 'restored-'));
    stack.restic(repo, ['restore', snapshot.id, '--target', out]);
    execFileSync(daemonBinary, ['--verify-database', path.join(out, 'backup-staging/nestbox.db')]);
    fs.rmSync(out, { recursive: true });
  };
  const resticRunning = () => /restic .*backup/.test(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }));
  const objects = [randomObject(48)];

  // The backup process (the agent, restic and all) killed: the request waits; the agent,
  // started again, answers it, after unlocking the repository the killed run left locked.
  // Another day (retention keeps a snapshot per day): the schedule's own backup for the day
  // runs first, so the manager's run below is the only one in flight.
  const nextDay = async () => {
    const done = audited('NBX_BACKUP_DONE');
    stack.advanceClock(86400);
    await waitFor(() => audited('NBX_BACKUP_DONE') > done, "the day's scheduled backup", 120000);
    await signInAgain();
  };
  await nextDay();
  let before = latest();
  res = await manager.post('/api/v1/backups/run', {});
  let request = res.json.request;
  await waitFor(resticRunning, 'restic to run', 60000);
  stack.stopBackupAgent();
  await waitFor(() => !resticRunning(), 'restic to be gone');
  restores(before);
  await stack.startBackupAgent();
  let answer = await follow(manager, request);
  assert.equal(answer.state, 'done', JSON.stringify(answer.error));
  assert.notEqual(latest().id, before.id);

  // nestboxd killed: the backup goes on without it; the daemon started again sees the result.
  await nextDay();
  objects.push(randomObject(48));
  before = latest();
  res = await manager.post('/api/v1/backups/run', {});
  request = res.json.request;
  await waitFor(resticRunning, 'restic to run', 60000);
  await stack.daemon.stop('SIGKILL');
  await stack.daemon.start();
  await signInAgain();
  answer = await follow(manager, request);
  assert.equal(answer.state, 'done', JSON.stringify(answer.error));
  const after = latest();
  assert.notEqual(after.id, before.id);
  await waitFor(async () => (await status()).last_good?.snapshot === after.short_id, 'the new daemon to see the backup');
  // `before` was made the same day, so retention rightly let it go; the repository is whole.
  assert.match(stack.restic(repo, ['check']), /no errors were found/);
  restores(after);
  for (const o of objects) fs.rmSync(o);
  assert.equal((await backUpNow()).state, 'done');
});

test("a fresh box's setup page finds the snapshots with the recovery key; a wrong key is a clear error", async () => {
  const fresh = await Stack.start();
  try {
    const { targets: freshTargets } = await fresh.startBackupAgent();
    fs.cpSync(`${targets}/repo`, `${freshTargets}/disk`, { recursive: true });
    const page = fresh.client();
    const code = fresh.daemon.setupCode();
    const target = { kind: 'directory', path: `${freshTargets}/disk` };
    const badCode = await page.post('/api/v1/setup/restore/snapshots', { code: 'AAAA-BBBB-CCCC-DDDD', target, key });
    assert.equal(badCode.status, 401);
    assert.equal(badCode.json.error, 'invalid_setup_code');

    const wrongKey = 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH';
    let res = await page.post('/api/v1/setup/restore/snapshots', { code, target, key: wrongKey });
    assert.equal(res.status, 202, res.text);
    let answer = await follow(page, res.json.request, '/api/v1/setup/restore/requests/');
    assert.equal(answer.state, 'failed');
    assert.equal(answer.error.code, 'wrong_key');
    assert.match(answer.error.message, /recovery key does not open/);

    res = await page.post('/api/v1/setup/restore/snapshots', { code, target, key: key.toLowerCase().replaceAll('-', ' ') });
    answer = await follow(page, res.json.request, '/api/v1/setup/restore/requests/');
    assert.equal(answer.state, 'done', JSON.stringify(answer.error));
    assert.ok(answer.result.snapshots.length >= 3, JSON.stringify(answer.result));
    const times = answer.result.snapshots.map((s) => s.time);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    assert.match(answer.result.snapshots[0].id, /^[0-9a-f]{64}$/);

    // The fresh box's own manager-side routes do not answer the setup page's requests.
    assert.equal((await page.get(`/api/v1/backups/requests/${answer.id}`)).status, 401);
    res = await page.post('/api/v1/setup/restore/disks', { code });
    answer = await follow(page, res.json.request, '/api/v1/setup/restore/requests/');
    assert.equal(answer.state, 'done');
    assert.ok(Array.isArray(answer.result.disks));
  } finally {
    await fresh.stop();
  }
});
