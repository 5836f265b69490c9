// Parent feeds under the load users make (issue 14), on the large generated setting (120
// children, 150k entries, 400k media) through nginx TLS, every figure beside nginx serving
// the same bytes statically in the same run:
//   - 40 parents of 40 different children reading their feeds at once (wrk, 50 connections,
//     the 40 sessions taken in turn), read only;
//   - the same while a member of staff, on the setting's tablet, posts released observations
//     about those children every 2 s, and every 250 ms (each write renews one family's page);
//   - the staff POST latency under that read load;
//   - uncached first pages: a write about the parent's child just before each request;
//   - opening the journal: the visit recorded, then the first page with comment counts and
//     hearts (issue 22), while other parents heart entries;
//   - nestboxd's resident memory under that load (VmHWM).
//   node tests/bench/feed_load_bench.mjs   (tests/bench/run builds the release tree first)
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchSetup, repo } from './bench_stack.mjs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const { root, webRoot, Stack } = await benchSetup('nestbox-feed-load-');

const PARENTS = Number(process.env.NESTBOX_BENCH_PARENTS || 40);
const SECONDS = Number(process.env.NESTBOX_BENCH_SECONDS || 8);
const sizes = (process.env.NESTBOX_BENCH_SMALL
  ? ['--children', '80', '--years', '1', '--entries', '6000', '--media', '16000', '--comments', '6000']
  : ['--children', '120', '--years', '5', '--entries', '150000', '--media', '400000', '--comments', '300000']);

const ms = (text) => { const m = text.match(/([\d.]+)(us|ms|s)/); return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };

// wrk at 50 connections; `cookies` are taken in turn, one per request.
async function wrk(url, cookies = []) {
  const script = path.join(root, `wrk-${cookies.length}.lua`);
  fs.writeFileSync(script, cookies.length
    ? `local cookies = {${cookies.map((c) => `"__Host-nestbox=${c}"`).join(',')}}\nlocal i = 0\n` +
      'request = function()\n  i = i % #cookies + 1\n  wrk.headers["Cookie"] = cookies[i]\n  return wrk.format()\nend\n'
    : '');
  const { stdout } = await run('wrk', ['-t2', '-c50', `-d${SECONDS}s`, '--latency', '-s', script, url], { maxBuffer: 1 << 20 });
  const non2xx = stdout.match(/Non-2xx or 3xx responses: (\d+)/);
  if (non2xx) throw new Error(`${url}: ${non2xx[1]} error responses`);
  return { rps: Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]), p99: ms(stdout.match(/\s99%\s+(\S+)/)[1]) };
}

