// Photo-first recording and feed (issue 22) against the real stack: a draft saved on the box
// as staff go (incomplete while a draft, no versions or audit rows per save, checked in full
// when it goes to the journal); templates managers keep; the children a member of staff
// tagged lately; consent beside each name for staff only; a family's hearts (staff see which
// family, the other family sees nothing of them), comment counts and "new since your last
// visit"; the feed by month in the setting's time zone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, twoFamilies, tusUpload, mediaReady, MANAGER_PASSWORD } from './harness.mjs';

let stack, manager, kate, parentA, parentB, ids;
const ok = (res, what) => { if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`); return res.json; };
// After the clock moves past the idle timeout: everyone signs in again, on the same clients.
async function signInAgain() {
  for (const [client, name, password] of [[manager, 'manager', MANAGER_PASSWORD], [kate, 'kate', 'green apple orchard'],
    [parentA, 'parent.a', 'blue whale singing'], [parentB, 'parent.b', 'red kite flying']]) {
    ok(await client.signIn(name, password), `sign-in ${name}`);
  }
}
const auditCount = (event, target) => Number(stack.sql(
  `SELECT count(*) FROM audit_log WHERE event = '${event}' AND target_id = '${target}'`));

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  ({ kate, parentA, parentB, ids } = await twoFamilies(stack, manager));
});
after(async () => { await stack?.stop(); });

test('a draft is saved on the box as staff go, and checked in full when it goes to the journal', async () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  // Nothing but a date yet: accepted as a draft.
  const draft = ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'draft', title: '', body: '',
    observed_on: today, child_ids: [], aspect_ids: [] }), 'empty draft').entry;
  assert.equal(draft.status, 'draft');
  // The same as a journal entry is refused, naming the field.
  const refused = await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: '', body: '',
    observed_on: today, child_ids: [], aspect_ids: [] });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.field, 'title');

  // Saved as staff type: in place, no versions, one audit row (its creation) however often.
  for (const body of ['Ava', 'Ava built', 'Ava built a tower of ten blocks.']) {
    ok(await kate.request('PATCH', `/api/v1/entries/${draft.id}`, { body: { body, child_ids: [ids.A] } }), 'autosave');
  }
  const saved = ok(await kate.get(`/api/v1/entries/${draft.id}`), 'read back').entry;
  assert.equal(saved.body, 'Ava built a tower of ten blocks.');
  assert.deepEqual(saved.child_ids, [ids.A]);
  assert.equal(saved.version, draft.version);
  assert.equal(ok(await kate.get(`/api/v1/entries/${draft.id}/versions`), 'versions').versions.length, 0);
  assert.equal(auditCount('NBX_ENTRY_AMENDED', draft.id), 0);
  // Another session (a new tablet sign-in) finds it: the draft is on the box, not the tablet.
  const me = ok(await kate.get('/api/v1/auth/session'), 'session').user.id;
  const mine = ok(await kate.get(`/api/v1/entries?status=draft&author=${me}&kind=observation&limit=1`), 'drafts').entries;
  assert.equal(mine[0].id, draft.id);
  // The family sees nothing of a draft.
  assert.equal((await parentA.get(`/api/v1/entries/${draft.id}`)).status, 404);

  // To the journal: the title is still missing, so it stays a draft.
  const early = await kate.request('PATCH', `/api/v1/entries/${draft.id}`, { body: { status: 'journal' } });
  assert.equal(early.status, 400);
  assert.equal(early.json.field, 'title');
  assert.equal(ok(await kate.get(`/api/v1/entries/${draft.id}`), 'still a draft').entry.status, 'draft');
  const done = ok(await kate.request('PATCH', `/api/v1/entries/${draft.id}`,
    { body: { title: 'Tower of ten', status: 'journal' } }), 'to the journal').entry;
  assert.equal(done.status, 'journal');
  assert.equal(auditCount('NBX_ENTRY_AMENDED', draft.id), 1);
  // From now on an amendment keeps the version before it.
  ok(await kate.request('PATCH', `/api/v1/entries/${draft.id}`, { body: { body: 'Ava built a tower of eleven blocks.' } }), 'amend');
  assert.equal(ok(await kate.get(`/api/v1/entries/${draft.id}/versions`), 'versions').versions.length, 1);
  assert.equal(auditCount('NBX_ENTRY_AMENDED', draft.id), 2);

  // Recently tagged: kept on the box for this member of staff.
  assert.deepEqual(ok(await kate.get('/api/v1/me/recent-children'), 'recent').child_ids, [ids.A]);
  assert.deepEqual(ok(await manager.get('/api/v1/me/recent-children'), 'manager recent').child_ids, []);
  assert.equal((await parentA.get('/api/v1/me/recent-children')).status, 403);
});

test('managers keep templates; staff use them; families cannot see them', async () => {
  const list = ok(await kate.get('/api/v1/templates'), 'templates').templates;
  assert.deepEqual(list.map((t) => t.name), ['Two-year progress check', 'WOW moment']);
  assert.ok(list[0].aspect_ids.length > 0, 'the two-year check links the prime areas');
  assert.equal((await parentA.get('/api/v1/templates')).status, 403);
  assert.equal((await kate.post('/api/v1/templates', { name: 'Mine' })).status, 403);

  const bad = await manager.post('/api/v1/templates', { name: 'Snack', kind: 'snapshot', aspect_ids: ['eyfs.m.n'] });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.field, 'aspect_ids');
  assert.equal((await manager.post('/api/v1/templates', { name: '' })).json.field, 'name');
  assert.equal((await manager.post('/api/v1/templates', { name: 'X', aspect_ids: ['nope'] })).status, 400);
  const made = ok(await manager.post('/api/v1/templates', { name: 'First words', title: 'First words',
    body: 'Today said: ', aspect_ids: ['eyfs.cl.sp'] }), 'create').template;
  assert.equal((await manager.post('/api/v1/templates', { name: 'first WORDS' })).status, 409);
  const changed = ok(await manager.request('PATCH', `/api/v1/templates/${made.id}`, { body: { body: 'Said for the first time: ' } }), 'edit').template;
  assert.equal(changed.body, 'Said for the first time: ');
  assert.equal(changed.name, 'First words');
  assert.equal(auditCount('NBX_TEMPLATE_SAVED', made.id), 2);
  assert.equal((await manager.request('DELETE', `/api/v1/templates/${made.id}`)).status, 204);
  assert.equal((await manager.request('DELETE', `/api/v1/templates/${made.id}`)).status, 404);
  assert.equal((await manager.request('PATCH', `/api/v1/templates/${made.id}`, { body: { name: 'Again' } })).status, 404);
});

test('staff see each child’s consent beside the name; families do not get the field', async () => {
  const staffList = ok(await kate.get('/api/v1/children'), 'children').children;
  const ava = staffList.find((c) => c.id === ids.A);
  assert.deepEqual(ava.consent, { recorded: true, own_journal_photos: true, other_journals: true });
  ok(await manager.request('PUT', `/api/v1/children/${ids.B}/consent`,
    { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } }), 'consent B');
  const ben = ok(await kate.get('/api/v1/children'), 'children').children.find((c) => c.id === ids.B);
  assert.equal(ben.consent.other_journals, false);
  const family = ok(await parentA.get('/api/v1/children'), 'family children').children;
  assert.ok(family.every((c) => !('consent' in c)));
});

test('hearts: a family tells staff they liked an entry; other families never see it', async () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const shared = ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Den building',
    body: 'Together.', observed_on: today, child_ids: [ids.A, ids.B], aspect_ids: [] }), 'shared').entry;
  const heart = (client, child, method = 'PUT') => client.request(method, `/api/v1/entries/${shared.id}/threads/${child}/heart`);
  assert.equal((await heart(parentA, ids.A)).status, 200);
  assert.equal((await heart(parentA, ids.A)).status, 200, 'idempotent');
  // Not their child, or not a journal entry, or staff: refused without telling what exists.
  assert.equal((await heart(parentA, ids.B)).status, 404);
  assert.equal((await parentA.request('PUT', `/api/v1/entries/${'0'.repeat(32)}/threads/${ids.A}/heart`)).status, 404);
  assert.equal((await heart(kate, ids.A)).status, 403);
  const draft = ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'draft', title: 'Later',
    observed_on: today, child_ids: [ids.A], aspect_ids: [] }), 'draft').entry;
  assert.equal((await parentA.request('PUT', `/api/v1/entries/${draft.id}/threads/${ids.A}/heart`)).status, 404);

  // Staff see which family.
  const hearts = ok(await kate.get(`/api/v1/entries/${shared.id}/hearts`), 'hearts').hearts;
  assert.equal(hearts.length, 1);
  assert.equal(hearts[0].child_id, ids.A);
  assert.equal(hearts[0].child_name, 'Ava');
  assert.ok(hearts[0].parent_name.length > 0);
  assert.equal((await parentA.get(`/api/v1/entries/${shared.id}/hearts`)).status, 403);

  // The family's card shows their own heart; the other family's card and entry show nothing of it.
  const cardA = ok(await parentA.get('/api/v1/feed'), 'feed A').entries.find((e) => e.id === shared.id);
  assert.deepEqual(cardA.hearted_child_ids, [ids.A]);
  assert.deepEqual(ok(await parentA.get(`/api/v1/entries/${shared.id}`), 'entry A').entry.hearted_child_ids, [ids.A]);
  assert.deepEqual(ok(await parentB.get(`/api/v1/entries/${shared.id}`), 'entry B').entry.hearted_child_ids, []);
  assert.ok(!('hearted_child_ids' in ok(await kate.get(`/api/v1/entries/${shared.id}`), 'entry staff').entry));
  const feedB = ok(await parentB.get('/api/v1/feed'), 'feed B');
  const cardB = feedB.entries.find((e) => e.id === shared.id);
  assert.deepEqual(cardB.hearted_child_ids, []);
  const textB = JSON.stringify(feedB) + JSON.stringify(ok(await parentB.get(`/api/v1/entries/${shared.id}`), 'entry B'));
  assert.ok(!textB.includes(ids.A), 'parent B sees nothing about Ava, her heart included');

  // Comment counts on the card: the family's own threads only, fresh after a comment.
  assert.equal(cardA.comment_count, 0);
  ok(await parentA.post(`/api/v1/entries/${shared.id}/threads/${ids.A}`, { body: 'He loved it!' }), 'comment A');
  ok(await kate.post(`/api/v1/entries/${shared.id}/threads/${ids.A}`, { body: 'So did we.' }), 'reply');
  ok(await parentB.post(`/api/v1/entries/${shared.id}/threads/${ids.B}`, { body: 'Ben too' }), 'comment B');
  assert.equal(ok(await parentA.get('/api/v1/feed'), 'feed A').entries.find((e) => e.id === shared.id).comment_count, 2);
  assert.equal(ok(await parentB.get('/api/v1/feed'), 'feed B').entries.find((e) => e.id === shared.id).comment_count, 1);

  // Un-hearted: gone for staff and for the card.
  assert.equal((await heart(parentA, ids.A, 'DELETE')).json.hearted, false);
  assert.equal(ok(await kate.get(`/api/v1/entries/${shared.id}/hearts`), 'hearts').hearts.length, 0);
  assert.deepEqual(ok(await parentA.get('/api/v1/feed'), 'feed A').entries.find((e) => e.id === shared.id).hearted_child_ids, []);
});

test('visits: "new since your last visit", the same visit within half an hour', async () => {
  assert.equal(ok(await parentB.post('/api/v1/feed/visit', {}), 'first').previous_visit_at, null);
  stack.advanceClock(10 * 60);
  assert.equal(ok(await parentB.post('/api/v1/feed/visit', {}), 'reload').previous_visit_at, null, 'a reload keeps the markers');
  stack.advanceClock(2 * 3600);
  await signInAgain();  // two idle hours end a session
  const second = ok(await parentB.post('/api/v1/feed/visit', {}), 'second visit').previous_visit_at;
  assert.ok(second, 'the earlier visit is the previous one');
  assert.equal((await kate.post('/api/v1/feed/visit', {})).status, 403);
});

test('the feed by month, in the setting’s time zone', async () => {
  const feed = async (query) => ok(await parentA.get(`/api/v1/feed?${query}`), query).entries.map((e) => e.id);
  const all = await feed('');
  assert.ok(all.length >= 2);
  // Every entry so far was shared this month.
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()).slice(0, 7);
  assert.deepEqual(await feed(`month=${month}`), all);
  assert.deepEqual(await feed('month=2020-01'), []);
  // Shared on the last evening of a month in London: the month it belongs to is London's.
  const [y, m] = month.split('-').map(Number);
  const nextMonth = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`;
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const late = Date.UTC(y, m - 1, lastDay, 23, 30) / 1000;  // 23:30 UTC: in London the same day (winter) or the next (summer)
  const zone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(late * 1000)).slice(0, 7);
  const id = all[0];
  stack.sql(`UPDATE entries SET journal_at = ${late} WHERE id = '${id}'; UPDATE entry_audience SET journal_at = ${late} WHERE entry_id = '${id}'`);
  stack.advanceClock(0);
  // A write the daemon did not make: move the family's cache on with a heart.
  ok(await parentA.request('PUT', `/api/v1/entries/${id}/threads/${ids.A}/heart`), 'refresh');
  assert.ok((await feed(`month=${zone}`)).includes(id));
  assert.ok(!(await feed(`month=${zone === month ? nextMonth : month}`)).includes(id));
  for (const bad of ['2026-13', '2026-1', 'december', '2026-12-01']) {
    const r = await parentA.get(`/api/v1/feed?month=${encodeURIComponent(bad)}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.field, 'month');
  }
});

test('a draft never in the journal can be discarded, with its photo; anything that reached the journal stays', async () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const { execFileSync } = await import('node:child_process');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const file = path.join(stack.root, 'discard.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', file]);
  const photo = await tusUpload(kate, fs.readFileSync(file));
  assert.equal((await mediaReady(kate, photo)).state, 'ready');
  const sha = stack.sql(`SELECT sha256 FROM media WHERE id = '${photo}'`);
  const objects = () => execFileSync('find', [path.join(stack.dataDir, 'media'), '-type', 'f', '-name', `*${sha}*`], { encoding: 'utf8' }).trim();
  assert.ok(objects().length > 0, 'the photo is stored');
  const draft = ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'draft', title: 'Oops',
    observed_on: today, child_ids: [ids.A], aspect_ids: [], media: [{ id: photo, child_ids: [ids.A] }] }), 'draft').entry;

  // Families and other people's drafts: refused.
  assert.equal((await parentA.request('DELETE', `/api/v1/entries/${draft.id}`)).status, 403);
  const colleague = (await stack.addUser(manager, 'priya', 'staff', 'purple plum tree')).client;
  const notYours = await colleague.request('DELETE', `/api/v1/entries/${draft.id}`);
  assert.equal(notYours.status, 403);
  assert.equal(notYours.json.error, 'not_yours');

  assert.equal((await kate.request('DELETE', `/api/v1/entries/${draft.id}`)).status, 204);
  assert.equal((await kate.get(`/api/v1/entries/${draft.id}`)).status, 404);
  assert.equal(stack.sql(`SELECT count(*) FROM media WHERE id = '${photo}'`), '0');
  assert.equal(objects(), '', 'the photo\'s files went with it');
  assert.equal(auditCount('NBX_ENTRY_DISCARDED', draft.id), 1);
  assert.equal((await kate.request('DELETE', `/api/v1/entries/${draft.id}`)).status, 404);

  // Once in the journal, an entry is never discarded (even when back to draft).
  const kept = ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: 'Kept',
    observed_on: today, child_ids: [ids.A], aspect_ids: [] }), 'journal entry').entry;
  ok(await kate.request('PATCH', `/api/v1/entries/${kept.id}`, { body: { status: 'draft' } }), 'back to draft');
  const refused = await kate.request('DELETE', `/api/v1/entries/${kept.id}`);
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error, 'not_a_draft');
  // A manager may discard anyone's draft.
  const another = ok(await kate.post('/api/v1/entries', { kind: 'observation', status: 'draft', title: '',
    observed_on: today, child_ids: [], aspect_ids: [] }), 'another draft').entry;
  assert.equal((await manager.request('DELETE', `/api/v1/entries/${another.id}`)).status, 204);
});
