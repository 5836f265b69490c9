// Backups (issue 19): a large generated setting (make_setting.py: 5 years of entries) with
// MEDIA_MB of media files, backed up by nestbox-backup (first run, then an incremental one
// after a day's new photos), against `cp -a` and plain `restic backup` of the same files in
// the same run; and how long journal writes wait while the database copy is taken, against
// the same writes with no backup running.
//   node tests/bench/backup_bench.mjs            (MEDIA_MB=2048 by default; tests/bench/run)
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generatedSetting, repo, parentWrites, showWrites } from './bench_stack.mjs';

const MEDIA_MB = Number(process.env.MEDIA_MB || 2048);
const FILE_MB = 4;
const { root, stack, manager, parent, made } = await generatedSetting('nestbox-backup-bench-');
const objects = path.join(stack.dataDir, 'media/objects');
const addMedia = (mb) => {  // incompressible files named by their SHA-256, as the box stores them
  for (let i = 0; i < mb / FILE_MB; ++i) {
    const bytes = crypto.randomBytes(FILE_MB << 20);
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    fs.mkdirSync(path.join(objects, sha.slice(0, 2)), { recursive: true });
    fs.writeFileSync(path.join(objects, sha.slice(0, 2), sha), bytes);
  }
};
addMedia(MEDIA_MB);
execFileSync('sync');
const dbMb = fs.statSync(path.join(stack.dataDir, 'nestbox.db')).size / 2 ** 20;
console.log(`setting: database ${dbMb.toFixed(0)} MiB, media ${MEDIA_MB} MiB (made in ${made.toFixed(0)} s)`);
await stack.daemon.start();

const settings = path.join(root, 'backup-settings');
fs.mkdirSync(settings, { mode: 0o700 });
fs.writeFileSync(path.join(settings, 'repository'), path.join(root, 'repo') + '\n');
fs.writeFileSync(path.join(settings, 'key'), crypto.randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
const env = { ...process.env, NESTBOX_CONFIG: stack.daemon.configPath, NESTBOX_BACKUP_DIR: settings,
  NESTBOX_DAEMON: process.env.NESTBOX_DAEMON, RESTIC_CACHE_DIR: path.join(root, 'cache') };
const run = (cmd, args, extra = {}, cwd = undefined) => new Promise((resolve, reject) => {
  const started = Date.now();
  const child = spawn(cmd, args, { env: { ...env, ...extra }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  child.on('exit', (code) => (code === 0 ? resolve((Date.now() - started) / 1000) : reject(new Error(`${cmd} ${args.join(' ')}: ${err}`))));
});
const script = path.join(repo, 'systemd/nestbox-backup');
await run(script, ['init']);
const plainRepo = { RESTIC_REPOSITORY: path.join(root, 'plain-repo'), RESTIC_PASSWORD_FILE: path.join(settings, 'key') };
await run('restic', ['init'], plainRepo);

// Journal writes (a parent's comments) with and without a backup running.
const writes = await parentWrites(stack, parent.client, 'bench.parent');
const show = showWrites;

const cpTime = await run('cp', ['-a', stack.dataDir, path.join(root, 'cp-copy')]);
console.log(`${'reference: cp -a of the data directory'.padEnd(44)} ${cpTime.toFixed(1).padStart(6)} s`);
const plainFirst = await run('restic', ['backup', '--quiet', 'media/objects', 'nestbox.db'], plainRepo, stack.dataDir);
console.log(`${'reference: restic backup (first), live files'.padEnd(44)} ${plainFirst.toFixed(1).padStart(6)} s`);
show('no backup running (15 s of writes)', await writes(() => new Promise((r) => setTimeout(() => r(15), 15000))));
show('nestbox-backup run (first)', await writes(() => run(script, ['run'])));
const snapshot = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'backup-staging/snapshot.json'), 'utf8'));
console.log(`database copy (VACUUM INTO + integrity check): ${snapshot.duration_ms} ms for ${(snapshot.bytes / 2 ** 20).toFixed(0)} MiB`);
addMedia(64);  // a day's new photos
const plainAgain = await run('restic', ['backup', '--quiet', 'media/objects', 'nestbox.db'], plainRepo, stack.dataDir);
console.log(`${'reference: restic backup (incremental)'.padEnd(44)} ${plainAgain.toFixed(1).padStart(6)} s`);
show('nestbox-backup run (incremental, +64 MiB)', await writes(() => run(script, ['run'])));
const repoMb = Number(execFileSync('du', ['-sm', path.join(root, 'repo')], { encoding: 'utf8' }).split('\t')[0]);
console.log(`repository: ${repoMb} MiB`);
await stack.stop();
fs.rmSync(root, { recursive: true, force: true });
