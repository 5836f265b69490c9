// Media against the real stack: tus uploads with curl (an unmodified client), types sniffed
// from content, limits, EXIF/XMP and video location stripped (checked with exiftool),
// authorised serving through nginx with Range requests, consent at request time, redaction,
// and crash safety (kill -9 during uploads and during processing, then `nestboxd --check`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import zlib from 'node:zlib';
import { startSetUpStack, twoFamilies, tusUpload, mediaReady, daemonBinary, waitFor } from './harness.mjs';

let stack, manager, kate, parentA, parentB, ids = {}, fixtures;

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

function exif(file) { return JSON.parse(run('exiftool', ['-j', '-G', '-n', file]))[0]; }

// An image's grey values, decoded by ffmpeg: { width, height, at(x, y) }.
function greyPixels(file, width, height) {
  const grey = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 64 << 20 });
  assert.equal(grey.length, width * height, `${file} is ${width}×${height}`);
  return { width, height, at: (x, y) => grey[y * width + x] };
}

// Over an area: the range of one image's values, and Pearson's correlation with another's
// (how much of the first can be read from the second; 0 when either is flat).
function compareArea(before, after, [x0, y0, w, h]) {
  let min = 255, max = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const u = before.at(x, y), v = after.at(x, y);
      min = Math.min(min, v); max = Math.max(max, v);
      sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v;
    }
  }
  const n = w * h, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
  return { min, max, correlation: va < 1e-9 || vb < 1e-9 ? 0 : (sab - sa * sb / n) / Math.sqrt(va * vb) };
}

// curl as a tus client: the box's CA, the session cookie and CSRF token of `client`.
function curl(client, args, { binary = false } = {}) {
  const base = ['-sS', '--cacert', path.join(stack.dataDir, 'tls/ca.crt'), '--resolve', `localhost:${stack.httpsPort}:127.0.0.1`];
  const auth = client ? ['-H', `Cookie: __Host-nestbox=${client.cookie}`, '-H', `X-CSRF-Token: ${client.csrf}`] : [];
  const out = execFileSync('curl', [...base, ...auth, ...args], { encoding: binary ? 'buffer' : 'utf8', maxBuffer: 64 << 20 });
  return out;
}
const url = (p) => `https://localhost:${stack.httpsPort}${p}`;
// How many bytes of an unfinished upload nestboxd has written (0 before the file is there).
const partSize = (id) => {
  try { return fs.statSync(path.join(stack.dataDir, `media/uploads/${id}.part`)).size; } catch { return 0; }
};

// Runs curl with -D - and returns { status, headers, body }.
function curlHead(client, args) {
  const text = curl(client, ['-D', '-', '-o', '/dev/null', ...args]);
  const blocks = text.trim().split(/\r?\n\r?\n/);
  const lines = blocks[blocks.length - 1].split(/\r?\n/);
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status, headers };
}

function crc32(buffer) {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function bombPng(width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;  // bit depth; colour type 0 (grey)
  const rows = zlib.deflateSync(Buffer.alloc((width + 1) * 64));  // the first rows; the rest never come
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header),
    pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0))]);
}

function makeFixtures(dir) {
  const f = (name) => path.join(dir, name);
  // A photo as an iPad writes it: EXIF orientation 6 (rotate 90°), GPS, make and model, XMP.
  run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=1200x800', '-frames:v', '1', '-q:v', '3', f('photo.jpg')]);
  run('exiftool', ['-q', '-overwrite_original', '-Orientation#=6', '-GPSLatitude=51.5007', '-GPSLatitudeRef=N',
    '-GPSLongitude=0.1246', '-GPSLongitudeRef=W', '-Make=Apple', '-Model=iPad Pro', '-XMP-dc:Creator=Kate',
    '-Comment=Taken at the nursery', f('photo.jpg')]);
  // A video with a location, as phones record them.
  run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '3', '-c:v', 'libx264',
    '-pix_fmt', 'yuv420p', '-metadata', 'location=+51.5007-000.1246/', '-metadata', 'make=Apple', f('video.mp4')]);
  // A small PDF newsletter (bytes are kept as they are).
  const pdf = ['%PDF-1.4', '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj', 'trailer << /Root 1 0 R >>', '%%EOF'].join('\n');
  fs.writeFileSync(f('newsletter.pdf'), pdf + '\n' + ' '.repeat(3 << 20));  // ~3 MB
  fs.writeFileSync(f('animation.gif'), Buffer.concat([Buffer.from('GIF89a'), crypto.randomBytes(8000)]));
  fs.writeFileSync(f('script.jpg'), '#!/bin/sh\necho not a photo\n' + ' '.repeat(5000));
  // A decompression bomb: a PNG that says 20000 x 20000 pixels in a few KB.
  fs.writeFileSync(f('bomb.png'), bombPng(20000, 20000));
  return f;
}

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  ({ kate, parentA, parentB, ids } = await twoFamilies(stack, manager));
  fixtures = makeFixtures(fs.mkdtempSync(path.join(stack.root, 'fixtures-')));
});
after(async () => { await stack?.stop(); });

