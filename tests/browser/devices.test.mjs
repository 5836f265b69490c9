// Registered devices in Chromium against the real stack: a manager registers a tablet on the
// devices screen (code and QR code); the tablet enrols at /enrol and staff sign in on it; the
// shared-tablet PIN switch, with a wrong PIN first; child view shows one child's journal and
// needs a staff PIN to leave; a tablet reported lost is signed out at once and cannot sign in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startSetUpStack } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, choosePin, assertNoPageErrors, menuLink, PHONE, TABLET } from './browser.mjs';

let stack, manager, browser, kate, tabletPage, tabletName;
const ids = {};
const KATE = ['kate', 'green apple orchard'];
const MANAGER = ['manager', 'Correct horse battery 9'];

before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  const added = await stack.addUser(manager, KATE[0], 'staff', KATE[1]);
  kate = added.client;
  ids.kate = added.id;
  assert.equal((await kate.post('/api/v1/me/pin', { password: KATE[1], pin: '4826' })).status, 200);
  ids.room = (await manager.post('/api/v1/rooms', { name: 'Blue room', release_mode: 'live' })).json.room.id;
  const child = async (first, last) => (await manager.post('/api/v1/children', {
    first_name: first, last_name: last, date_of_birth: '2022-01-10', room_id: ids.room, started_on: '2025-09-01' })).json.child.id;
  ids.ava = await child('Ava', 'Ahmed');
  ids.ben = await child('Ben', 'Brown');
  const entry = async (title, childIds) => (await kate.post('/api/v1/entries', {
    kind: 'observation', status: 'journal', title, body: 'We played outside.', next_steps: '', observed_on: '2026-03-02',
    child_ids: childIds, aspect_ids: [] })).json.entry.id;
  ids.avaEntry = await entry('Puddle jumping', [ids.ava]);
  ids.benEntry = await entry('Ben’s sandcastle', [ids.ben]);
  ids.group = await entry('Our garden', [ids.ava, ids.ben]);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

