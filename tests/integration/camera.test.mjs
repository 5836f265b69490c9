// The box camera against the real stack (issue 18): with libcamera, as on every machine
// without a camera, the box says "no camera" cleanly; with the test camera, a frame larger
// than nginx's proxy buffers reaches the tablet whole, never cached and never written to
// nginx's temporary files (a frame is never stored), and a still becomes a photo.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startSetUpStack, mediaReady, daemonBinary, waitFor } from './harness.mjs';

const stacks = [];
const dirs = [];
after(async () => {
  for (const s of stacks) await s.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function staffOnTablet(config) {
  const { stack, manager } = await startSetUpStack({ extraConfig: config });
  stacks.push(stack);
  const kate = await stack.addUser(manager, 'kate', 'staff', 'green apple orchard');
  return { stack, manager, kate: kate.client };
}

test('with libcamera and no camera attached, the box starts, says so in its log and tells staff there is no camera', async (t) => {
  const libcamera = fs.readFileSync(daemonBinary).includes('libcamera.so');
  if (!libcamera) return t.skip('this nestboxd was built without libcamera (NESTBOX_LIBCAMERA=OFF)');
  if (fs.readdirSync('/dev').some((name) => name.startsWith('video'))) return t.skip('this machine has a camera');
  const { stack, kate } = await staffOnTablet('camera = libcamera\n');
  assert.match(stack.daemon.stderr, /NBX_CAMERA_SOURCE_READY source=libcamera cameras=0/);
  assert.doesNotMatch(stack.daemon.stderr, /NBX_CAMERA_SOURCE_UNAVAILABLE/);
  // libcamera's own lines ("[0:00:00.1] [123]  INFO Camera ...") stay out of the journal.
  assert.doesNotMatch(stack.daemon.stderr, /^\[/m);
  const status = await kate.get('/api/v1/camera');
  assert.equal(status.status, 200, status.text);
  assert.equal(status.json.camera.source, 'libcamera');
  assert.deepEqual(status.json.camera.cameras, []);
  const open = await kate.post('/api/v1/camera/session', {});
  assert.equal(open.status, 409, open.text);
  assert.equal(open.json.error, 'no_camera');
  assert.match(open.json.message, /^No camera is connected to the box/);
});

test('a frame larger than the proxy buffers passes through nginx whole, uncached and unstored; a still becomes a photo', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-camera-it-'));
  dirs.push(dir);
  const frame = path.join(dir, 'noise.jpg');
  // Noise does not compress: a 4K frame of it is several MB, far above nginx's 144 KiB of
  // proxy buffers (a real camera's frames are smaller; this makes the point certain).
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i',
    'nullsrc=s=3840x2160,geq=random(1)*255:random(1)*255:random(1)*255', '-frames:v', '1', '-q:v', '1', frame]);
  const size = fs.statSync(frame).size;
  assert.ok(size > 4 * 1024 * 1024, `the frame is ${size} bytes`);
  const { stack, manager, kate } = await staffOnTablet(`camera = files:${dir}\n`);
  assert.equal((await kate.post('/api/v1/camera/session', {})).status, 201);
  let res;
  await waitFor(async () => (res = await kate.get('/api/v1/camera/preview')).status === 200, 'the camera’s first frame', 15000, 50);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], 'image/jpeg');
  assert.equal(Number(res.headers['content-length']), size);
  assert.equal(res.headers['cache-control'], 'no-store');
  // A tablet on a slow link: the answer is read only after a pause. nginx then holds what its
  // buffers take and reads on from nestboxd as the tablet reads; it never spills to a file.
  const slow = await new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: stack.httpsPort, path: '/api/v1/camera/preview', ca: stack.ca,
      servername: 'localhost', agent: false, headers: { host: `localhost:${stack.httpsPort}`, cookie: `__Host-nestbox=${kate.cookie}` } }, (r) => {
      r.pause();
      setTimeout(() => {
        let bytes = 0;
        r.on('data', (d) => { bytes += d.length; });
        r.on('end', () => resolve({ status: r.statusCode, bytes }));
        r.resume();
      }, 1000);
    });
    req.on('error', reject);
    req.end();
  });
  assert.deepEqual(slow, { status: 200, bytes: size });
  // nginx warns whenever it writes an upstream answer to a temporary file.
  const nginxLog = fs.readFileSync(path.join(stack.root, 'nginx', 'nginx-error.log'), 'utf8');
  assert.doesNotMatch(nginxLog, /buffered to a temporary file/);


  const still = await kate.post('/api/v1/camera/capture', {});
  assert.equal(still.status, 201, still.text);
  const media = await mediaReady(kate, still.json.media.id);
  assert.equal(media.state, 'ready');
  assert.equal(media.kind, 'image');
  assert.equal(media.width, 3840);
  // The audit log says who took it (issue 32): every row about the photo names Kate, never an id.
  const rows = (await manager.get('/api/v1/audit?limit=200')).json.entries.filter((r) => r.target_id === media.id);
  assert.deepEqual(rows.map((r) => r.event).sort(), ['NBX_CAMERA_STILL_CAPTURED', 'NBX_MEDIA_RECEIVED']);
  for (const row of rows) {
    assert.equal(row.actor_name, 'kate', `${row.event} names who took it`);
    assert.equal(row.actor_display_name, 'Name kate');
    assert.equal(row.target_name, 'a photo not yet in an entry');
  }
  assert.equal((await kate.delete('/api/v1/camera/session')).status, 204);
});
