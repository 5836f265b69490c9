// Journal exports (issue 20): one child's 5 years of entries with MEDIA_MB of media (a
// generated setting, make_setting.py), exported by the child's parent through the API — the
// time from asking to a ready zip, the peak memory of nestboxd and of the media process that
// draws the PDF — against `zip -0` of the same media files in the same run.
//   node tests/bench/export_bench.mjs            (MEDIA_MB=2048 by default; tests/bench/run)
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { benchSetup, repo } from './bench_stack.mjs';

const MEDIA_MB = Number(process.env.MEDIA_MB || 2048);
const { root, Stack } = await benchSetup('nestbox-export-bench-');
const stack = await Stack.start();
const manager = await stack.setUp();
const parent = await stack.addUser(manager, 'bench.parent', 'parent', 'blue whale singing');
await stack.daemon.stop();
const t0 = Date.now();
const map = path.join(root, 'map.json');
execFileSync('python3', [path.join(repo, 'tests/bench/make_setting.py'), path.join(stack.dataDir, 'nestbox.db'), '--parent', parent.id,
  '--children', '60', '--entries', '30000', '--media', '80000', '--comments', '60000', '--map', map]);
const child = JSON.parse(fs.readFileSync(map, 'utf8'))[0].child;

// Files for every item of the entries this child receives (the originals and redacted copies
// sized so they add up to MEDIA_MB, incompressible as photos are), and a real display JPEG.
const rows = stack.sql(`SELECT m.sha256 || ' ' || ifnull(m.redacted_sha256, '') FROM media m JOIN entry_audience a ON a.entry_id = m.entry_id
  WHERE a.child_id = '${child}'`).split('\n').filter(Boolean);
const hashes = rows.flatMap((r) => r.split(' ').filter(Boolean));
const entries = stack.sql(`SELECT count(*) FROM entry_audience WHERE child_id = '${child}' AND journal_at IS NOT NULL`);
const size = Math.floor((MEDIA_MB * 2 ** 20) / hashes.length);
const display = path.join(root, 'display.jpg');
execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=1600x1200', '-frames:v', '1', '-q:v', '12', display]);
const files = [];
for (const h of hashes) {
  const dir = path.join(stack.dataDir, 'media/objects', h.slice(0, 2));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, h), crypto.randomBytes(size));
  files.push(path.join(dir, h));
  const derived = path.join(stack.dataDir, 'media/derived', h.slice(0, 2));
  fs.mkdirSync(derived, { recursive: true });
  fs.copyFileSync(display, path.join(derived, `${h}.display.jpg`));
}
execFileSync('sync');
console.log(`setting: ${entries} entries for the child over 5 years, ${hashes.length} media files of ${(size / 2 ** 20).toFixed(2)} MiB ` +
  `(${MEDIA_MB} MiB), display copies of ${(fs.statSync(display).size / 1024).toFixed(0)} KiB (made in ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
await stack.daemon.start();

// Peak resident memory of a process tree's members, sampled every 50 ms (kB).
const rssOf = (pid) => { try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch { return 0; } };
const mediaPids = () => { try { return execFileSync('pgrep', ['-x', 'nestbox-media'], { encoding: 'utf8' }).split('\n').filter(Boolean); } catch { return []; } };
function sampler(pid) {
  const peak = { daemon: rssOf(pid), media: 0 };
  const timer = setInterval(() => {
    peak.daemon = Math.max(peak.daemon, rssOf(pid));
    for (const m of mediaPids()) peak.media = Math.max(peak.media, rssOf(m));
  }, 50);
  return { peak, stop: () => clearInterval(timer) };
}

const client = parent.client;
await client.post('/api/v1/agreement/accept', { version: (await client.get('/api/v1/agreement')).json.version });
execFileSync('sh', ['-c', 'echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true']);  // cold caches, when allowed
const idle = rssOf(stack.daemon.process.pid);
const s = sampler(stack.daemon.process.pid);
const started = Date.now();
const asked = await client.post('/api/v1/exports', { child_id: child });
if (asked.status !== 202) throw new Error(asked.text);
let e;
const steps = {};  // seconds spent in each step, as seen by polling
let last = Date.now();
for (;;) {
  e = (await client.get(`/api/v1/exports/${asked.json.export.id}`)).json.export;
  const step = e.progress.step ?? e.state;
  steps[step] = (steps[step] ?? 0) + (Date.now() - last) / 1000;
  last = Date.now();
  if (!['queued', 'running'].includes(e.state)) break;
  await new Promise((r) => setTimeout(r, 200));
}
const exportSeconds = (Date.now() - started) / 1000;
s.stop();
if (e.state !== 'ready') throw new Error(JSON.stringify(e.error));
const zipPath = path.join(stack.dataDir, `media/exports/${e.id}.zip`);
const listing = JSON.parse(execFileSync('python3', ['-c', 'import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); '
  + 'print(json.dumps({"members": len(z.infolist()), "pdf": sum(i.file_size for i in z.infolist() if i.filename.endswith(".pdf")), '
  + '"entries": sum(1 for i in z.infolist() if i.filename.endswith("index.html"))}))', zipPath], { encoding: 'utf8' }));
const pages = execFileSync('sh', ['-c', `cd ${root} && python3 -m zipfile -e ${zipPath} out >/dev/null && pdfinfo out/*/journal.pdf | grep Pages`], { encoding: 'utf8' }).trim();

// The reference: zip -0 of the same media files (the export stores what the parent may see,
// a subset of them, plus the PDF and the page), cold caches again.
execFileSync('sh', ['-c', 'echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true']);
const list = path.join(root, 'files.txt');
fs.writeFileSync(list, files.join('\n') + '\n');
const refLine = execFileSync('sh', ['-c', `/usr/bin/time -f '%e %M' zip -0 -q ${path.join(root, 'ref2.zip')} -@ < ${list} 2>&1 >/dev/null | tail -1`], { encoding: 'utf8' }).trim();
const [refSeconds, refKb] = refLine.split(' ').map(Number);
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
console.log(`export: ${exportSeconds.toFixed(1)} s for ${mb(e.bytes)} MiB (${listing.members} files; PDF ${mb(listing.pdf)} MiB, ${pages})`);
console.log(`  steps: ${Object.entries(steps).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
console.log(`  nestboxd: ${(s.peak.daemon / 1024).toFixed(0)} MiB peak resident (${(idle / 1024).toFixed(0)} MiB before); ` +
  `media process: ${(s.peak.media / 1024).toFixed(0)} MiB peak`);
console.log(`zip -0 of all ${files.length} media files (${mb(fs.statSync(path.join(root, 'ref2.zip')).size)} MiB): ${refSeconds.toFixed(1)} s, ` +
  `${(refKb / 1024).toFixed(0)} MiB peak resident`);
console.log(`ratio: export ${(exportSeconds / refSeconds).toFixed(2)}× the time of zip -0`);
await stack.stop();
fs.rmSync(root, { recursive: true, force: true });
