// What a family does from home (issue 31), shared by the loopback test (integration/outside)
// and the namespace one (remote/journey): a home photo whose upload the phone loses half way
// and resumes, sent as a home observation; and an export of the child's journal downloaded.
// `parent` is a signed-in Client whose stack reaches the public name (home() or the like).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { mediaReady, waitFor } from './harness.mjs';

export async function resumedHomePhoto(parent, childId, dir) {
  const home = parent.stack;
  const file = path.join(dir, 'home.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=1280x720', '-frames:v', '1', '-q:v', '2', file]);
  const bytes = fs.readFileSync(file);
  const created = await parent.request('POST', '/api/v1/uploads', { headers: { 'tus-resumable': '1.0.0',
    'upload-length': String(bytes.length), 'upload-metadata': `filename ${Buffer.from('home.jpg').toString('base64')}` } });
  assert.equal(created.status, 201, created.text);
  const id = created.headers.location.split('/').pop();
  const half = Math.floor(bytes.length / 2);
  await new Promise((resolve) => {
    const req = https.request({ method: 'PATCH', path: `/api/v1/uploads/${id}`, createConnection: (_, done) => home.connect(done),
      headers: { host: `${home.hostName}:${home.httpsPort}`, cookie: `__Host-nestbox=${parent.cookie}`, 'x-csrf-token': parent.csrf,
        'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream',
        'content-length': String(bytes.length) } });
    req.on('error', resolve);
    req.on('response', resolve);
    // Half the body, then the phone loses its signal.
    req.write(bytes.subarray(0, half), () => req.destroy());
  });
  let offset = -1;
  await waitFor(async () => {
    const head = await parent.request('HEAD', `/api/v1/uploads/${id}`, { headers: { 'tus-resumable': '1.0.0' } });
    offset = Number(head.headers['upload-offset']);
    return head.status === 200 && offset >= 0 && offset <= half;
  }, 'the box to report how much of the upload it kept');
  const rest = await parent.request('PATCH', `/api/v1/uploads/${id}`, { raw: bytes.subarray(offset),
    headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' } });
  assert.equal(rest.status, 204, rest.text);
  const media = await mediaReady(parent, id);
  assert.deepEqual([media.state, media.width, media.height], ['ready', 1280, 720], 'the resumed upload is the whole photo');
  const sent = await parent.post('/api/v1/contributions', { child_id: childId, title: 'Soup at home', observed_on: '2026-11-30', media_ids: [id] });
  assert.equal(sent.status, 201, sent.text);
}

export async function downloadedExport(parent, childId) {
  const asked = await parent.post('/api/v1/exports', { child_id: childId });
  assert.equal(asked.status, 202, asked.text);
  let e;
  await waitFor(async () => {
    e = (await parent.get(`/api/v1/exports/${asked.json.export.id}`)).json.export;
    return ['ready', 'failed'].includes(e.state);
  }, 'the export to be ready', 120000);
  assert.equal(e.state, 'ready');
  const download = await parent.get(e.download);
  assert.equal(download.status, 200);
  assert.equal(download.headers['content-type'], 'application/zip');
  assert.equal(Number(download.headers['content-length']), e.bytes);
}
