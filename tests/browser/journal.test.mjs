import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, TABLET, menuLink } from './browser.mjs';

let stack;
let manager;
let browser;
const ids = {};
before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  ids.kate = (await stack.addUser(manager, 'kate', 'staff', 'green apple orchard')).id;
  const parentA = await stack.addUser(manager, 'parent.a', 'parent', 'blue whale singing');
  ids.parentA = parentA.id;
  ids.parentAClient = parentA.client;
  ids.parentB = (await stack.addUser(manager, 'parent.b', 'parent', 'red kite flying')).id;
  ids.room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room.id;
  ids.ben = (await manager.post('/api/v1/children', { first_name: 'Ben', last_name: 'Brown', date_of_birth: '2022-02-11', room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  await manager.request('PUT', `/api/v1/children/${ids.ben}/carers/${ids.parentB}`);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('a manager adds a room and a child, invites the parent and records consent', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await menuLink(page, 'Rooms and children');
  await page.getByRole('heading', { name: 'Rooms and children' }).waitFor();
  await page.getByLabel('Room name').fill('Reception');
  await page.getByLabel('Families see entries').selectOption('scheduled');
  await page.getByRole('button', { name: 'Add room' }).click();
  await page.getByText('Released on set dates').waitFor();
  await page.getByLabel('Add a release date for Reception').fill('2027-02-12');
  await page.getByRole('button', { name: 'Add date' }).click();
  await page.getByText(/Release dates: Fri 12 Feb 2027/).waitFor();

  await page.getByLabel('First name').fill('Ava');
  await page.getByLabel('Last name').fill('Ahmed');
  await page.getByLabel('Date of birth').fill('2022-01-10');
  await page.getByLabel('Room', { exact: true }).selectOption({ label: 'Nursery' });
  await page.getByLabel('Start date').fill('2025-09-01');
  await page.getByLabel('Key person').selectOption({ label: 'Name kate' });
  await page.getByRole('button', { name: 'Add child' }).click();
  await page.getByText('Child added.').waitFor();
  await checkScreen(page, 'rooms-and-children');

  await page.getByRole('link', { name: 'Ava Ahmed' }).click();
  await page.getByRole('heading', { name: 'Ava Ahmed' }).waitFor();
  // The family is invited with a letter whose code is bound to Ava (tests/browser/invitations.test.mjs
  // covers the letter and the join page); parent.a already has an account, so a manager confirms.
  const avaPage = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Invite Ava’s parent or carer' }).click();
  const code = (await page.getByTestId('invitation-code').textContent()).trim();
  await page.getByRole('button', { name: 'Done' }).click();
  assert.equal((await ids.parentAClient.post('/api/v1/invitations/claim', { code })).status, 202);
  await page.goto('/manage/invitations');
  await page.getByRole('button', { name: 'Confirm: Name parent.a sees Ava Ahmed’s journal' }).click();
  await page.getByText('Name parent.a now sees Ava’s journal.').waitFor();
  await page.goto(avaPage);
  await page.getByRole('heading', { name: 'Ava Ahmed' }).waitFor();
  await page.getByRole('list', { name: 'Attached accounts' }).getByText('Name parent.a').waitFor();
  await page.getByLabel(/in their own journal/).check();
  await page.getByRole('button', { name: 'Record consent' }).click();
  await page.getByText('Consent recorded.').waitFor();
  await page.getByText(/own journal yes, other journals no, opted out no/).waitFor();
  await checkScreen(page, 'child-consent');
  ids.ava = new URL(page.url()).pathname.split('/').pop();
  await page.context().close();
});

test('staff record an observation about two children, linked to the curriculum', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, 'kate', 'green apple orchard');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await menuLink(page, 'Children');
  await page.getByRole('link', { name: 'Ben Brown' }).waitFor();
  await page.getByLabel('Only my key children').check();
  await page.getByRole('link', { name: 'Ben Brown' }).waitFor({ state: 'detached' });  // Kate is Ava's key person only
  await page.getByRole('link', { name: 'Ava Ahmed' }).waitFor();
  await checkScreen(page, 'staff-children');

  // Observations are recorded photo first (tests/browser/recording.test.mjs has the rest).
  await page.goto('/staff/entries/new');
  await page.getByLabel('Title').fill('Tower of ten blocks');
  await page.getByLabel('What happened').fill('Built a tower together and counted the blocks.');
  await page.getByRole('button', { name: 'Save to journal' }).click();
  assert.match(await page.locator('.form-error, .field-error').first().textContent(), /at least one child/);
  const picker = page.locator('nb-child-picker');
  // Kate is Ava's key person; Ava may not be in other children's photos, Ben has no consent form.
  const ava = picker.getByRole('button', { name: /^Ava Ahmed/ }).first();
  assert.match(await ava.textContent(), /Key child/);
  assert.match(await ava.textContent(), /Not in others’ photos/);
  await ava.click();
  const ben = picker.getByRole('button', { name: /^Ben Brown/ }).first();
  assert.match(await ben.textContent(), /No consent form/);
  await ben.click();
  await page.getByLabel(/Find an area or aspect/).fill('number');
  await page.getByRole('button', { name: 'Mathematics: Number', exact: true }).click();
  await page.getByText('Next steps (optional)').click();
  await page.getByLabel('Next steps').fill('Count to twenty');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));  // the save bar at rest
  await checkScreen(page, 'entry-editor');
  await page.getByRole('button', { name: 'Save to journal' }).click();
  await page.getByRole('heading', { name: 'Saved to the journal ✓' }).waitFor();
  await page.getByRole('link', { name: 'See the entry' }).click();
  await page.getByRole('heading', { name: 'Tower of ten blocks' }).waitFor();
  await page.getByText('Mathematics: Number').waitFor();
  // Text people typed takes its direction from itself (a title or body in Arabic or Hebrew).
  assert.equal(await page.getByRole('heading', { name: 'Tower of ten blocks' }).getAttribute('dir'), 'auto');
  assert.equal(await page.getByText('Built a tower together and counted the blocks.').getAttribute('dir'), 'auto');
  await checkScreen(page, 'staff-entry');

  // Any member of staff may amend; the previous version is kept.
  await page.getByRole('button', { name: 'Amend this entry' }).click();
  await page.getByLabel('Title').fill('Tower of twelve blocks');
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await page.getByText('Saved. The previous version is kept.').waitFor();
  await page.getByRole('heading', { name: 'Tower of twelve blocks' }).waitFor();
  await page.getByText('Earlier versions (1)').click();
  await page.getByText(/Version 1, replaced .*“Tower of ten blocks”/).waitFor();
  await checkScreen(page, 'staff-entry-amended');

  await page.getByRole('link', { name: '← Journal' }).click();
  await page.getByRole('link', { name: 'Tower of twelve blocks' }).waitFor();
  await page.getByLabel('Curriculum').selectOption('eyfs.l.w');
  await page.getByText('No entries match.').waitFor();
  await page.getByLabel('Curriculum').selectOption('eyfs.m.n');
  await page.getByRole('link', { name: 'Tower of twelve blocks' }).waitFor();
  await page.getByLabel('Observed from').fill('2099-01-01');
  await page.getByLabel('Observed from').dispatchEvent('change');
  await page.getByText('No entries match.').waitFor();
  await checkScreen(page, 'staff-journal-filtered');
  assertNoPageErrors(page);
  await page.context().close();
});