const stack = await Stack.start({ extraConfig: `threads = ${process.env.NESTBOX_THREADS || 4}` });
try {
  const manager = await stack.setUp();
  const parents = [];
  for (let i = 0; i < PARENTS; i++) parents.push(await stack.addUser(manager, `bench.parent${i}`, 'parent', 'blue whale singing'));
  await stack.daemon.stop();
  const mapFile = path.join(root, 'map.json');
  execFileSync('python3', [path.join(repo, 'tests/bench/make_setting.py'), path.join(stack.dataDir, 'nestbox.db'),
    '--parent', parents.map((p) => p.id).join(','), '--map', mapFile, ...sizes], { stdio: 'inherit' });
  const childOf = Object.fromEntries(JSON.parse(fs.readFileSync(mapFile, 'utf8')).map((m) => [m.parent, m.child]));
  await stack.daemon.start();
  // Signed in after the setting is made: staff sessions idle out after 5 minutes.
  const staff = await stack.addUser(manager, 'bench.staff', 'staff', 'green apple orchard');
  for (const p of parents) {
    const agreement = (await p.client.get('/api/v1/agreement')).json;
    await p.client.post('/api/v1/agreement/accept', { version: agreement.version });
  }
  const page = await parents[0].client.get('/api/v1/feed?limit=20');
  if (page.status !== 200 || page.json.entries.length !== 20) throw new Error(`feed: ${page.status} ${page.text.slice(0, 200)}`);
  fs.writeFileSync(path.join(webRoot, 'feed-copy.json'), page.text);
  const base = `https://127.0.0.1:${stack.httpsPort}`;
  const cookies = parents.map((p) => p.client.cookie);
  const today = new Date().toISOString().slice(0, 10);
  let posted = 0;
  const post = async (child) => {
    const started = process.hrtime.bigint();
    const res = await staff.client.post('/api/v1/entries', {
      kind: 'observation', status: 'journal', title: `Bench ${++posted}`, body: 'Played in the sand.', observed_on: today,
      child_ids: [child], aspect_ids: [],
    });
    if (res.status !== 201) throw new Error(`post: ${res.status} ${res.text.slice(0, 200)}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  // Staff write every `everyMs` while `during` runs; returns the POST latencies.
  const writing = async (everyMs, during) => {
    const latencies = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const next = Date.now() + everyMs;
        latencies.push(await post(childOf[parents[i % parents.length].id]));
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
    })();
    const result = await during();
    stop = true;
    await writer;
    return { result, latencies };
  };

  const reference = await wrk(`${base}/feed-copy.json`);
  const line = (label, r) => console.log(`${label}: ${r.rps.toFixed(0)} req/s (ratio ${(r.rps / reference.rps).toFixed(2)}), ` +
    `p99 ${r.p99.toFixed(1)} ms (nginx static p99 ${reference.p99.toFixed(1)} ms)`);
  console.log(`nginx static, the same ${page.text.length} bytes: ${reference.rps.toFixed(0)} req/s, p99 ${reference.p99.toFixed(1)} ms`);
  const readOnly = await wrk(`${base}/api/v1/feed?limit=20`, cookies);
  line(`${PARENTS} parents, read only`, readOnly);
  const every2s = await writing(2000, () => wrk(`${base}/api/v1/feed?limit=20`, cookies));
  line(`${PARENTS} parents + a released observation every 2 s`, every2s.result);
  const every250 = await writing(250, () => wrk(`${base}/api/v1/feed?limit=20`, cookies));
  line(`${PARENTS} parents + a released observation every 250 ms`, every250.result);
  const posts = [...every2s.latencies, ...every250.latencies];
  console.log(`entry POST under the read load: ${posts.length} posts, median ${pct(posts, 50).toFixed(1)} ms, ` +
    `p99 ${pct(posts, 99).toFixed(1)} ms, max ${Math.max(...posts).toFixed(1)} ms`);

  // Uncached: each request right after a write about that family's child, one at a time;
  // nginx static single requests the same way as the reference.
  const uncached = [], statics = [];
  const reader = stack.client();
  for (let i = 0; i < 200; i++) {
    const p = parents[i % parents.length];
    await post(childOf[p.id]);
    let t = process.hrtime.bigint();
    const res = await p.client.get('/api/v1/feed?limit=20');
    uncached.push(Number(process.hrtime.bigint() - t) / 1e6);
    // (Entries of the same second are ordered by id, so the fresh one is among the first few.)
    if (res.status !== 200 || !res.json.entries.slice(0, 5).some((e) => e.title === `Bench ${posted}`)) {
      throw new Error(`uncached: not the fresh page: ${res.status} ${JSON.stringify(res.json.entries?.slice(0, 3).map((e) => [e.title, e.journal_at]))} after Bench ${posted}`);
    }
    t = process.hrtime.bigint();
    await reader.get('/feed-copy.json');
    statics.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`uncached first page (after a write about the family's child): median ${pct(uncached, 50).toFixed(1)} ms, ` +
    `p99 ${pct(uncached, 99).toFixed(1)} ms; nginx static single request median ${pct(statics, 50).toFixed(1)} ms, ` +
    `p99 ${pct(statics, 99).toFixed(1)} ms`);
  // Opening the journal (issue 22): the visit is recorded (a write), then the first page with
  // its cards' comment counts and hearts, each parent in turn, another parent hearting an
  // entry before each (which renews that family's page). Beside two nginx static requests.
  const opens = [], staticPairs = [];
  for (let i = 0; i < 200; i++) {
    const p = parents[i % parents.length];
    const other = parents[(i + 1) % parents.length];
    const first = (await other.client.get('/api/v1/feed?limit=1')).json.entries[0];
    if (first) await other.client.request('PUT', `/api/v1/entries/${first.id}/threads/${childOf[other.id]}/heart`);
    let t = process.hrtime.bigint();
    const visit = await p.client.post('/api/v1/feed/visit', {});
    const res = await p.client.get('/api/v1/feed?limit=20');
    opens.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (visit.status !== 200 || res.status !== 200 || typeof res.json.entries[0]?.comment_count !== 'number') {
      throw new Error(`opening: ${visit.status} ${res.status}`);
    }
    t = process.hrtime.bigint();
    await reader.get('/feed-copy.json');
    await reader.get('/feed-copy.json');
    staticPairs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`opening the journal (visit + first page with counts and hearts): median ${pct(opens, 50).toFixed(1)} ms, ` +
    `p99 ${pct(opens, 99).toFixed(1)} ms; two nginx static requests median ${pct(staticPairs, 50).toFixed(1)} ms, ` +
    `p99 ${pct(staticPairs, 99).toFixed(1)} ms`);
  const status = fs.readFileSync(`/proc/${stack.daemon.process.pid}/status`, 'utf8');
  const kib = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+) kB`))[1]);
  console.log(`nestboxd memory: peak RSS ${(kib('VmHWM') / 1024).toFixed(1)} MiB, now ${(kib('VmRSS') / 1024).toFixed(1)} MiB`);
  console.log(`targets: read-only p99 < 25 ms; every 2 s ratio >= 0.3 and p99 < 50 ms; every 250 ms ratio >= 0.25; ` +
    `POST p99 < 50 ms; uncached p99 < 25 ms; opening p99 < 40 ms; peak RSS < 64 MiB`);
} finally {
  await stack.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
