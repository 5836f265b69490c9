// What every feed benchmark starts with: a scratch directory nginx may read, a copy of the
// built web app in it (so a static reference file can sit beside it), and the release daemon.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export async function benchSetup(prefix) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const webRoot = path.join(root, 'web');
  fs.cpSync(path.join(repo, 'web/dist'), webRoot, { recursive: true });
  fs.chmodSync(root, 0o755);  // nginx workers run as another user
  process.env.NESTBOX_WEB_ROOT = webRoot;
  process.env.NESTBOX_DAEMON ||= path.join(repo, 'build/release/daemon/nestboxd');
  const { Stack } = await import('../integration/harness.mjs');
  return { root, webRoot, Stack };
}

// A parent (`writer`, signed in as `username`, carer in a make_setting.py setting) writing
// comments on their newest released entry for as long as `during()` runs; how long each
// waited. Used to measure what backups and erasures make journal writes wait.
export async function parentWrites(stack, writer, username) {
  const entry = JSON.parse(stack.sql("SELECT json_object('e', e.id, 'c', a.child_id) FROM entries e JOIN entry_audience a ON a.entry_id = e.id JOIN child_carers cc ON cc.child_id = a.child_id WHERE cc.parent_id = (SELECT id FROM users WHERE username = '" + username + "') AND a.journal_at IS NOT NULL AND a.journal_at <= strftime('%s','now') ORDER BY a.journal_at DESC LIMIT 1"));
  await writer.post('/api/v1/agreement/accept', { version: (await writer.get('/api/v1/agreement')).json.version });
  return async (during) => {
    const waits = [];
    let going = true;
    const loop = (async () => {
      while (going) {
        const started = Date.now();
        const res = await writer.post(`/api/v1/entries/${entry.e}/threads/${entry.c}`, { body: 'Lovely!' });
        if (res.status !== 201) throw new Error(`comment: ${res.status} ${res.text}`);
        waits.push(Date.now() - started);
      }
    })();
    const seconds = await during();
    going = false;
    await loop;
    waits.sort((a, b) => a - b);
    return { seconds, n: waits.length, median: waits[waits.length >> 1], p99: waits[Math.floor(waits.length * 0.99)], max: waits.at(-1) };
  };
}
export const showWrites = (label, w, width = 44) => console.log(`${label.padEnd(width)} ${w.seconds.toFixed(1).padStart(6)} s; writes ${w.n}, median ${w.median} ms, p99 ${w.p99} ms, max ${w.max} ms`);

// A stack whose database holds a generated 5-year setting (make_setting.py: 150,000 entries,
// 400,000 media rows, 300,000 comments), its manager, and `bench.parent`, carer of the first
// child; the daemon is stopped (the caller adds what it needs, then starts it). `made`: seconds.
export async function generatedSetting(prefix) {
  const { execFileSync } = await import('node:child_process');
  const { root, Stack } = await benchSetup(prefix);
  const stack = await Stack.start();
  const manager = await stack.setUp();
  const parent = await stack.addUser(manager, 'bench.parent', 'parent', 'blue whale singing');
  await stack.daemon.stop();
  const t0 = Date.now();
  execFileSync('python3', [path.join(repo, 'tests/bench/make_setting.py'), path.join(stack.dataDir, 'nestbox.db'), '--parent', parent.id,
    '--entries', '150000', '--media', '400000', '--comments', '300000']);
  return { root, stack, manager, parent, made: (Date.now() - t0) / 1000 };
}
