// Families linked safely (issue 16) in Chromium against the real stack: a manager invites a
// child's family from the child's page with a printed letter (the code on one line, a QR code,
// one A4 page) instead of a list of every parent account; a new parent joins with the code at
// phone size and reads the agreement and their child's recorded consent before the journal; a
// used code fails with the box's plain message; a parent who already has an account claims a
// code and waits until a manager confirms on /manage/invitations, which names the child and the
// account's current children; invitations are cancelled and links refused behind a confirmation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSetUpStack, MANAGER_PASSWORD, repoRoot } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, PHONE, TABLET } from './browser.mjs';

let stack, manager, browser, office, sam;
const ids = {};
const codes = {};
const SAM = ['sam.parent', 'blue whale singing'];
const AMIRA = { username: 'amira.ahmed', name: 'Amira Ahmed', password: 'Tall giraffe reading 7' };
const CODE = /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/;

// Links an account to a child the only way there is now: an invitation the account claims and
// a manager confirms.
async function linkByInvitation(childId, client) {
  const made = await manager.post(`/api/v1/children/${childId}/invitations`, {});
  assert.equal(made.status, 201, made.text);
  const claimed = await client.post('/api/v1/invitations/claim', { code: made.json.invitation.code });
  assert.equal(claimed.status, 202, claimed.text);
  const confirmed = await manager.post(`/api/v1/invitations/${made.json.invitation.id}/confirm`, {});
  assert.equal(confirmed.status, 200, confirmed.text);
}

async function childrenOf(client) {
  const res = await client.get('/api/v1/children');
  assert.equal(res.status, 200, res.text);
  return res.json.children.map((c) => c.first_name).sort();
}

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  ids.room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room.id;
  const child = async (first, last) => (await manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.tobi = await child('Tobi', 'Smith');
  ids.ben = await child('Ben', 'Brown');
  const consent = await manager.request('PUT', `/api/v1/children/${ids.ava}/consent`, { body: {
    own_journal_photos: true, other_journals: false, online_journal_opt_out: false, note: 'Form signed at the home visit' } });
  assert.equal(consent.status, 200, consent.text);
  // Sam already has an account, for Tobi.
  const added = await stack.addUser(manager, SAM[0], 'parent', SAM[1]);
  sam = added.client;
  ids.sam = added.id;
  await linkByInvitation(ids.tobi, sam);
  office = await openPage(browser, stack, TABLET);
  await signIn(office, 'manager', MANAGER_PASSWORD);
  await office.getByRole('heading', { name: /Hello/ }).waitFor();
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('a manager invites a child’s family from the child’s page with a printed letter; no list of parent accounts', async () => {
  const asked = [];
  office.on('request', (r) => asked.push(new URL(r.url()).pathname + new URL(r.url()).search));
  await office.goto(`/manage/children/${ids.ava}`);
  await office.getByRole('heading', { name: 'Ava Ahmed' }).waitFor();
  await office.getByRole('heading', { name: 'Parents and carers' }).waitFor();
  // The one mistake this product exists to prevent: nothing here lists parent accounts.
  assert.equal(await office.getByLabel('Attach a parent account').count(), 0);
  assert.equal(await office.locator('main select').count(), 0, 'no dropdown on the child’s page');
  assert.ok(!(await office.locator('main').textContent()).includes(SAM[0]), 'another family’s account is not offered');
  assert.ok(!asked.some((p) => p.startsWith('/api/v1/users')), `the page asks for no list of accounts: ${asked.join(' ')}`);
  await checkScreen(office, 'child-parents-and-carers');

  await office.getByRole('button', { name: 'Invite Ava’s parent or carer' }).click();
  await office.getByRole('heading', { name: 'An invitation to Ava’s learning journal' }).waitFor();
  const letter = office.locator('article.letter');
  assert.equal(await letter.locator('.letter-setting').textContent(), 'Rainbow Nursery');
  await letter.getByText('Dear parent or carer of Ava,').waitFor();
  await letter.getByText(/kept on Nestbox, a small box in our own building/).waitFor();
  const codeLine = letter.getByTestId('invitation-code');
  codes.ava = (await codeLine.textContent()).trim();
  assert.match(codes.ava, CODE);
  const qr = letter.getByRole('img', { name: 'QR code to join Ava’s journal' });
  assert.equal(await qr.getAttribute('data-text'), `https://localhost:${stack.httpsPort}/join#code=${codes.ava}`);
  await letter.getByText(`https://localhost:${stack.httpsPort}/join`, { exact: true }).waitFor();
  await office.getByText('The code is shown only this once.').waitFor();

  // The code sits on one line, at phone and tablet size, without running out of the letter.
  for (const viewport of [PHONE, TABLET]) {
    await office.setViewportSize(viewport);
    const lines = await codeLine.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return { tops: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, fits: el.scrollWidth <= el.clientWidth };
    });
    assert.deepEqual(lines, { tops: 1, fits: true }, `the code on one line at ${viewport.width}px`);
  }
  await office.setViewportSize(TABLET);
  await checkScreen(office, 'invitation-letter');

  // Printed: only the letter, on one A4 page.
  await office.emulateMedia({ media: 'print' });
  assert.equal(await office.locator('header.top').isVisible(), false, 'no menu on paper');
  assert.equal(await office.getByRole('button', { name: 'Print the letter' }).isVisible(), false, 'no buttons on paper');
  assert.equal(await codeLine.isVisible(), true);
  const artifacts = path.join(repoRoot, 'tests/artifacts/screenshots');
  fs.mkdirSync(artifacts, { recursive: true });
  await office.screenshot({ path: path.join(artifacts, 'invitation-letter-print.png'), fullPage: true });
  const pdf = await office.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  fs.writeFileSync(path.join(artifacts, 'invitation-letter.pdf'), pdf);
  assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length, 1, 'the letter prints on one page');
  await office.emulateMedia({ media: 'screen' });

  await office.getByRole('button', { name: 'Done' }).click();
  await office.getByRole('heading', { name: 'Ava Ahmed' }).waitFor();
  await office.getByText(/The invitation is open until/).waitFor();
  const list = office.getByRole('list', { name: 'Invitations' });
  await list.getByText('Open', { exact: true }).waitFor();
  assert.ok(!(await office.locator('main').textContent()).includes(codes.ava), 'the code is not shown again');
  const listed = await manager.get(`/api/v1/children/${ids.ava}/invitations`);
  assert.equal(listed.status, 200);
  assert.ok(!listed.text.includes(codes.ava), 'the box never lists the code');
  assertNoPageErrors(office);
});