test('a parent accepts the agreement, sees only their own child, and comments privately', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, 'parent.a', 'blue whale singing');
  await page.getByRole('heading', { name: 'Before you start' }).waitFor();
  await checkScreen(page, 'parent-agreement');
  await page.getByRole('button', { name: 'I agree' }).click();
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  await page.getByRole('link', { name: 'Tower of twelve blocks' }).waitFor();
  const feedText = await page.locator('main').textContent();
  assert.ok(!feedText.includes('Ben'), 'another child is never named in the feed');
  await checkScreen(page, 'parent-feed');
  await page.getByRole('link', { name: 'Tower of twelve blocks' }).click();
  await page.getByRole('heading', { name: 'Comments about Ava' }).waitFor();
  await page.getByLabel('Your comment').fill('Ava counted our stairs at home too!');
  await page.getByRole('button', { name: 'Send comment' }).click();
  await page.getByText('Ava counted our stairs at home too!').waitFor();
  // Names inside the app's sentences are isolated; a comment takes its direction from itself.
  assert.equal(await page.getByRole('heading', { name: 'Comments about Ava' }).locator('bdi').textContent(), 'Ava');
  assert.equal(await page.getByText('Ava counted our stairs at home too!').getAttribute('dir'), 'auto');
  await checkScreen(page, 'parent-entry');

  await page.goto('/journal/home');
  await page.getByLabel('What happened').fill('Planting seeds');
  await page.getByLabel('Tell us more').fill('Ava watered the seeds every morning.');
  await page.getByRole('button', { name: 'Send to staff' }).click();
  await page.getByText(/waiting for staff to approve it/).waitFor();
  await checkScreen(page, 'parent-home-observation');
  await page.context().close();

  // The other family sees the same entry with only Ben, and none of Ava's family's words.
  const other = await openPage(browser, stack);
  await signIn(other, 'parent.b', 'red kite flying');
  await other.getByRole('button', { name: 'I agree' }).click();
  await other.getByRole('link', { name: 'Tower of twelve blocks' }).click();
  await other.getByRole('heading', { name: 'Comments about Ben' }).waitFor();
  const text = await other.locator('main').textContent();
  assert.ok(!text.includes('Ava'), 'nothing of Ava reaches Ben’s family');
  assert.ok(!text.includes('stairs'), 'the other family’s comment is not shown');
  assertNoPageErrors(other);
  await other.context().close();
});

