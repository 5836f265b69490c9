// The appliance's D-Bus interface against the real daemon on a private bus (no policy file
// needed there; the installed one is systemd/dbus/org.nestbox.Appliance1.conf): Status(),
// Lockdown(s) from busctl and from nestboxctl, and the LockdownChanged signal — also when the
// lockdown is lifted in the web API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot, startSetUpStack, waitFor } from './harness.mjs';

let bus, address, stack, manager, monitor, signals = '';
const busctl = (...args) => execFileSync('busctl', [`--address=${address}`, ...args], { encoding: 'utf8' });
const call = (...args) => busctl('call', 'org.nestbox.Appliance1', '/org/nestbox/Appliance1', 'org.nestbox.Appliance1', ...args);

before(async () => {
  bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  address = await new Promise((resolve) => bus.stdout.once('data', (d) => resolve(String(d).trim())));
  process.env.DBUS_SYSTEM_BUS_ADDRESS = address;  // the daemon the harness starts inherits it
  ({ stack, manager } = await startSetUpStack());
  assert.equal((await manager.post('/api/v1/me/pin', { password: 'Correct horse battery 9', pin: '4826' })).status, 200);
  monitor = spawn('dbus-monitor', ['--address', address, "type='signal',interface='org.nestbox.Appliance1'"]);
  monitor.stdout.on('data', (d) => { signals += d; });
  await stack.daemon.waitForLog(/NBX_DBUS_READY/);
  assert.match(stack.daemon.stderr, /NBX_DBUS_READY/);
});
after(async () => {
  monitor?.kill();
  await stack?.stop();
  bus?.kill();
  delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
});

test('Status and Lockdown over D-Bus, and the signal', async () => {
  assert.equal(call('Status').trim(), 'bs false ""');
  assert.throws(() => call('Lockdown', 's', ''), /say why|Say why/i);
  call('Lockdown', 's', 'Button pressed by the office door');
  assert.match(call('Status'), /^bs true "\d{4}-\d\d-\d\dT/);
  assert.equal((await manager.get('/api/v1/children')).status, 503);
  await waitFor(() => /LockdownChanged[\s\S]*boolean true/.test(signals), 'LockdownChanged(true)');

  // Lifted in the web API: the signal says so too.
  const lifted = await stack.client().post('/api/v1/lockdown/lift', { username: 'manager', password: 'Correct horse battery 9',
    pin: '4826', fault: 'Door button pressed by a visitor', rectification: 'Nothing was exposed; button covered' });
  assert.equal(lifted.status, 200, lifted.text);
  await waitFor(() => /boolean false/.test(signals), 'LockdownChanged(false)');
  const incidents = await stack.client().get('/api/v1/lockdown');
  assert.equal(incidents.json.engaged, false);
});

test('nestboxctl locks down through the running daemon', async () => {
  const out = execFileSync(path.join(repoRoot, 'systemd/nestboxctl'), ['lockdown', '--reason', 'Unknown device seen'], {
    encoding: 'utf8', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address, NESTBOX_CONFIG: stack.daemon.configPath,
      PATH: `${path.dirname(process.env.NESTBOX_DAEMON || '')}:${process.env.PATH}` } });
  assert.match(out, /through the running nestboxd/);
  assert.match(call('Status'), /^bs true/);
});
