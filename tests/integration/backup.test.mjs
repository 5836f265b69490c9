// Backups and restore (issue 19) against the real daemon and Debian's restic, through the
// script the appliance runs (systemd/nestbox-backup): the demo setting (entries, media,
// consent history, devices, audit, comments), with a parent writing comments all through the
// backup → a snapshot → the data directory deleted → restore into a fresh one → every table
// equal row for row to the database copy that was backed up (except sessions, and the
// restore's own audit row), every media file there with its hash, every session ended, and
// the parent, signed in again, sees the same feed. A backup taken before an erasure, restored,
// does not bring the child back. Also: a wrong recovery key is a clear error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Stack, repoRoot, daemonBinary, waitFor } from './harness.mjs';
import { seedDemo, DEMO } from '../../scripts/demo-setting.mjs';

const script = path.join(repoRoot, 'systemd/nestbox-backup');
const SAM = DEMO.parents[0];
let stack;
let env;

function settingsDir(name, key) {
  const dir = path.join(stack.root, name);
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'repository'), `${path.join(stack.root, 'repository')}\n`);
  fs.writeFileSync(path.join(dir, 'key'), `${key}\n`, { mode: 0o600 });
  return dir;
}

// Runs nestbox-backup to the end: its exit code and what it wrote.
function backup(args, extra = {}) {
  return new Promise((resolve) => {
    const child = spawn(script, args, { env: { ...process.env, ...env, ...extra } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

// The `restic backup` processes working in `dir` (nestbox-backup runs restic from the data
// directory), found through /proc.
function resticBackupsIn(dir) {
  const wanted = fs.realpathSync(dir);
  const pids = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (path.basename(argv[0]) !== 'restic' || argv[1] !== 'backup') continue;
      if (fs.readlinkSync(`/proc/${pid}/cwd`) === wanted) pids.push(Number(pid));
    } catch { /* the process has ended */ }
  }
  return pids;
}

const sqlite = (db, query) => execFileSync('sqlite3', ['-json', db, query], { encoding: 'utf8' }).trim();
const tables = (db) => JSON.parse(sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
  .map((r) => r.name);

// Every media object under `dir`, by name, with the SHA-256 of its bytes.
function objects(dir) {
  const out = {};
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[e.name] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function signedIn(user) {
  const client = stack.client();
  const res = await client.signIn(user.username, user.password, { tablet: null });
  assert.equal(res.status, 200, res.text);
  return client;
}
const feedOf = async (client) => {
  const res = await client.get('/api/v1/feed?limit=100');
  assert.equal(res.status, 200, res.text);
  return res.json.entries.map((e) => ({ id: e.id, title: e.title, media: (e.media ?? []).map((m) => m.id) }));
};

before(async () => {
  stack = await Stack.start();
  await seedDemo({ httpsPort: stack.httpsPort, ca: stack.ca, clockFile: stack.clockFile,
    setupCode: stack.daemon.setupCode(), state: stack.root, log: () => {} });
  env = {
    NESTBOX_CONFIG: stack.daemon.configPath,
    NESTBOX_BACKUP_DIR: settingsDir('backup', crypto.randomBytes(24).toString('base64url')),
    NESTBOX_DAEMON: daemonBinary,
    RESTIC_CACHE_DIR: path.join(stack.root, 'restic-cache'),
  };
  const init = await backup(['init']);
  assert.equal(init.code, 0, init.out);
});
after(async () => { await stack?.stop(); });

test('a backup taken while a parent writes restores into a fresh data directory, row for row and byte for byte', async (t) => {
  const sam = await signedIn(SAM);
  const feed = await feedOf(sam);
  assert.ok(feed.length >= 10 && feed.some((e) => e.media.length), `the demo feed: ${feed.length} entries`);
  const entry = (await sam.get('/api/v1/feed?limit=100')).json.entries.find((e) => e.child_ids?.length);
  const child = entry.child_ids[0];

  // A parent writes comments all through the backup: none fails, and how long each waited is
  // what the snapshot made writers wait (reported, not asserted: tests/bench measures it).
  let writing = true;
  const waits = [];
  const writer = (async () => {
    let n = 0;
    while (writing) {
      const started = Date.now();
      const res = await sam.post(`/api/v1/entries/${entry.id}/threads/${child}`, { body: `Written during the backup, ${++n}` });
      assert.equal(res.status, 201, res.text);
      waits.push(Date.now() - started);
    }
  })();
  const run = await backup(['run']);
  writing = false;
  await writer;
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /^backup [0-9a-f]{8}: \d+ bytes added, 1 snapshots kept/m);
  t.diagnostic(`${waits.length} comments written during the backup; slowest ${Math.max(...waits)} ms, median ${waits.sort((a, b) => a - b)[waits.length >> 1]} ms`);
  const status = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-status.json'), 'utf8'));
  assert.equal(status.ok, true);
  assert.equal(status.snapshots, 1);
  assert.ok(status.bytes_total > 0);
  const snapshot = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-staging/snapshot.json'), 'utf8'));
  assert.ok(snapshot.bytes > 0 && snapshot.schema_version > 0);

  // What was backed up: the checked database copy, read back from the snapshot (a run leaves no
  // copy of the database in the data directory to outlive an erasure, issue 21), and the media.
  assert.ok(!fs.existsSync(path.join(stack.dataDir, 'backup-staging/nestbox.db')), 'the run left a copy of the database behind');
  const backedUp = path.join(stack.root, 'backed-up.db');
  const dir = env.NESTBOX_BACKUP_DIR;
  fs.writeFileSync(backedUp, execFileSync('restic', ['dump', 'latest', '/backup-staging/nestbox.db'], {
    maxBuffer: 1 << 30,
    env: { ...process.env, RESTIC_CACHE_DIR: env.RESTIC_CACHE_DIR, RESTIC_PASSWORD_FILE: path.join(dir, 'key'),
      RESTIC_REPOSITORY: fs.readFileSync(path.join(dir, 'repository'), 'utf8').trim() } }));
  const media = objects(path.join(stack.dataDir, 'media/objects'));
  assert.ok(Object.keys(media).length > 5);

  // The SD card dies: the box's data is gone. A fresh data directory, from the backup.
  await stack.daemon.stop();
  fs.rmSync(stack.dataDir, { recursive: true, force: true });
  const restore = await backup(['restore', 'latest']);
  assert.equal(restore.code, 0, restore.out);

  const restored = path.join(stack.dataDir, 'nestbox.db');
  assert.deepEqual(tables(restored), tables(backedUp));
  for (const table of tables(backedUp)) {
    if (table === 'sessions') continue;
    const where = table === 'audit_log' ? "WHERE event != 'NBX_BACKUP_RESTORED'" : '';
    assert.equal(sqlite(restored, `SELECT * FROM ${table} ${where} ORDER BY rowid`), sqlite(backedUp, `SELECT * FROM ${table} ORDER BY rowid`),
      `table ${table}`);
  }
  assert.equal(sqlite(restored, "SELECT count(*) AS n FROM audit_log WHERE event = 'NBX_BACKUP_RESTORED'"), '[{"n":1}]');
  assert.equal(sqlite(restored, 'SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL'), '[{"n":0}]');
  assert.deepEqual(objects(path.join(stack.dataDir, 'media/objects')), media);
  for (const [name, hash] of Object.entries(media)) assert.equal(name, hash);

  // The box runs on the restored data: the old session is over; signed in again, the same feed.
  await stack.daemon.start();
  assert.equal((await sam.get('/api/v1/auth/session')).status, 401);
  assert.deepEqual(await feedOf(await signedIn(SAM)), feed);
});

test('a backup killed mid-way (kill -9) leaves the repository sound, and the next run succeeds', async () => {
  const before = JSON.parse((await backup(['snapshots'])).out).map((snap) => snap.short_id);
  const run = backup(['run']);
  // Killed once restic is writing (or as soon as it starts, on a fast machine). Only this
  // stack's restic (its working directory is this data directory): a pattern kill also hit
  // the boot test's restic, running beside this test in its container.
  let killed = false;
  for (let i = 0; i < 400 && !killed; ++i) {
    for (const pid of resticBackupsIn(stack.dataDir)) {
      try { process.kill(pid, 'SIGKILL'); killed = true; } catch { /* already gone */ }
    }
    if (!killed) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(killed, 'restic was never seen running');
  assert.notEqual((await run).code, 0);
  assert.equal(JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-status.json'), 'utf8')).ok, false);
  const check = await backup(['check', '--subset', '100']);
  assert.equal(check.code, 0, check.out);
  const again = await backup(['run']);
  assert.equal(again.code, 0, again.out);
  // A new snapshot; the retention policy keeps one a day, so it replaces today's earlier one.
  const after = JSON.parse((await backup(['snapshots'])).out).map((snap) => snap.short_id);
  const made = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-status.json'), 'utf8')).snapshot;
  assert.ok(after.some((id) => made.startsWith(id)) && !before.some((id) => made.startsWith(id)), `${before} → ${after} (${made})`);
});

test('the monthly test restore brings back the latest database and a sample of its media as they were backed up', async () => {
  const restored = await backup(['test-restore', '--sample', '10']);
  assert.equal(restored.code, 0, restored.out);
  assert.match(restored.out, /the database and 10 media files are as backed up/);
  const result = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-check.json'), 'utf8'));
  assert.deepEqual([result.kind, result.ok, result.sample], ['test_restore', true, 10]);
});

// Issue 21: the erasure ledger is the box's own, carried into the restored data directory.
test('restoring a backup taken before an erasure does not bring the child back: the ledger erases them again', async () => {
  const beth = await signedIn(DEMO.manager);
  const child = (await beth.get('/api/v1/children')).json.children.at(-1);
  const run = await backup(['run']);
  assert.equal(run.code, 0, run.out);
  const erased = await beth.post(`/api/v1/children/${child.id}/erase`,
    { password: DEMO.manager.password, pin: DEMO.manager.pin, confirm: `${child.first_name} ${child.last_name}` });
  assert.equal(erased.status, 200, erased.text);
  await stack.daemon.stop();
  const restore = await backup(['restore', 'latest']);
  assert.equal(restore.code, 0, restore.out);
  assert.match(restore.out, /erased again/);
  assert.equal(stack.sql(`SELECT count(*) FROM children WHERE id = '${child.id}'`), '0');
  assert.equal(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_ERASURE_REAPPLIED'"), '1');
  await stack.daemon.start();
  assert.equal((await (await signedIn(DEMO.manager)).get(`/api/v1/children/${child.id}`)).status, 404);
});

test('a damaged pack file: the check reports it, and the managers’ home says so', async () => {
  const packs = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk : (p) => packs.push(p))(path.join(d, e.name)); };
  walk(path.join(stack.root, 'repository', 'data'));
  const pack = packs.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  const bytes = fs.readFileSync(pack);
  bytes.fill(0x5a, bytes.length >> 1, (bytes.length >> 1) + 64);
  fs.writeFileSync(pack, bytes);
  const check = await backup(['check', '--subset', '100']);
  assert.notEqual(check.code, 0, check.out);
  const result = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-check.json'), 'utf8'));
  assert.equal(result.ok, false);
  assert.ok(result.error.length > 0);
  // nestboxd sees it within a second.
  const manager = stack.client();
  assert.equal((await manager.signIn(DEMO.manager.username, DEMO.manager.password, { tablet: null })).status, 200);
  let summary;
  await waitFor(async () => (summary = (await manager.get('/api/v1/manager/summary')).json.summary).backups.state === 'check_failed',
    'the managers’ summary to show the failed check', 5000, 100);
  assert.equal(summary.backups.state, 'check_failed');
  assert.equal(summary.backups.last_check.ok, false);
  assert.equal(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_BACKUP_CHECK_FAILED'"), '1');
});

test('a wrong recovery key is a clear error, and the status says so', async () => {
  const wrong = settingsDir('wrong-key', 'not the recovery key');
  const run = await backup(['run'], { NESTBOX_BACKUP_DIR: wrong });
  assert.notEqual(run.code, 0);
  assert.match(run.out, /wrong password|no key found/i);
  const status = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-status.json'), 'utf8'));
  assert.equal(status.ok, false);
  assert.equal(status.error_code, 'wrong_key');
  assert.equal(status.error, 'That recovery key does not open these backups. Check it against the recovery sheet.');
});
