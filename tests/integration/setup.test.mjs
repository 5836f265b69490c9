import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Stack, MANAGER_PASSWORD } from './harness.mjs';

let stack;
before(async () => { stack = await Stack.start(); });
after(async () => { await stack.stop(); });

test('first start prints a one-time code and writes it to a file only the daemon can read', () => {
  const code = stack.daemon.setupCode();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  const file = path.join(stack.dataDir, 'setup-code.txt');
  assert.ok(fs.readFileSync(file, 'utf8').includes(code));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
});

test('setup is refused without the right code and writes nothing', async () => {
  const client = stack.client();
  assert.equal((await client.get('/api/v1/setup')).status, 200);
  const body = {
    code: 'AAAA-BBBB-CCCC-DDDD', setting_name: 'Rainbow Nursery', framework: 'eyfs',
    username: 'mallory', display_name: 'Mallory', password: MANAGER_PASSWORD,
  };
  const res = await client.post('/api/v1/setup', body);
  assert.equal(res.status, 401);
  assert.equal(res.json.error, 'invalid_setup_code');
  assert.match(res.json.message, /setup code is not right/);
  const noCode = await client.post('/api/v1/setup', { ...body, code: undefined });
  assert.equal(noCode.status, 400);
  assert.equal(noCode.json.field, 'code');
  assert.equal(stack.sql('SELECT count(*) FROM users'), '0');
  assert.equal(stack.sql('SELECT count(*) FROM setting'), '0');
});

test('setup works once with the code, signs the manager in, and is then gone', async () => {
  const client = stack.client();
  const res = await client.post('/api/v1/setup', {
    code: stack.daemon.setupCode().toLowerCase(), setting_name: 'Rainbow Nursery', framework: 'cfe',
    username: 'beth', display_name: 'Beth McNerlin', password: MANAGER_PASSWORD, pin: '4071',
  });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.user.role, 'manager');
  assert.equal(res.json.setting.framework, 'cfe');
  assert.ok(client.cookie);
  assert.equal((await client.get('/api/v1/auth/session')).json.user.username, 'beth');
  assert.equal(fs.existsSync(path.join(stack.dataDir, 'setup-code.txt')), false);

  const again = await stack.client().post('/api/v1/setup', {
    code: stack.daemon.setupCode(), setting_name: 'Taken over', framework: 'eyfs',
    username: 'mallory', display_name: 'Mallory', password: MANAGER_PASSWORD,
  });
  assert.equal(again.status, 410);
  assert.equal((await stack.client().get('/api/v1/setup')).status, 410);
  assert.equal(stack.sql("SELECT count(*) FROM users WHERE role = 'manager'"), '1');
});

test('after a restart setup stays gone and no new code is printed', async () => {
  await stack.daemon.stop();
  await stack.daemon.start();
  assert.equal(stack.daemon.setupCode(), null);
  assert.equal((await stack.client().get('/api/v1/setup')).status, 410);
  assert.equal((await stack.client().signIn('beth', MANAGER_PASSWORD)).status, 200);
});