test('curl speaks tus: create, send in pieces, HEAD the offset, 409 on a wrong offset, terminate', async () => {
  const file = fixtures('photo.jpg');
  const bytes = fs.readFileSync(file);
  const created = curlHead(kate, ['-X', 'POST', '-H', 'Tus-Resumable: 1.0.0', '-H', `Upload-Length: ${bytes.length}`, url('/api/v1/uploads')]);
  assert.equal(created.status, 201);
  assert.match(created.headers.location, /^\/api\/v1\/uploads\/[0-9a-f]{32}$/);
  assert.ok(created.headers['upload-expires']);
  const target = url(created.headers.location);
  const half = Math.floor(bytes.length / 2);
  fs.writeFileSync(fixtures('first.part'), bytes.subarray(0, half));
  fs.writeFileSync(fixtures('second.part'), bytes.subarray(half));
  const patch = (offset, part) => curlHead(kate, ['-X', 'PATCH', '-H', 'Tus-Resumable: 1.0.0', '-H', `Upload-Offset: ${offset}`,
    '-H', 'Content-Type: application/offset+octet-stream', '--data-binary', `@${part}`, target]);
  assert.equal(patch(0, fixtures('first.part')).headers['upload-offset'], String(half));
  const head = curlHead(kate, ['-I', '-H', 'Tus-Resumable: 1.0.0', target]);
  assert.equal(head.status, 200);
  assert.equal(head.headers['upload-offset'], String(half));
  assert.equal(head.headers['upload-length'], String(bytes.length));
  assert.equal(head.headers['cache-control'], 'no-store');
  assert.equal(patch(half - 10, fixtures('second.part')).status, 409);
  assert.equal(curlHead(parentA, ['-I', '-H', 'Tus-Resumable: 1.0.0', target]).status, 404);  // not theirs
  assert.equal(curlHead(null, ['-I', '-H', 'Tus-Resumable: 1.0.0', target]).status, 401);
  const done = patch(half, fixtures('second.part'));
  assert.equal(done.status, 204);
  assert.equal(done.headers['upload-offset'], String(bytes.length));
  ids.photo = created.headers.location.split('/').pop();
  assert.equal((await mediaReady(kate, ids.photo)).state, 'ready');

  // Termination: a fresh upload, a piece, then DELETE.
  const other = curlHead(kate, ['-X', 'POST', '-H', 'Tus-Resumable: 1.0.0', '-H', `Upload-Length: ${bytes.length}`, url('/api/v1/uploads')]);
  const otherUrl = url(other.headers.location);
  assert.equal(curlHead(kate, ['-X', 'PATCH', '-H', 'Tus-Resumable: 1.0.0', '-H', 'Upload-Offset: 0', '-H',
    'Content-Type: application/offset+octet-stream', '--data-binary', `@${fixtures('first.part')}`, otherUrl]).status, 204);
  assert.equal(curlHead(kate, ['-X', 'DELETE', '-H', 'Tus-Resumable: 1.0.0', otherUrl]).status, 204);
  assert.equal(curlHead(kate, ['-I', '-H', 'Tus-Resumable: 1.0.0', otherUrl]).status, 404);
  assert.equal(stack.sql('SELECT count(*) FROM uploads'), '0');
});

