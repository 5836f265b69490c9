// A first morning on the installed box, run by tests/boot/boot-test inside the booted
// container's network (nsenter --net): setup with the code the box wrote, a member of staff
// on a registered tablet uploads a photo, the hardened daemon's media worker makes its
// previews, and nginx serves the bytes from the media folder (through its ACL) after the
// daemon authorised them.   node journey.mjs ROOTFS PHOTO.jpg
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Tablet, tusUpload, mediaReady, MANAGER_PASSWORD } from '../integration/harness.mjs';

// The image test (tests/image/image-test) runs it from outside a QEMU guest instead: the CA,
// the setup code and the forwarded port come from JOURNEY_CA, JOURNEY_CODE and JOURNEY_PORT,
// and the box's clock is confirmed as this machine's (the guest has no time server).
const [root, photo] = process.argv.slice(2);
const env = process.env;
const box = {
  httpsPort: Number(env.JOURNEY_PORT ?? 443),
  httpPort: 80,
  ca: fs.readFileSync(env.JOURNEY_CA ?? path.join(root, 'var/lib/nestbox/tls/ca.crt')),
  client() { return new Client(this); },
  async tablet() { return this.defaultTablet ?? null; },
};

const manager = box.client();
const code = (env.JOURNEY_CODE ?? fs.readFileSync(path.join(root, 'var/lib/nestbox/setup-code.txt'), 'utf8'))
  .match(/[0-9A-Z]{4}(-[0-9A-Z]{4}){3}/)[0];
const before = await manager.get('/api/v1/setup');
assert.equal(before.status, 200, before.text);
const clock = before.json.clock.synchronised ? undefined : { confirmed_now: Math.floor(Date.now() / 1000) };
const setup = await manager.post('/api/v1/setup', {
  code, setting_name: 'Boot Test Nursery', framework: 'eyfs', username: 'manager', display_name: 'Beth McNerlin',
  password: MANAGER_PASSWORD, ...(clock ? { clock } : {}),
});
assert.equal(setup.status, 201, setup.text);
box.defaultTablet = await Tablet.enrol(box, manager, 'Blue room iPad');

const created = await manager.post('/api/v1/users', { username: 'kate', display_name: 'Kate', role: 'staff' });
assert.equal(created.status, 201, created.text);
const redeemed = await box.client().post('/api/v1/auth/redeem-code', {
  username: 'kate', code: created.json.one_time_code.code, new_password: 'green apple orchard' });
assert.equal(redeemed.status, 200, redeemed.text);
const kate = box.client();
const signedIn = await kate.signIn('kate', 'green apple orchard');
assert.equal(signedIn.status, 200, signedIn.text);

const bytes = fs.readFileSync(photo);
const id = await tusUpload(kate, bytes, { chunk: 64 << 10, filename: 'garden.jpg' });
const media = await mediaReady(kate, id, 60000);
assert.equal(media.state, 'ready', JSON.stringify(media));

const original = await kate.request('GET', `/api/v1/media/${id}/original`);
assert.equal(original.status, 200);
assert.match(original.headers['content-type'], /^image\/jpeg/);
const thumbnail = await kate.request('GET', `/api/v1/media/${id}/thumbnail`);
assert.equal(thumbnail.status, 200);
assert.match(thumbnail.headers['content-type'], /^image\//);
// Nobody else gets the bytes.
assert.equal((await box.client().request('GET', `/api/v1/media/${id}/original`)).status, 401);
console.log(`journey: setup${clock ? ' (clock confirmed as this machine\'s)' : ''}, tablet enrolled, ${bytes.length}-byte photo uploaded and processed (${media.state}); ` +
  'original and thumbnail served by nginx');