test('a manager registers a tablet; the tablet enrols with the code and staff sign in on it', async () => {
  const office = await openPage(browser, stack, TABLET);
  await signIn(office, ...MANAGER);
  await office.getByRole('heading', { name: /Hello/ }).waitFor();
  await menuLink(office, 'Devices');
  await office.getByRole('heading', { name: 'Devices' }).waitFor();
  // Where to open Nestbox on a new tablet, in plain words; the network's details are for IT support.
  const box = office.locator('nb-box-address');
  await box.getByTestId('box-url').waitFor();
  assert.equal(await box.getByTestId('box-url').textContent(), `https://nestbox-test.local:${stack.httpsPort}/`);
  await box.getByRole('img', { name: /^QR code for https:/ }).waitFor();
  assert.equal(await box.getByTestId('ca-fingerprint').count(), 0, 'no fingerprint on the devices screen');
  assert.doesNotMatch(await box.textContent(), /mDNS|IPv6|fingerprint|\[fe80/);
  await box.scrollIntoViewIfNeeded();
  await checkScreen(office, 'devices-box-address');
  // ...which are on the IT details page: the address, mDNS, every address, the CA fingerprint.
  await box.getByRole('link', { name: 'IT details' }).click();
  await office.getByRole('heading', { name: 'IT details' }).waitFor();
  const details = office.locator('nb-box-details');
  await details.getByTestId('box-url').waitFor();
  assert.equal(await details.getByTestId('box-url').textContent(), `https://nestbox-test.local:${stack.httpsPort}/`);
  assert.equal((await details.getByTestId('ca-fingerprint').textContent()).trim(), new crypto.X509Certificate(stack.ca).fingerprint256);
  assert.match(await details.getByTestId('mdns-warning').textContent(), /Not announced on the network[\s\S]*mdns = off/);
  assert.equal(await details.getByRole('link', { name: 'Download the box’s certificate' }).getAttribute('href'), '/api/v1/ca.crt');
  await office.locator('.it-devices').getByText('Test tablet').waitFor();
  await checkScreen(office, 'it-details');
  await office.getByRole('link', { name: '← Devices' }).click();
  await office.getByRole('heading', { name: 'Devices' }).waitFor();
  await office.getByRole('button', { name: 'Get an enrolment code' }).click();
  await office.getByText('Name the tablet so staff know which one it is').waitFor();
  tabletName = 'Blue room iPad 2';
  await office.getByLabel('Name', { exact: true }).fill(tabletName);
  await office.getByLabel('Room').selectOption({ label: 'Blue room' });
  await office.getByRole('button', { name: 'Get an enrolment code' }).click();
  const codeText = office.locator('.enrolment nb-copy-code .code');
  const code = (await codeText.textContent()).trim();
  assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
  await office.getByRole('img', { name: 'QR code for the enrolment address' }).waitFor();
  // The code copies with one button, and says so to a screen reader.
  await office.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await office.getByRole('button', { name: 'Copy enrolment code' }).click();
  await office.getByRole('status').filter({ hasText: /^Copied$/ }).waitFor();
  assert.equal(await office.evaluate(() => navigator.clipboard.readText()), code);
  // On a phone it stays on one line, inside the screen.
  await office.setViewportSize(PHONE);
  const line = await codeText.evaluate((el) => ({ rects: el.getClientRects().length, right: el.getBoundingClientRect().right }));
  assert.equal(line.rects, 1, 'the code is on one line');
  assert.ok(line.right <= PHONE.width, `the code fits the phone's width (${line.right}px)`);
  await office.setViewportSize(TABLET);
  await checkScreen(office, 'devices-enrolment-code');

  // Each tablet has its own name: the box refuses a second one, and the page says so beside the field.
  await office.getByLabel('Name', { exact: true }).fill(tabletName);
  await office.getByRole('button', { name: 'Get an enrolment code' }).click();
  await office.locator('#devices-name-error').waitFor();
  assert.equal(await office.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
  await checkScreen(office, 'devices-name-taken');
  const taken = await manager.post('/api/v1/devices', { name: tabletName });
  assert.equal(taken.status, 409);
  assert.equal(taken.json.error, 'name_taken');
  assert.equal(taken.json.field, 'name');
  // Renaming another tablet to that name is refused beside the rename form's own field.
  const other = office.locator('ul.cards > li', { hasText: 'Test tablet' });
  await other.getByRole('button', { name: 'Rename Test tablet' }).click();
  await other.getByLabel('Name', { exact: true }).fill(tabletName);
  await other.getByRole('button', { name: 'Save' }).click();
  await other.locator('#rename-name-error').waitFor();
  assert.equal(await office.locator('#devices-name-error').count(), 0);
  await other.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await manager.get('/api/v1/devices')).json.devices.filter((d) => d.name === tabletName).length, 1);

  tabletPage = await openPage(browser, stack, TABLET);
  await tabletPage.goto('/sign-in');
  await tabletPage.getByLabel('Username').fill(KATE[0]);
  await tabletPage.getByLabel('Password', { exact: true }).fill(KATE[1]);
  await tabletPage.getByRole('button', { name: 'Sign in' }).click();
  await tabletPage.locator('.form-error').getByText(/registered tablets/).waitFor();
  await tabletPage.locator('.notice').getByRole('link', { name: 'Register this tablet' }).click();
  await tabletPage.getByRole('heading', { name: 'Register this tablet' }).waitFor();
  await tabletPage.getByLabel('Enrolment code').fill('ABCD-EFGH-JKMN-PQRS');
  await tabletPage.getByRole('button', { name: 'Register this tablet' }).click();
  await tabletPage.locator('.field-error').getByText(/wrong, used or expired/).waitFor();
  await tabletPage.getByLabel('Enrolment code').fill(code.toLowerCase());
  await tabletPage.getByRole('button', { name: 'Register this tablet' }).click();
  await tabletPage.getByRole('heading', { name: 'Tablet registered' }).waitFor();
  await tabletPage.getByText('Add Nestbox to the Home Screen').waitFor();
  await checkScreen(tabletPage, 'devices-enrolled');
  await tabletPage.getByRole('link', { name: 'Sign in' }).click();
  await tabletPage.getByText(`This tablet: ${tabletName}`).waitFor();
  await tabletPage.getByLabel('Username').fill(KATE[0]);
  await tabletPage.getByLabel('Password', { exact: true }).fill(KATE[1]);
  await tabletPage.getByRole('button', { name: 'Sign in' }).click();
  await tabletPage.getByRole('heading', { name: /Hello/ }).waitFor();

  // The devices screen shows who used it last.
  await office.reload();
  const card = office.locator('ul.cards > li', { hasText: tabletName });
  await card.getByText('last used by Name kate').waitFor();
  await card.getByText('Active').waitFor();
  // Rare and destructive actions are behind "More…"; re-enrolling asks first.
  assert.equal(await card.getByRole('button', { name: 'Re-enrol…' }).isVisible(), false);
  await card.locator('summary').click();
  await checkScreen(office, 'devices-more-menu');
  await card.getByRole('button', { name: 'Re-enrol…' }).click();
  await card.getByText(`Re-enrol ${tabletName}?`).waitFor();
  await checkScreen(office, 'devices-re-enrol-confirm');
  await card.getByRole('button', { name: 'Cancel' }).click();
  await card.getByText(`Re-enrol ${tabletName}?`).waitFor({ state: 'detached' });
  // The MDM tier: a certificate bundle to download, and its password shown once.
  await card.locator('summary').click();
  await card.getByRole('button', { name: 'MDM certificate…' }).click();
  const download = office.waitForEvent('download');
  await office.getByRole('link', { name: 'Download Blue-room-iPad-2.p12' }).click();
  assert.equal((await download).suggestedFilename(), 'Blue-room-iPad-2.p12');
  assert.match(await office.locator('.enrolment .code').textContent(), /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
  await office.getByRole('button', { name: 'Copy certificate password' }).waitFor();
  // A second certificate would stop the first: that asks first too.
  await card.locator('summary').click();
  await card.getByRole('button', { name: 'MDM certificate…' }).click();
  await card.getByText(`Issue a new MDM certificate for ${tabletName}?`).waitFor();
  await card.getByRole('button', { name: 'Cancel' }).click();
  await office.goto('/manage/it');
  await office.locator('.it-devices li', { hasText: tabletName }).getByText(/MDM client certificate issued/).waitFor();
  assertNoPageErrors(office);
  assertNoPageErrors(tabletPage);
  await office.context().close();
});

test('staff switch user with their PIN on the tablet; a wrong PIN says how many tries are left', async () => {
  const page = tabletPage;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Who is using the tablet?' }).waitFor();
  await checkScreen(page, 'pin-picker');
  await page.getByRole('button', { name: 'Name kate' }).click();
  await page.getByLabel('PIN').fill('1397');
  await page.getByRole('button', { name: 'Switch to me' }).click();
  await page.locator('.form-error').getByText('That PIN is not right. 4 tries left before your password is needed.').waitFor();
  await page.getByLabel('PIN').fill('4826');
  await page.getByRole('button', { name: 'Switch to me' }).click();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  const session = await page.evaluate(() => fetch('/api/v1/auth/session').then((r) => r.json()));
  assert.equal(session.user.username, 'kate');
  assert.ok(session.device_id, 'the PIN session is bound to the tablet');
  assertNoPageErrors(page);
});

test('a practitioner without a PIN chooses one at their first sign-in on the tablet; the next switch is the PIN pad', async () => {
  const page = tabletPage;
  const nina = await stack.addUser(manager, 'nina', 'staff', 'quiet river stones');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Who is using the tablet?' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Name nina' }).count(), 0, 'no PIN yet: not on the picker');
  await page.getByLabel('Username').fill('nina');
  await page.getByLabel('Password', { exact: true }).fill('quiet river stones');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Choose your PIN' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/account/pin');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'nothing else until the PIN is chosen');
  await checkScreen(page, 'pin-setup');
  // Another address leads back to the PIN screen.
  await page.goto('/staff/journal');
  await page.getByRole('heading', { name: 'Choose your PIN' }).waitFor();
  // Checked in the browser in plain words, then by the box (no runs like 1234).
  await page.getByLabel('PIN', { exact: true }).fill('2580');
  await page.getByLabel('PIN again').fill('2581');
  await page.getByRole('button', { name: 'Set my PIN' }).click();
  await page.locator('.field-error').getByText('The two PINs are not the same.').waitFor();
  await page.getByLabel('PIN', { exact: true }).fill('1234');
  await page.getByLabel('PIN again').fill('1234');
  await page.getByLabel('Your password').fill('quiet river stones');
  await page.getByRole('button', { name: 'Set my PIN' }).click();
  await page.locator('.field-error, .form-error').first().waitFor();
  assert.equal(new URL(page.url()).pathname, '/account/pin');
  await choosePin(page, 'quiet river stones', '5937');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  const who = (await manager.get(`/api/v1/users/${nina.id}`)).json.user;
  assert.equal(who.has_pin, true);
  // The next switch on this tablet is the PIN pad.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Name nina' }).click();
  await page.getByLabel('PIN').fill('5937');
  await page.getByRole('button', { name: 'Switch to me' }).click();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  // Back to kate for the tests after this one.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Name kate' }).click();
  await page.getByLabel('PIN').fill('4826');
  await page.getByRole('button', { name: 'Switch to me' }).click();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  assertNoPageErrors(page);
});