test('stored and served photos carry no location, device or XMP data; orientation is applied', async () => {
  const before = exif(fixtures('photo.jpg'));
  assert.ok(before['EXIF:GPSLatitude'], 'the fixture has GPS');
  assert.equal(before['EXIF:Make'], 'Apple');
  const out = fixtures('served.jpg');
  fs.writeFileSync(out, curl(kate, [url(`/api/v1/media/${ids.photo}/original`)], { binary: true }));
  for (const file of [out]) {
    const tags = exif(file);
    const leaked = Object.keys(tags).filter((k) => /GPS|Make|Model|XMP|Comment|Creator/i.test(k));
    assert.deepEqual(leaked, [], `${file} carries ${leaked.join(', ')}`);
    assert.ok(!tags['EXIF:Orientation'] || tags['EXIF:Orientation'] === 1);
    assert.equal(tags['File:ImageWidth'], 800);   // rotated: was 1200 x 800 with orientation 6
    assert.equal(tags['File:ImageHeight'], 1200);
  }
  const thumb = fixtures('thumb.jpg');
  fs.writeFileSync(thumb, curl(kate, [url(`/api/v1/media/${ids.photo}/thumbnail`)], { binary: true }));
  const t = exif(thumb);
  assert.ok(Math.max(t['File:ImageWidth'], t['File:ImageHeight']) <= 400);
  assert.deepEqual(Object.keys(t).filter((k) => /GPS|Make|Model/i.test(k)), []);
  // The stored file on disk is the stripped one too.
  const hash = stack.sql(`SELECT sha256 FROM media WHERE id = '${ids.photo}'`);
  assert.deepEqual(Object.keys(exif(path.join(stack.dataDir, 'media/objects', hash.slice(0, 2), hash))).filter((k) => /GPS/.test(k)), []);
});

