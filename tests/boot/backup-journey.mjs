// Backups on an installed box, through its API as the manager and the setup page use it:
//
//   node backup-journey.mjs backup  TARGET KEY_OUT   the manager sets up backups to TARGET ("usb":
//        the one USB disk, found and prepared with its name typed; or a folder), types the key
//        back, backs up now; the key is written to KEY_OUT (as a manager keeps the sheet)
//   node backup-journey.mjs restore TARGET KEY_FILE CODE OLD_CA   on a box with a new, empty
//        card: the setup page's "Restore from a backup" with the setup code CODE lists the
//        snapshots with the key, restores the newest, and the box comes back as it was (its CA
//        is the backed-up one again, OLD_CA); the manager signs in with the old password
//
// JOURNEY_CA and JOURNEY_PORT: the CA to trust now and the HTTPS port (tests/image/image-test
// from outside the QEMU guest; tests/boot/boot-test inside the container's network).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Client, MANAGER_PASSWORD } from '../integration/harness.mjs';

const [mode, targetArg, keyPath, code, oldCa] = process.argv.slice(2);
const env = process.env;
const box = {
  httpsPort: Number(env.JOURNEY_PORT ?? 443),
  httpPort: 80,
  ca: fs.readFileSync(env.JOURNEY_CA),
  client() { return new Client(this); },
  async tablet() { return null; },
};
const target = targetArg === 'usb' ? { kind: 'usb' } : { kind: 'directory', path: targetArg };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls an agent request until it is answered; network errors are waited out (a restore
// restarts the daemon).
async function follow(client, request, base, minutes = 10) {
  const deadline = Date.now() + minutes * 60000;
  let last = request;
  while (Date.now() < deadline) {
    await sleep(1000);
    try {
      const res = await client.get(base + request.id);
      if (res.status === 200) {
        last = res.json.request;
        if (last.state === 'done' || last.state === 'failed') return last;
      }
    } catch { /* the box is restarting */ }
  }
  throw new Error(`no answer to ${request.op} in ${minutes} minutes (last: ${JSON.stringify(last)})`);
}

if (mode === 'backup') {
  const manager = box.client();
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD, { tablet: null })).status, 200);
  const managerBase = '/api/v1/backups/requests/';
  if (target.kind === 'usb') {
    let res = await manager.post('/api/v1/backups/disks', {});
    assert.equal(res.status, 202, res.text);
    const listed = await follow(manager, res.json.request, managerBase);
    assert.equal(listed.state, 'done', JSON.stringify(listed.error));
    assert.equal(listed.result.disks.length, 1, `one USB disk, not the boot disk: ${JSON.stringify(listed.result.disks)}`);
    const disk = listed.result.disks[0];
    res = await manager.post('/api/v1/backups/disks/prepare', { device: disk.device, confirm: disk.model });
    assert.equal(res.status, 400, 'a confirmation without the size is refused');
    assert.equal(res.json.error, 'confirm_mismatch');
    res = await manager.post('/api/v1/backups/disks/prepare', { device: disk.device, confirm: disk.confirm });
    assert.equal(res.status, 202, res.text);
    const prepared = await follow(manager, res.json.request, managerBase);
    assert.equal(prepared.state, 'done', JSON.stringify(prepared.error));
    console.log(`backup journey: USB disk ${disk.device} "${disk.confirm}" prepared after its name was typed`);
  }
  let res = await manager.post('/api/v1/backups/setup', { target, time: '02:00' });
  assert.equal(res.status, 201, res.text);
  const { setup } = res.json;
  const groups = setup.key.split('-');
  res = await manager.post('/api/v1/backups/setup/confirm', { id: setup.id, typed: setup.confirm_groups.map((g) => groups[g - 1]).join(' ') });
  assert.equal(res.status, 202, res.text);
  const tested = await follow(manager, res.json.request, managerBase);
  assert.equal(tested.state, 'done', JSON.stringify(tested.error));
  assert.equal(tested.result.initialised, true);
  res = await manager.post('/api/v1/backups/run', {});
  assert.equal(res.status, 202, res.text);
  const run = await follow(manager, res.json.request, managerBase, 20);
  assert.equal(run.state, 'done', JSON.stringify(run.error));
  let status;
  for (let i = 0; i < 30; ++i) {
    status = (await manager.get('/api/v1/backups')).json.backups;
    if (status.state === 'ok') break;
    await sleep(1000);
  }
  assert.equal(status.state, 'ok', JSON.stringify(status));
  fs.writeFileSync(keyPath, `${setup.key}\n`, { mode: 0o600 });
  console.log(`backup journey: set up (${target.kind}), key typed back, backed up: ${status.last_good.bytes_total} bytes, ` +
    `${status.last_good.duration_s} s, ${status.last_good.snapshots} snapshot(s); next ${status.next_at}`);
} else if (mode === 'restore') {
  const key = fs.readFileSync(keyPath, 'utf8').trim();
  const page = box.client();
  const setupBase = '/api/v1/setup/restore/requests/';
  assert.equal((await page.get('/api/v1/setup')).status, 200, 'a new card: the box waits for setup');
  let res = await page.post('/api/v1/setup/restore/snapshots', { code, target, key: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH' });
  assert.equal(res.status, 202, res.text);
  const refused = await follow(page, res.json.request, setupBase);
  assert.equal(refused.state, 'failed');
  assert.equal(refused.error.code, 'wrong_key');
  res = await page.post('/api/v1/setup/restore/snapshots', { code, target, key });
  const listed = await follow(page, res.json.request, setupBase);
  assert.equal(listed.state, 'done', JSON.stringify(listed.error));
  assert.ok(listed.result.snapshots.length >= 1);
  const snapshot = listed.result.snapshots[0];
  res = await page.post('/api/v1/setup/restore', { code, target, key, snapshot: snapshot.id });
  assert.equal(res.status, 202, res.text);
  // The box restarts with the backed-up CA: trust it as well as the new card's.
  box.ca = Buffer.concat([box.ca, fs.readFileSync(oldCa)]);
  const restored = await follow(page, res.json.request, setupBase, 20);
  assert.equal(restored.state, 'done', JSON.stringify(restored.error));
  let setupNow;
  for (let i = 0; i < 60; ++i) {
    try { setupNow = (await box.client().get('/api/v1/setup')).status; } catch { setupNow = 0; }
    if (setupNow === 410 || setupNow === 503) break;
    await sleep(1000);
  }
  // A box backed up during a lockdown comes back locked down: only a manager's password and PIN lift it.
  const lockdown = (await box.client().get('/api/v1/lockdown')).json;
  if (lockdown.engaged) {
    assert.equal(setupNow, 503);
    console.log(`restore journey: a wrong key refused; snapshot ${snapshot.short_id} of ${snapshot.time} restored from the setup page; ` +
      'the box came back locked down, as it was backed up');
    process.exit(0);
  }
  assert.equal(setupNow, 410, 'restored: the box is set up again');
  const manager = box.client();
  assert.equal((await manager.signIn('manager', MANAGER_PASSWORD, { tablet: null })).status, 200, 'the old password works');
  const users = (await manager.get('/api/v1/users')).json.users.map((u) => u.username);
  assert.ok(users.includes('kate'), `kate is back: ${users}`);
  console.log(`restore journey: a wrong key refused; snapshot ${snapshot.short_id} of ${snapshot.time} restored from the setup page; ` +
    `the manager signed in with the old password; ${users.length} accounts back`);
} else {
  throw new Error('usage: backup-journey.mjs backup|restore ...');
}