test('staff approve the home observation into the journal', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, 'kate', 'green apple orchard');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto('/staff/contributions');
  await page.locator('.card-title', { hasText: /^Planting seeds$/ }).waitFor();
  await checkScreen(page, 'staff-contributions');
  await page.getByRole('button', { name: 'Approve “Planting seeds”' }).click();
  await page.getByText('“Planting seeds” is now in the journal.').waitFor();
  await page.getByText('Nothing is waiting.').waitFor();
  await page.context().close();

  const parent = stack.client();
  await parent.signIn('parent.a', 'blue whale singing');
  const feed = (await parent.get('/api/v1/feed')).json.entries.map((e) => e.title);
  assert.ok(feed.includes('Planting seeds'));
});

test('parents cannot open staff pages and staff cannot open the family journal', async () => {
  const page = await openPage(browser, stack);
  await signIn(page, 'parent.b', 'red kite flying');
  await page.getByRole('heading', { name: /journal/, level: 1 }).waitFor();
  await page.goto('/staff/journal');
  await page.getByRole('heading', { name: 'This page is for staff' }).waitFor();
  await page.goto('/manage/children');
  await page.getByRole('heading', { name: 'This page is for managers' }).waitFor();
  await page.context().close();
});

test('an entry naming a child hidden from a receiving family warns staff, who write “a friend” instead', async () => {
  // Cara may not appear in other children's journals.
  const cara = (await manager.post('/api/v1/children', { first_name: 'Cara', last_name: 'Clark', date_of_birth: '2022-03-12',
    room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  assert.equal((await manager.request('PUT', `/api/v1/children/${cara}/consent`,
    { body: { own_journal_photos: true, other_journals: false, online_journal_opt_out: false } })).status, 200);
  const kate = stack.client();
  assert.equal((await kate.signIn('kate', 'green apple orchard')).status, 200);
  const saved = await kate.post('/api/v1/entries', { kind: 'observation', title: 'Den day', observed_on: '2026-11-20',
    body: 'Ben and Cara built a den. Cara made the door.', child_ids: [ids.ben] });
  assert.equal(saved.status, 201, 'saved all the same');
  assert.deepEqual(saved.json.entry.warnings.map((w) => [w.code, w.child_id, w.hidden_from]), [['names_hidden_child', cara, [ids.ben]]]);

  const page = await openPage(browser, stack, TABLET);
  await signIn(page, 'kate', 'green apple orchard');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto(`/staff/entries/${saved.json.entry.id}`);
  const warning = page.getByTestId('naming-warnings');
  await page.getByRole('heading', { name: 'Den day' }).waitFor();
  await warning.getByText('The words name Cara, whom the family of Ben may not see.').waitFor();
  await checkScreen(page, 'naming-warning');
  await warning.getByRole('button', { name: /Write “a friend” instead of/ }).click();
  await page.getByText('Cara is now “a friend” in this entry.').waitFor();
  await warning.waitFor({ state: 'detached' });
  const entry = (await kate.get(`/api/v1/entries/${saved.json.entry.id}`)).json.entry;
  assert.equal(entry.body, 'Ben and a friend built a den. A friend made the door.');
  assert.deepEqual(entry.warnings, []);
  assertNoPageErrors(page);
});