test('videos are remuxed without their location; nginx serves byte ranges (206) for seeking', async () => {
  assert.match(JSON.stringify(exif(fixtures('video.mp4'))), /GPSCoordinates|Location|51\.5/);
  ids.video = await tusUpload(kate, fs.readFileSync(fixtures('video.mp4')), { chunk: 100000 });
  const media = await mediaReady(kate, ids.video);
  assert.equal(media.state, 'ready');
  assert.equal(media.kind, 'video');
  const out = fixtures('served.mp4');
  fs.writeFileSync(out, curl(kate, [url(`/api/v1/media/${ids.video}/original`)], { binary: true }));
  assert.doesNotMatch(JSON.stringify(exif(out)), /GPSCoordinates|51\.5007|Apple/);
  const probe = JSON.parse(run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', out]));
  assert.equal(probe.streams[0].codec_name, 'h264');  // copied, not re-encoded to something else
  const range = curlHead(kate, ['-r', '0-99', url(`/api/v1/media/${ids.video}/original`)]);
  assert.equal(range.status, 206);
  assert.match(range.headers['content-range'], /^bytes 0-99\/\d+$/);
  assert.equal(range.headers['content-length'], '100');
  assert.equal(range.headers['cache-control'], 'no-store');
  assert.equal(curlHead(kate, [url(`/api/v1/media/${ids.video}/thumbnail`)]).status, 200);  // the poster frame
});

test('types are sniffed from content; limits answer 413 or 422 with a message; nothing is left behind', async () => {
  for (const [name, status] of [['animation.gif', 415], ['script.jpg', 415], ['bomb.png', 422]]) {
    const bytes = fs.readFileSync(fixtures(name));
    await assert.rejects(tusUpload(kate, bytes, { filename: name }), (e) => {
      assert.equal(e.response.status, status, `${name}: ${e.response.text}`);
      assert.ok(e.response.json.message.length > 10);
      return true;
    });
  }
  const huge = curlHead(kate, ['-X', 'POST', '-H', 'Tus-Resumable: 1.0.0', '-H', `Upload-Length: ${5 * 2 ** 30}`, url('/api/v1/uploads')]);
  assert.equal(huge.status, 413);
  assert.equal(stack.sql('SELECT count(*) FROM uploads'), '0');
  assert.equal(fs.readdirSync(path.join(stack.dataDir, 'media/uploads')).length, 0);
  assert.equal(fs.readdirSync(path.join(stack.dataDir, 'media/incoming')).length, 0);
  // A chunk larger than nginx takes is refused there, in the API's error shape.
  fs.writeFileSync(fixtures('big.part'), Buffer.alloc(17 << 20));
  const created = curlHead(kate, ['-X', 'POST', '-H', 'Tus-Resumable: 1.0.0', '-H', `Upload-Length: ${40 << 20}`, url('/api/v1/uploads')]);
  const tooBig = curlHead(kate, ['-X', 'PATCH', '-H', 'Tus-Resumable: 1.0.0', '-H', 'Upload-Offset: 0', '-H',
    'Content-Type: application/offset+octet-stream', '--data-binary', `@${fixtures('big.part')}`, url(created.headers.location)]);
  assert.equal(tooBig.status, 413);
});

test('a full disk refuses uploads with 507 and a message, and managers see it on their home data', async () => {
  // Keep 4 TiB free: more than this machine's disk has, so the box is "full".
  assert.equal((await manager.patch('/api/v1/settings', { storage_reserve_mib: 4 << 20 })).status, 200);
  const uploads = stack.sql('SELECT count(*) FROM uploads');
  try {
    const space = (await manager.get('/api/v1/storage')).json.storage;
    assert.equal(space.state, 'full');
    assert.ok(space.total_bytes > 0 && space.free_bytes > 0 && space.reserve_bytes === 4 * 2 ** 40);
    const refused = await kate.request('POST', '/api/v1/uploads', { headers: { 'tus-resumable': '1.0.0', 'upload-length': '1000' } });
    assert.equal(refused.status, 507);
    assert.equal(refused.json.error, 'storage_full');
    assert.match(refused.json.message, /nearly full/);
    assert.equal(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'NBX_UPLOAD_REFUSED_SPACE'"), '1');
    assert.equal(stack.sql('SELECT count(*) FROM uploads'), uploads);  // nothing half-made
  } finally {
    assert.equal((await manager.patch('/api/v1/settings', { storage_reserve_mib: 0 })).status, 200);
  }
  assert.notEqual((await manager.get('/api/v1/storage')).json.storage.state, 'full');
});

test('media URLs work only with a session, and only for families who may see the item now', async () => {
  const entry = await kate.post('/api/v1/entries', {
    kind: 'observation', title: 'Den building', observed_on: '2026-11-20', child_ids: [ids.A, ids.B],
    media: [{ id: ids.photo, child_ids: [ids.A, ids.B] }, { id: ids.video, child_ids: [ids.A] }],
  });
  assert.equal(entry.status, 201, entry.text);
  const get = (client, id, variant = 'display') => curlHead(client, [url(`/api/v1/media/${id}/${variant}`)]).status;
  assert.equal(get(null, ids.photo), 401);
  assert.equal(get(parentA, ids.photo), 200);
  assert.equal(get(parentB, ids.photo), 200);
  assert.equal(get(parentB, ids.video, 'original'), 404);  // Ben is not in the video
  assert.equal(curlHead(null, [url(`/_nestbox_media/objects/${stack.sql(`SELECT substr(sha256,1,2) || '/' || sha256 FROM media WHERE id = '${ids.photo}'`)}`)]).status, 404);
  // The feed names only the family's own child in each item.
  const feedB = (await parentB.get('/api/v1/feed')).json.entries;
  assert.deepEqual(feedB[0].media.map((m) => m.id), [ids.photo]);
  assert.deepEqual(feedB[0].media[0].child_ids, [ids.B]);
  assert.ok(!JSON.stringify(feedB).includes(ids.A));

  // Ava's family withdraws consent to other journals: Ben's family loses the photo now.
  await manager.request('PUT', `/api/v1/children/${ids.A}/consent`, { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } });
  assert.equal(get(parentB, ids.photo), 404);
  assert.equal(get(parentA, ids.photo), 200);
  // Kate obscures Ava in a redacted copy: that is what Ben's family gets, and the original is gone.
  const originalHash = stack.sql(`SELECT sha256 FROM media WHERE id = '${ids.photo}'`);
  const unredacted = fixtures('unredacted.jpg');
  fs.writeFileSync(unredacted, curl(kate, [url(`/api/v1/media/${ids.photo}/original`)], { binary: true }));
  const red = await kate.post(`/api/v1/media/${ids.photo}/redact`, { regions: [{ x: 0, y: 0, width: 400, height: 600 }], obscured_child_ids: [ids.A] });
  assert.equal(red.status, 200, red.text);
  assert.equal(get(parentB, ids.photo), 200);
  assert.equal(fs.existsSync(path.join(stack.dataDir, 'media/objects', originalHash.slice(0, 2), originalHash)), false);
  const redacted = fixtures('redacted.jpg');
  fs.writeFileSync(redacted, curl(parentB, [url(`/api/v1/media/${ids.photo}/original`)], { binary: true }));
  assert.deepEqual(Object.keys(exif(redacted)).filter((k) => /GPS|Make|Model/.test(k)), []);
  // Inside the area and its margin (10 % of 400 × 600 on each side, clipped at the photo's
  // edge), both copies Ben's family may open are one grey that carries nothing of Ava.
  const display = fixtures('redacted-display.jpg');
  fs.writeFileSync(display, curl(parentB, [url(`/api/v1/media/${ids.photo}/display`)], { binary: true }));
  const before = greyPixels(unredacted, 800, 1200);  // stored upright: the iPad's photo stood
  for (const copy of [redacted, display]) {
    const area = compareArea(before, greyPixels(copy, 800, 1200), [0, 0, 440, 660]);
    assert.ok(area.min >= 127 && area.max <= 129, `${path.basename(copy)}: one grey over the area and its margin (${area.min}–${area.max})`);
    assert.ok(Math.abs(area.correlation) < 0.05, `${path.basename(copy)}: nothing of the original (correlation ${area.correlation})`);
    // Beyond the margin the picture is still the picture.
    assert.ok(compareArea(before, greyPixels(copy, 800, 1200), [460, 0, 340, 1200]).correlation > 0.9);
  }

  // A copy made before issue 32 (pixelated, its areas unknown) goes to no family: the managers'
  // to-do counts it and lists it, and once Kate marks it again Ben's family has it back.
  stack.sql(`UPDATE media SET redaction = 'mosaic', redaction_regions = '[]' WHERE id = '${ids.photo}'`);
  assert.equal(get(parentB, ids.photo), 404);
  assert.equal(get(kate, ids.photo), 200);
  assert.equal((await manager.get('/api/v1/manager/summary')).json.summary.photos_to_mark_again, 1);
  const listed = (await manager.get('/api/v1/redactions/to-mark-again')).json.media;
  assert.deepEqual(listed.map((m) => [m.media_id, m.entry_title]), [[ids.photo, 'Den building']]);
  assert.equal((await kate.post(`/api/v1/media/${ids.photo}/redact`, { regions: [{ x: 0, y: 0, width: 400, height: 600 }], obscured_child_ids: [ids.A] })).status, 200);
  assert.equal(get(parentB, ids.photo), 200);
  assert.deepEqual((await manager.get('/api/v1/redactions/to-mark-again')).json.media, []);
});

test('an upload resumes after a cut connection and after expiry it is gone', async () => {
  const bytes = fs.readFileSync(fixtures('newsletter.pdf'));
  const created = await kate.request('POST', '/api/v1/uploads', { headers: { 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length) } });
  const id = created.headers.location.split('/').pop();
  // Send a third of the body, then cut the connection once nestboxd has written some of it.
  const req = https.request({ host: '127.0.0.1', port: stack.httpsPort, method: 'PATCH', path: `/api/v1/uploads/${id}`,
    ca: stack.ca, servername: 'localhost', agent: false,
    headers: { host: `localhost:${stack.httpsPort}`, cookie: `__Host-nestbox=${kate.cookie}`, 'x-csrf-token': kate.csrf,
               'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream',
               'content-length': String(bytes.length) } });
  req.on('error', () => {});
  req.write(bytes.subarray(0, Math.floor(bytes.length / 3)));
  await waitFor(() => partSize(id) > 0, 'the first bytes of the upload to reach nestboxd');
  req.destroy();
  // nestboxd keeps what arrived once it sees the connection gone.
  let offset = 0;
  await waitFor(async () => {
    offset = Number((await kate.request('HEAD', `/api/v1/uploads/${id}`, { headers: { 'tus-resumable': '1.0.0' } })).headers['upload-offset']);
    return offset > 0;
  }, 'the cut upload to keep what arrived', 15000, 50);
  assert.ok(offset > 0 && offset < bytes.length, `resumes from ${offset}`);
  const rest = await kate.request('PATCH', `/api/v1/uploads/${id}`, { raw: bytes.subarray(offset),
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' } });
  assert.equal(rest.status, 204);
  await mediaReady(kate, id);
  const served = curl(kate, [url(`/api/v1/media/${id}/original`)], { binary: true });
  assert.ok(served.equals(bytes), 'every byte arrived once');

  // Expiry: an upload left for a day is gone (410), and so are its bytes.
  const stale = await kate.request('POST', '/api/v1/uploads', { headers: { 'tus-resumable': '1.0.0', 'upload-length': '1000' } });
  const staleId = stale.headers.location.split('/').pop();
  stack.advanceClock(86400);
  assert.equal((await kate.signIn('kate', 'green apple orchard')).status, 200);  // a day outlives any session
  assert.equal((await kate.request('HEAD', `/api/v1/uploads/${staleId}`, { headers: { 'tus-resumable': '1.0.0' } })).status, 410);
  assert.equal(fs.existsSync(path.join(stack.dataDir, `media/uploads/${staleId}.part`)), false);
  stack.advanceClock(-86400);
  assert.equal((await kate.signIn('kate', 'green apple orchard')).status, 200);
});

test('kill -9 during an upload and during processing: every acknowledged byte is kept; the check finds nothing wrong', async () => {
  const bytes = fs.readFileSync(fixtures('newsletter.pdf'));
  const chunk = 1 << 20;
  const created = await kate.request('POST', '/api/v1/uploads', { headers: { 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length) } });
  const id = created.headers.location.split('/').pop();
  const send = (offset, end) => kate.request('PATCH', `/api/v1/uploads/${id}`, { raw: bytes.subarray(offset, end),
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' } });
  assert.equal((await send(0, chunk)).status, 204);  // acknowledged
  // A second piece in flight when the daemon dies.
  const inFlight = https.request({ host: '127.0.0.1', port: stack.httpsPort, method: 'PATCH', path: `/api/v1/uploads/${id}`,
    ca: stack.ca, servername: 'localhost', agent: false,
    headers: { host: `localhost:${stack.httpsPort}`, cookie: `__Host-nestbox=${kate.cookie}`, 'x-csrf-token': kate.csrf,
               'tus-resumable': '1.0.0', 'upload-offset': String(chunk), 'content-type': 'application/offset+octet-stream',
               'content-length': String(chunk) } });
  inFlight.on('error', () => {});
  inFlight.write(bytes.subarray(chunk, chunk + chunk / 2));
  // Killed once some of the unacknowledged piece is in the file, which a restart cuts back.
  await waitFor(() => partSize(id) > chunk, 'part of the second piece to reach nestboxd');
  await stack.daemon.stop('SIGKILL');
  inFlight.destroy();
  await stack.daemon.start();
  const head = await kate.request('HEAD', `/api/v1/uploads/${id}`, { headers: { 'tus-resumable': '1.0.0' } });
  const offset = Number(head.headers['upload-offset']);
  assert.equal(offset, chunk, 'the acknowledged piece is there, nothing unacknowledged');
  assert.equal(fs.statSync(path.join(stack.dataDir, `media/uploads/${id}.part`)).size, chunk);
  for (let o = offset; o < bytes.length; o += chunk) assert.equal((await send(o, Math.min(o + chunk, bytes.length))).status, 204);
  await mediaReady(kate, id);
  assert.ok(curl(kate, [url(`/api/v1/media/${id}/original`)], { binary: true }).equals(bytes));

  // During processing: a large photo, killed right after its last byte is acknowledged.
  run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=6000x4000', '-frames:v', '1', '-q:v', '2', fixtures('large.jpg')]);
  const large = fs.readFileSync(fixtures('large.jpg'));
  const photoId = await tusUpload(kate, large, { chunk: 8 << 20 });
  assert.equal(stack.sql(`SELECT state FROM media WHERE id = '${photoId}'`), 'processing', 'killed while processing');
  await stack.daemon.stop('SIGKILL');
  await stack.daemon.start();
  assert.equal((await mediaReady(kate, photoId)).state, 'ready');
  await stack.daemon.stop();
  const check = spawn(daemonBinary, ['--config', stack.daemon.configPath, '--check'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  check.stdout.on('data', (d) => { output += d; });
  const code = await new Promise((r) => check.once('exit', r));
  assert.equal(code, 0, output);
  assert.match(output, /media check: consistent/);
  await stack.daemon.start();
});