test('a new parent joins with the code on a phone, then reads the agreement and Ava’s consent before the journal', async () => {
  const page = await openPage(browser, stack, PHONE);
  const sent = [];
  page.on('request', (r) => { if (!r.isNavigationRequest()) sent.push(r.url()); });
  await page.goto(`/join#code=${codes.ava}`);
  await page.getByRole('heading', { name: 'Join your child’s journal' }).waitFor();
  assert.equal(await page.getByLabel('Code from your letter').inputValue(), codes.ava);
  await checkScreen(page, 'join');
  // The box's answers land beside the field they are about.
  await page.getByLabel('Username').fill(SAM[0]);
  await page.getByLabel('Your name').fill(AMIRA.name);
  await page.getByLabel('Password', { exact: true }).fill(AMIRA.password);
  await page.getByLabel('Password again').fill(AMIRA.password);
  await page.getByRole('button', { name: 'Make my account' }).click();
  await page.locator('#join-username-error').waitFor();
  await page.getByLabel('Username').fill(AMIRA.username);
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByLabel('Password again').fill('too short');
  await page.getByRole('button', { name: 'Make my account' }).click();
  await page.locator('#join-password-error').waitFor();
  await page.getByLabel('Password', { exact: true }).fill(AMIRA.password);
  await page.getByLabel('Password again').fill('Tall giraffe reading 8');
  await page.getByRole('button', { name: 'Make my account' }).click();
  await page.locator('#join-confirm-error').getByText('The two passwords are not the same.').waitFor();
  await page.getByLabel('Password again').fill(AMIRA.password);
  await page.getByRole('button', { name: 'Make my account' }).click();
  await page.getByRole('heading', { name: 'Your account is ready' }).waitFor();
  await page.getByText('You are linked to Ava’s journal.').waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the used code leaves the address');
  assert.ok(!sent.some((u) => u.includes(codes.ava)), 'the code travels in no address the page asks for');
  await checkScreen(page, 'join-done');

  assert.equal(await page.getByLabel('Username').inputValue(), AMIRA.username);
  await page.getByLabel('Password', { exact: true }).fill(AMIRA.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Before you start' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/journal');
  await page.getByText(/keep your login details to yourself/).waitFor();
  await page.getByRole('heading', { name: 'Photos: what the setting recorded' }).waitFor();
  await page.getByRole('heading', { name: 'Ava', exact: true }).waitFor();
  await page.getByText('Photos and videos of Ava may be in Ava’s own journal.').waitFor();
  await page.getByText(/Ava does not appear in other children’s journals/).waitFor();
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes('home visit'), 'the setting’s note is not shown to the family');
  assert.ok(!text.includes('Tobi') && !text.includes('Ben'), 'only their own child');
  await checkScreen(page, 'join-agreement-consent');
  await page.getByRole('button', { name: 'I agree' }).click();
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();

  await office.reload();
  await office.getByRole('list', { name: 'Attached accounts' }).getByText(AMIRA.name).waitFor();
  await office.getByRole('list', { name: 'Invitations' }).getByText(`used by ${AMIRA.name}`).waitFor();
});