test('child view shows one child’s journal only, and leaving it needs a staff PIN', async () => {
  const page = tabletPage;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Children' }).click();
  await page.getByRole('heading', { name: 'Children' }).waitFor();
  await page.getByRole('button', { name: 'Open child view for Ava' }).click();
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  await page.getByRole('heading', { name: 'Puddle jumping' }).waitFor();
  await page.getByRole('heading', { name: 'Our garden' }).waitFor();
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes('Ben'), 'no other child, even on a group entry');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'no menu in child view');
  await checkScreen(page, 'child-view');
  // Typing another address changes nothing, and the box refuses the API behind it.
  await page.goto('/staff/journal');
  await page.getByRole('heading', { name: 'Ava’s journal' }).waitFor();
  const refused = await page.evaluate(() => fetch('/api/v1/children').then((r) => r.status));
  assert.equal(refused, 403);
  await page.getByRole('button', { name: 'Staff: leave child view' }).click();
  await page.getByLabel('Staff PIN').fill('1111');
  await page.getByRole('button', { name: 'Leave', exact: true }).click();
  await page.locator('.form-error').getByText(/PIN is not right/).waitFor();
  await page.getByLabel('Staff PIN').fill('4826');
  await page.getByRole('button', { name: 'Leave', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  assertNoPageErrors(page);
});

