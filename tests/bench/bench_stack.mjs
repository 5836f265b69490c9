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
