// Media benchmarks (issue 5), each next to a reference measured in the same run:
//  1. a 300 MB video uploaded with tus through nginx TLS in 8 MiB chunks, against nginx alone
//     writing the same 8 MiB bodies to disk (WebDAV PUT) through the same TLS;
//  2. nestboxd's peak resident memory while 4 such uploads run at once;
//  3. (bench_thumbnail, C++) thumbnail + display copy of a 12 MP JPEG against vipsthumbnail.
//     node tests/bench/media_bench.mjs            (tests/bench/run builds and runs everything)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
process.env.NESTBOX_DAEMON ||= path.join(repo, 'build/release/daemon/nestboxd');
const { Stack, tusUpload, mediaReady, freePort } = await import('../integration/harness.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-media-bench-'));
fs.chmodSync(root, 0o755);
const CHUNK = 8 << 20;
const SIZE = 300 * 1000 * 1000;

// A real MP4 (so the box accepts and processes it) grown to SIZE with a trailing 'free' box.
function makeVideo(file) {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=25', '-t', '5',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-y', file]);
  const video = fs.readFileSync(file);
  const pad = SIZE - video.length;
  const header = Buffer.alloc(8);
  header.writeUInt32BE(pad, 0);
  header.write('free', 4);
  const fd = fs.openSync(file, 'a');
  fs.writeSync(fd, header);
  const zeros = Buffer.alloc(1 << 20);
  for (let left = pad - 8; left > 0; left -= zeros.length) fs.writeSync(fd, zeros, 0, Math.min(left, zeros.length));
  fs.closeSync(fd);
  return fs.readFileSync(file);
}

function rssOf(pid, field) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))[1]) / 1024;
}

// nginx on its own, with the same TLS key and body settings, storing each PUT body as a file.
async function referenceNginx(stack) {
  const dir = path.join(root, 'reference');
  fs.mkdirSync(path.join(dir, 'files'), { recursive: true });
  fs.chmodSync(dir, 0o777);
  fs.chmodSync(path.join(dir, 'files'), 0o777);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
user ${os.userInfo().username};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen ${port} ssl http2;
    ssl_certificate ${stack.dataDir}/tls/server.crt;
    ssl_certificate_key ${stack.dataDir}/tls/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location /put/ {
      root ${dir}/files;
      dav_methods PUT;
      create_full_put_path on;
      client_max_body_size 16m;
    }
  }
}`);
  const nginx = spawn(process.env.NESTBOX_NGINX || 'nginx', ['-e', path.join(dir, 'startup.log'), '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  return { port, stop: () => nginx.kill('SIGQUIT') };
}

function put(stack, port, target, body) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method: 'PUT', path: target, ca: stack.ca, servername: 'localhost',
      agent: false, headers: { host: 'localhost', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`PUT ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const stack = await Stack.start({ extraConfig: 'threads = 4' });
try {
  const manager = await stack.setUp();
  const kate = (await stack.addUser(manager, 'kate', 'staff', 'green apple orchard')).client;
  const video = makeVideo(path.join(root, 'video.mp4'));
  const reference = await referenceNginx(stack);

  const timed = async (work) => { const t = process.hrtime.bigint(); await work(); return Number(process.hrtime.bigint() - t) / 1e9; };
  // Reference: nginx writes each 8 MiB body to disk.
  const refSeconds = await timed(async () => {
    for (let offset = 0, i = 0; offset < video.length; offset += CHUNK, i++) {
      await put(stack, reference.port, `/put/${i}.bin`, video.subarray(offset, Math.min(offset + CHUNK, video.length)));
    }
  });
  const idle = rssOf(stack.daemon.process.pid, 'VmRSS');
  let id;
  const uploadSeconds = await timed(async () => { id = await tusUpload(kate, video, { chunk: CHUNK }); });
  await mediaReady(kate, id, 120000);
  const mb = video.length / 1e6;
  console.log(`300 MB video, tus 8 MiB chunks through nginx TLS: ${(mb / uploadSeconds).toFixed(0)} MB/s ` +
    `(${uploadSeconds.toFixed(2)} s); nginx alone writing the same bodies: ${(mb / refSeconds).toFixed(0)} MB/s ` +
    `(${refSeconds.toFixed(2)} s); ratio ${(refSeconds / uploadSeconds).toFixed(2)} (target >= 0.7)`);

  // Four uploads at once; peak resident memory of the daemon across the whole run.
  await stack.daemon.stop();
  await stack.daemon.start();
  const fresh = rssOf(stack.daemon.process.pid, 'VmRSS');
  const parallelSeconds = await timed(() => Promise.all([0, 1, 2, 3].map(() => tusUpload(kate, video, { chunk: CHUNK }))));
  const peak = rssOf(stack.daemon.process.pid, 'VmHWM');
  console.log(`4 parallel 300 MB uploads: ${((4 * mb) / parallelSeconds).toFixed(0)} MB/s together; nestboxd peak RSS ` +
    `${peak.toFixed(1)} MiB (target < 64), idle before ${fresh.toFixed(1)} MiB (after one upload earlier: ${idle.toFixed(1)} MiB)`);
  reference.stop();
} finally {
  await stack.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