test('a tablet reported lost is signed out at once, managers are alerted, and it cannot sign in again', async () => {
  const other = await openPage(browser, stack, TABLET);
  await signIn(other, ...KATE);  // the setting's other tablet
  await other.getByRole('heading', { name: /Hello/ }).waitFor();
  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
  const card = other.locator('ul.cards > li', { hasText: tabletName });
  // Reporting is one step away, under "More…" (no big red button on every card), and asks first.
  await card.locator('summary').waitFor();
  assert.equal(await card.getByRole('button', { name: /Report lost/ }).isVisible(), false);
  await card.locator('summary').click();
  await card.getByRole('button', { name: 'Report lost, stolen or damaged…' }).click();
  await card.getByText('will be revoked at once').waitFor();
  await card.getByLabel('What happened?').selectOption('lost');
  await card.getByLabel('Where and when (for the report)').fill('Left at the park after the outing');
  await checkScreen(other, 'devices-report-lost');
  await card.getByRole('button', { name: `Revoke ${tabletName}` }).click();
  await other.getByText(`${tabletName} is revoked`).waitFor();
  await card.getByText('Revoked (lost)').waitFor();

  // The lost tablet: its next request finds the session over; it is no longer registered.
  const status = await tabletPage.evaluate(() => fetch('/api/v1/children').then((r) => r.status));
  assert.equal(status, 401);
  await tabletPage.goto('/sign-in');
  await tabletPage.getByLabel('Username').fill(KATE[0]);
  await tabletPage.getByLabel('Password', { exact: true }).fill(KATE[1]);
  await tabletPage.getByRole('button', { name: 'Sign in' }).click();
  await tabletPage.locator('.notice').getByText(/registered tablets/).waitFor();
  assert.equal(await tabletPage.getByText(`This tablet: ${tabletName}`).count(), 0, 'the tablet forgot its revoked key');

  // Managers see the alert until they acknowledge it.
  const office = await openPage(browser, stack, TABLET);
  await signIn(office, ...MANAGER);
  await office.getByRole('alert').getByText('A tablet has been reported lost, stolen or damaged.').waitFor();
  await office.getByRole('link', { name: 'See the report on the devices screen' }).click();
  await office.getByText('1 device report to acknowledge.').waitFor();
  const managerCard = office.locator('ul.cards > li', { hasText: tabletName });
  await managerCard.getByText('“Left at the park after the outing”').waitFor();
  await managerCard.getByRole('button', { name: 'Acknowledge alert' }).click();
  await office.getByText(`Alert for ${tabletName} acknowledged.`).waitFor();
  assert.equal(await office.getByText('device report to acknowledge').count(), 0);
  assertNoPageErrors(other);
  assertNoPageErrors(office);
  await other.context().close();
  await office.context().close();
  await tabletPage.context().close();
});
