// Erasure (issue 21) on a large generated setting (make_setting.py: 5 years, 150,000 entries,
// 400,000 media rows, 300,000 comments): how long erasing one child takes through the API
// (the transaction over every table, the audit log's pseudonyms, the ledger, then the
// checkpoint and VACUUM), against a plain `sqlite3 VACUUM` of a copy of the same database in
// the same run; and how long a parent's comments wait meanwhile, against the same writes with
// nothing running. Then the leavers job erasing ten children at once (one VACUUM for all).
//   node tests/bench/erasure_bench.mjs            (tests/bench/run)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generatedSetting, parentWrites, showWrites } from './bench_stack.mjs';

const PASSWORD = 'Correct horse battery 9';
const PIN = '4826';
const { root, stack, manager, parent, made } = await generatedSetting('nestbox-erasure-bench-');
const dbFile = path.join(stack.dataDir, 'nestbox.db');
const dbMb = () => fs.statSync(dbFile).size / 2 ** 20;
console.log(`setting: database ${dbMb().toFixed(0)} MiB (made in ${made.toFixed(0)} s)`);
await stack.daemon.start();
await manager.signIn('manager', PASSWORD);
await manager.post('/api/v1/me/pin', { password: PASSWORD, pin: PIN });

// Reference: VACUUM of a copy of the same database, by the sqlite3 shell.
const copy = path.join(root, 'copy.db');
execFileSync('sqlite3', [dbFile, `VACUUM INTO '${copy}'`]);
let started = Date.now();
execFileSync('sqlite3', [copy, 'VACUUM']);
const vacuumS = (Date.now() - started) / 1000;
fs.rmSync(copy);
console.log(`${'reference: sqlite3 VACUUM of a copy'.padEnd(46)} ${vacuumS.toFixed(1).padStart(6)} s`);

// A parent writes comments throughout; each wait is measured.
const writer = parent.client;
const writes = await parentWrites(stack, writer, 'bench.parent');
const show = (label, w) => showWrites(label, w, 46);
const children = JSON.parse(stack.sql(`SELECT json_group_array(json_object('id', id, 'name', first_name || ' ' || last_name)) FROM
  (SELECT id, first_name, last_name FROM children WHERE id NOT IN (SELECT child_id FROM child_carers WHERE parent_id = '${parent.id}') ORDER BY id LIMIT 11)`));
const counts = JSON.parse(stack.sql(`SELECT json_object('entries', (SELECT count(*) FROM entry_children WHERE child_id = '${children[0].id}'),
  'media', (SELECT count(*) FROM media_children WHERE child_id = '${children[0].id}'))`));

show('nothing running (10 s of writes)', await writes(() => new Promise((r) => setTimeout(() => r(10), 10000))));
let answer;
show(`one child erased (${counts.entries} entries, ${counts.media} media)`, await writes(async () => {
  const s = Date.now();
  answer = await manager.post(`/api/v1/children/${children[0].id}/erase`, { password: PASSWORD, pin: PIN, confirm: children[0].name });
  if (answer.status !== 200) throw new Error(`erase: ${answer.status} ${answer.text}`);
  return (Date.now() - s) / 1000;
}));
console.log(`  ${JSON.stringify(answer.json.erasure)}`);

// The leavers job: ten children whose countdown has ended, erased in one run.
for (const c of children.slice(1)) stack.sql(`UPDATE children SET left_on = '2020-01-01' WHERE id = '${c.id}'`);
stack.advanceClock(3600);
await manager.signIn('manager', PASSWORD);
await writer.signIn('bench.parent', 'blue whale singing');
const left = () => Number(stack.sql(`SELECT count(*) FROM children WHERE left_on = '2020-01-01'`));
show('leavers job: ten children erased in one run', await writes(async () => {
  const s = Date.now();
  while (left() > 0) await new Promise((r) => setTimeout(r, 100));
  return (Date.now() - s) / 1000;
}));
console.log(`database after: ${dbMb().toFixed(0)} MiB`);
await stack.stop();
fs.rmSync(root, { recursive: true, force: true });