test('a used code fails with the box’s plain message', async () => {
  const page = await openPage(browser, stack, PHONE);
  await page.goto(`/join#code=${codes.ava}`);
  await page.getByLabel('Username').fill('someone.else');
  await page.getByLabel('Your name').fill('Someone Else');
  await page.getByLabel('Password', { exact: true }).fill('Another long password 1');
  await page.getByLabel('Password again').fill('Another long password 1');
  await page.getByRole('button', { name: 'Make my account' }).click();
  const error = page.locator('#join-code-error');
  await error.waitFor();
  assert.match(await error.textContent(), /This invitation code does not work/);
  assert.equal(await page.getByLabel('Code from your letter').getAttribute('aria-invalid'), 'true');
  await checkScreen(page, 'join-used-code');
  const made = await stack.client().post('/api/v1/auth/sign-in', { username: 'someone.else', password: 'Another long password 1' });
  assert.notEqual(made.status, 200, 'no account was made');
  assertNoPageErrors(page);
  await page.context().close();
});

test('a parent who already has an account claims a code; a manager confirms it, seeing the child and the account’s children', async () => {
  const made = await manager.post(`/api/v1/children/${ids.ava}/invitations`, {});
  assert.equal(made.status, 201, made.text);
  codes.avaForSam = made.json.invitation.code;

  const page = await openPage(browser, stack, PHONE);
  await page.goto(`/join#code=${codes.avaForSam}`);
  await page.getByRole('button', { name: 'I already have an account' }).click();
  await page.getByRole('heading', { name: 'Use the account you have' }).waitFor();
  assert.equal(await page.getByLabel('Code from your letter').inputValue(), codes.avaForSam);
  await checkScreen(page, 'join-existing-account');
  await page.getByLabel('Username').fill(SAM[0]);
  await page.getByLabel('Password', { exact: true }).fill(SAM[1]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Waiting for the setting' }).waitFor();
  await page.getByText('A manager of the setting will check the link between your account and Ava and confirm it.').waitFor();
  await page.getByText('Until then, Ava’s journal does not appear in your account.').waitFor();
  await checkScreen(page, 'join-claimed');
  assert.deepEqual(await childrenOf(sam), ['Tobi'], 'nothing changes until a manager confirms');

  // Sam's agreement screen shows the child Sam has now, whose consent is not recorded yet.
  await page.getByRole('link', { name: 'Go to your journal' }).click();
  await page.getByRole('heading', { name: 'Before you start' }).waitFor();
  await page.getByText('The setting has not recorded a consent form for Tobi yet.', { exact: false }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Ava', exact: true }).count(), 0);

  // The child's page says a link is waiting.
  await office.goto(`/manage/children/${ids.ava}`);
  const invitations = office.getByRole('list', { name: 'Invitations' });
  await invitations.getByText('Waiting for a manager').waitFor();
  await invitations.getByText(/claimed by Name sam\.parent/).waitFor();
  await invitations.getByRole('link', { name: 'Confirm or refuse the link' }).click();

  await office.getByRole('heading', { name: 'Links to confirm' }).waitFor();
  const card = office.locator('ul.cards > li', { hasText: 'Name sam.parent' });
  await card.getByRole('link', { name: 'Ava Ahmed' }).waitFor();
  await card.getByText('(Nursery)').waitFor();
  await card.getByText('This account sees now: Tobi Smith.').waitFor();
  await card.getByText('Username: sam.parent').waitFor();
  await checkScreen(office, 'invitations-waiting');
  await card.getByRole('button', { name: 'Confirm: Name sam.parent sees Ava Ahmed’s journal' }).click();
  await office.getByText('Name sam.parent now sees Ava’s journal.').waitFor();
  await office.getByText('Nothing is waiting.').waitFor();
  assert.deepEqual(await childrenOf(sam), ['Ava', 'Tobi']);

  // Both children and their consent on Sam's agreement screen.
  await page.reload();
  await page.getByRole('heading', { name: 'Ava', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Tobi', exact: true }).waitFor();
  await page.getByText('Photos and videos of Ava may be in Ava’s own journal.').waitFor();
  await checkScreen(page, 'agreement-consent-two-children');
  assertNoPageErrors(page);
  assertNoPageErrors(office);
  await page.context().close();
});

test('a manager refuses a waiting link behind a confirmation', async () => {
  const made = await manager.post(`/api/v1/children/${ids.ben}/invitations`, {});
  assert.equal(made.status, 201, made.text);
  assert.equal((await sam.post('/api/v1/invitations/claim', { code: made.json.invitation.code })).status, 202);
  await office.goto('/manage/invitations');
  const card = office.locator('ul.cards > li', { hasText: 'Name sam.parent' });
  await card.getByRole('link', { name: 'Ben Brown' }).waitFor();
  await card.getByText(/^This account sees now: (Ava Ahmed and Tobi Smith|Tobi Smith and Ava Ahmed)\.$/).waitFor();
  await card.getByRole('button', { name: 'Refuse: Name sam.parent for Ben Brown' }).click();
  await card.getByText('Refuse? Name sam.parent will not see Ben’s journal, and the code stops working.').waitFor();
  await checkScreen(office, 'invitations-refuse');
  await card.getByRole('button', { name: 'Yes, refuse' }).click();
  await office.getByText(/^Refused\./).waitFor();
  await office.getByText('Nothing is waiting.').waitFor();
  assert.deepEqual(await childrenOf(sam), ['Ava', 'Tobi']);
  const listed = (await manager.get(`/api/v1/children/${ids.ben}/invitations`)).json.invitations;
  assert.deepEqual(listed.map((i) => i.state), ['cancelled']);
  assertNoPageErrors(office);
});

test('an open invitation is cancelled behind a confirmation, and its code stops working', async () => {
  await office.goto(`/manage/children/${ids.ben}`);
  await office.getByRole('button', { name: 'Invite Ben’s parent or carer' }).click();
  const code = (await office.getByTestId('invitation-code').textContent()).trim();
  assert.match(code, CODE);
  await office.getByRole('button', { name: 'Done' }).click();
  const list = office.getByRole('list', { name: 'Invitations' });
  const open = list.locator('li', { hasText: 'works until' });
  await open.getByRole('button', { name: /^Cancel the invitation made/ }).click();
  await open.getByText('Cancel this invitation? Its code stops working at once, also on a printed letter.').waitFor();
  await checkScreen(office, 'invitation-cancel');
  await open.getByRole('button', { name: 'Keep it' }).click();
  await open.getByRole('button', { name: /^Cancel the invitation made/ }).click();
  await open.getByRole('button', { name: 'Yes, cancel it' }).click();
  await office.getByText('Invitation cancelled. Its code no longer works.').waitFor();
  assert.equal(await list.getByText('Cancelled', { exact: true }).count(), 2);
  const tried = await stack.client().post('/api/v1/invitations/redeem', {
    code, username: 'ben.family', display_name: 'Ben’s family', password: 'Another long password 2' });
  assert.equal(tried.status, 400, tried.text);
  assert.equal(tried.json.error, 'invalid_invitation');
  assertNoPageErrors(office);
});

test('detaching a carer asks first', async () => {
  await office.goto(`/manage/children/${ids.ava}`);
  const carers = office.getByRole('list', { name: 'Attached accounts' });
  await carers.getByRole('button', { name: `Detach ${AMIRA.name}` }).click();
  await carers.getByText(`Detach ${AMIRA.name}? They stop seeing Ava’s journal at once.`).waitFor();
  await checkScreen(office, 'child-detach-confirm');
  await carers.getByRole('button', { name: 'Yes, detach' }).click();
  await office.getByText(`${AMIRA.name} no longer sees this child’s journal.`).waitFor();
  assert.equal(await carers.getByText(AMIRA.name).count(), 0);
  await carers.getByText('Name sam.parent', { exact: false }).waitFor();
  assertNoPageErrors(office);
});

test('the setting chooses how long invitation codes work', async () => {
  await office.goto('/manage/settings');
  const days = office.getByLabel('Invitation codes work for this many days');
  assert.equal(await days.inputValue(), '14');
  await days.fill('30');
  await office.getByRole('button', { name: 'Save setting' }).click();
  await office.getByText(/^Saved\./).waitFor();
  assert.equal((await manager.get('/api/v1/settings')).json.setting.invitation_days, 30);
  const made = (await manager.post(`/api/v1/children/${ids.ben}/invitations`, {})).json.invitation;
  const lasts = (Date.parse(made.expires_at) - Date.parse(made.created_at)) / 86400000;
  assert.ok(Math.abs(lasts - 30) < 0.01, `an invitation made now works 30 days (${lasts})`);
  await days.fill('91');
  await office.getByRole('button', { name: 'Save setting' }).click();
  await office.locator('#setting-invitation_days-error, .form-error').first().waitFor();
  assertNoPageErrors(office);
});
