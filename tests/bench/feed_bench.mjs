// Parent feed benchmark: first page of 20 entries, through nginx TLS with keep-alive at 50
// connections (wrk), against nginx serving a static JSON file of the same bytes in the same
// run; on a small and a large generated setting.   node tests/bench/feed_bench.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchSetup, repo } from './bench_stack.mjs';

const { root, webRoot, Stack } = await benchSetup('nestbox-feed-bench-');

function wrk(url, cookie) {
  const script = path.join(root, 'wrk.lua');
  fs.writeFileSync(script, cookie ? `wrk.headers["Cookie"] = "__Host-nestbox=${cookie}"\n` : '');
  const out = execFileSync('wrk', ['-t2', '-c50', '-d8s', '--latency', '-s', script, url], { encoding: 'utf8' });
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const p99text = out.match(/\s99%\s+([\d.]+)(us|ms|s)/);
  const p99 = Number(p99text[1]) * { us: 0.001, ms: 1, s: 1000 }[p99text[2]];
  const non2xx = out.match(/Non-2xx or 3xx responses: (\d+)/);
  if (non2xx) throw new Error(`${url}: ${non2xx[1]} error responses`);
  return { rps, p99 };
}

async function measure(label, sizes) {
  const stack = await Stack.start({ extraConfig: `threads = ${process.env.NESTBOX_THREADS || 4}` });
  try {
    const manager = await stack.setUp();
    const { client, id } = await stack.addUser(manager, 'bench.parent', 'parent', 'blue whale singing');
    await stack.daemon.stop();
    execFileSync('python3', [path.join(repo, 'tests/bench/make_setting.py'), path.join(stack.dataDir, 'nestbox.db'),
      '--parent', id, ...sizes], { stdio: 'inherit' });
    await stack.daemon.start();
    const agreement = (await client.get('/api/v1/agreement')).json;
    await client.post('/api/v1/agreement/accept', { version: agreement.version });
    const page = await client.get('/api/v1/feed?limit=20');
    if (page.status !== 200 || page.json.entries.length !== 20) throw new Error(`feed: ${page.status} ${page.text.slice(0, 200)}`);
    const mediaOnPage = page.json.entries.reduce((n, e) => n + e.media.length, 0);
    if (mediaOnPage === 0) throw new Error('feed: the first page carries no media metadata');
    fs.writeFileSync(path.join(webRoot, 'feed-copy.json'), page.text);
    const base = `https://127.0.0.1:${stack.httpsPort}`;
    const feed = wrk(`${base}/api/v1/feed?limit=20`, client.cookie);
    const reference = wrk(`${base}/feed-copy.json`);
    console.log(`${label}: feed ${feed.rps.toFixed(0)} req/s, p99 ${feed.p99.toFixed(1)} ms; nginx static same ${page.text.length} bytes ` +
      `${reference.rps.toFixed(0)} req/s, p99 ${reference.p99.toFixed(1)} ms; ratio ${(feed.rps / reference.rps).toFixed(2)}; ` +
      `${mediaOnPage} media items on the page`);
    return feed;
  } finally {
    await stack.stop();
  }
}

const small = await measure('small setting (12 children, 1 year)', ['--children', '12', '--years', '1', '--entries', '3000', '--media', '8000', '--comments', '6000']);
const large = await measure('large setting (120 children, 5 years)', ['--children', '120', '--years', '5', '--entries', '150000', '--media', '400000', '--comments', '300000']);
console.log(`large/small feed p99 latency: ${(large.p99 / small.p99).toFixed(2)}x (target <= 1.5)`);
fs.rmSync(root, { recursive: true, force: true });
