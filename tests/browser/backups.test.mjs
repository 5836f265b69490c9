// Backups (issue 19) in Chromium against the real stack and its backup agent (restic, folder
// targets under the agent's allowed folder; no USB disks exist here). A manager's home says
// backups are not set up and links to the Backups screen, whose empty state explains why they
// matter; the manager sets them up to a folder at 03:30, sees the recovery key once (groups and
// QR code, a sheet that alone prints), types two groups back (wrong first, then right), sees
// the target tested, backs up now (one snapshot), lists the snapshots, tests the target and
// moves the daily time (the next backup moves with it). On a box not set up, the setup page's
// "Restore from a backup" finds no disks, refuses a wrong setup code and a wrong recovery key,
// and with the right key (typed loosely) reports a repository with no snapshots in it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { Stack, startSetUpStack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, assertNoPageErrors, menuLink, PHONE } from './browser.mjs';

const KEY_GROUP = /^[0-9A-HJKMNP-TV-Z]{5}$/;   // Crockford base32, as the box makes keys

let stack;
let browser;
let page;
let targets;   // the folder under which the agent allows folder targets
let groups;    // the recovery key, as the page showed it

before(async () => {
  ({ stack } = await startSetUpStack());
  ({ targets } = await stack.startBackupAgent());
  browser = await launchBrowser(stack);
  page = await openPage(browser, stack, PHONE);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

const fact = (id) => page.getByTestId(id);
const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();
const notice = (pattern) => page.locator('.notice', { hasText: pattern });

test('backups not set up: the home page says so and links to the Backups screen, which explains why they matter', async () => {
  const panel = page.locator('.panel.backups');
  await panel.getByText(/Backups are not set up/).waitFor();
  await panel.getByRole('link', { name: 'Set up backups' }).click();
  await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/manage/backups');
  const empty = fact('backups-not-set-up');
  await empty.waitFor();
  assert.match(await text(empty), /exists only on this box’s card/);
  assert.match(await text(empty), /two USB disks, taken home in turn/);
  assert.match(await text(empty), /lost with it in a fire or a theft/);
  await checkScreen(page, 'backups-not-set-up');
  // The manager's menu has it too, with Devices and IT details.
  await page.goto('/');
  await menuLink(page, 'Backups');
  await empty.waitFor();
});

test('setting up backups to a folder: the recovery key is shown once, printed, and two of its groups typed back', async () => {
  await page.goto('/manage/backups');
  await page.getByRole('button', { name: 'Set up backups' }).click();
  await page.getByRole('heading', { name: 'Set up backups' }).waitFor();
  // A USB disk is suggested; there is none here, and the page says so.
  assert.equal(await page.getByLabel('USB disk', { exact: true }).isChecked(), true);
  await page.getByRole('button', { name: 'Find disks' }).click();
  await fact('no-disks').waitFor({ timeout: 15000 });
  assert.match(await text(fact('no-disks')), /^No USB disk found\./);
  await checkScreen(page, 'backups-setup-no-disks');
  await page.getByRole('button', { name: 'Next: make the recovery key' }).click();
  await page.locator('#backup-target-disks-error', { hasText: 'Find disks' }).waitFor();

  await page.getByLabel('A folder (advanced)').check();
  await page.getByLabel('Folder on the box').fill(path.join(targets, 'repo'));
  await page.getByLabel('Back up every day at').fill('03:30');
  await page.getByRole('button', { name: 'Next: make the recovery key' }).click();

  // Step 2: the key, in numbered groups and as a QR code, on a sheet for the setting.
  const key = fact('recovery-key');
  await key.waitFor();
  groups = (await key.locator('li').allTextContents()).map((g) => g.trim());
  assert.equal(groups.length, 8);
  for (const g of groups) assert.match(g, KEY_GROUP);
  assert.equal(await key.getAttribute('data-key'), groups.join('-'));
  assert.equal(await page.getByRole('img', { name: 'QR code of the recovery key' }).getAttribute('data-text'), groups.join('-'));
  const sheet = page.locator('.recovery-sheet');
  assert.match(await text(sheet), /Rainbow Nursery/);
  assert.match(await text(sheet), /Without this key the backups cannot be read by anyone, including us\. Print this sheet and keep it away from the box\./);
  assert.match(await text(sheet), /Restore from a backup/);
  assert.match(await text(sheet), /every day at 03:30/);
  // "Print" prints; only the sheet is on paper.
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await page.getByRole('button', { name: 'Print the recovery sheet' }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await sheet.isVisible(), true);
  assert.equal(await page.getByRole('heading', { name: 'Backups', level: 1 }).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Print the recovery sheet' }).isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  await checkScreen(page, 'backups-recovery-key');

  // Step 3: two groups from the sheet; wrong ones are refused beside the fields.
  await page.getByRole('button', { name: 'Next: check the sheet' }).click();
  const legend = await text(page.locator('legend', { hasText: /^Type groups/ }));
  const [, a, b] = legend.match(/^Type groups (\d) and (\d) of the key$/).map(Number);
  assert.ok(a >= 1 && b <= 8 && a < b, legend);
  assert.equal(await key.count(), 0, 'the key is not on the screen while it is typed back');
  const wrong = (g) => (g === 'ZZZZZ' ? 'YYYYY' : 'ZZZZZ');
  await page.getByLabel(`Group ${a}`, { exact: true }).fill(groups[a - 1]);
  await page.getByLabel(`Group ${b}`, { exact: true }).fill(wrong(groups[b - 1]));
  await page.getByRole('button', { name: 'Check and finish' }).click();
  const error = page.locator('#backup-setup-typed-error');
  await error.waitFor();
  assert.ok((await text(error)).length > 0);
  assert.equal(await page.getByLabel(`Group ${a}`, { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), `backup-setup-group-${a}`);
  await checkScreen(page, 'backups-key-mismatch');

  // Typed as people do: lower case is fine.
  await page.getByLabel(`Group ${b}`, { exact: true }).fill(groups[b - 1].toLowerCase());
  await page.getByRole('button', { name: 'Check and finish' }).click();
  await notice(/^Backups are set up\./).waitFor({ timeout: 30000 });
  assert.match(await text(notice(/^Backups are set up\./)), /the recovery key opens it and it can be written to\..*0 snapshots on it\./);
  assert.equal(await text(fact('target')), `The folder ${path.join(targets, 'repo')}`);
  assert.equal(await text(fact('last-good')), 'None yet');
  assert.match(await text(fact('next-at')), /03:30$/);
  assert.equal(await page.getByLabel('Back up every day at').inputValue(), '03:30');
  assert.equal(await page.locator('[role="alert"]').count(), 0, 'no warning: nothing has failed');
  await checkScreen(page, 'backups-set-up');
});

test('“Back up now” makes a snapshot; the target tests sound; a new daily time moves the next backup', async () => {
  await page.getByRole('button', { name: 'Back up now' }).click();
  // While it runs the page says so and the other buttons wait.
  await page.locator('p.running', { hasText: 'Backing up…' }).locator('progress').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Test the target' }).isDisabled(), true);
  await notice(/^Backed up/).waitFor({ timeout: 60000 });
  await page.waitForFunction(() => /1 snapshot kept$/.test(document.querySelector('[data-testid="last-good"]')?.textContent.trim()),
    null, { timeout: 10000 });
  assert.notEqual(await text(fact('disk-space')), 'Not known yet');
  assert.equal(await page.getByRole('button', { name: 'Test the target' }).isDisabled(), false);

  await page.getByRole('button', { name: 'Show snapshots' }).click();
  const list = page.locator('ul.snapshot-list > li');
  await list.first().waitFor({ timeout: 15000 });
  assert.equal(await list.count(), 1);
  await page.getByRole('button', { name: 'Test the target' }).click();
  await notice(/^The backup target works/).waitFor({ timeout: 30000 });
  assert.match(await text(notice(/^The backup target works/)), /1 snapshot on it\.$/);
  await checkScreen(page, 'backups-ok');

  const before = await text(fact('next-at'));
  const time = page.getByLabel('Back up every day at');
  await time.fill('');
  await page.getByRole('button', { name: 'Change the time' }).click();
  await page.locator('#backups-time-error').waitFor();
  await time.fill('04:15');
  await page.getByRole('button', { name: 'Change the time' }).click();
  await notice('Backups now run every day at 04:15.').waitFor();
  assert.match(await text(fact('next-at')), /04:15$/);
  assert.notEqual(await text(fact('next-at')), before);

  // The home page has the last good backup.
  await page.goto('/');
  const lastGood = page.locator('.panel.backups p', { hasText: 'Last good backup:' });
  await lastGood.waitFor();
  assert.match(await text(lastGood), /^Last good backup: .*1 snapshot kept\)\.$/);
  // Backed up, and the manager has a PIN: nothing needs them, and the page says so rather than
  // showing an empty list (issue 32: the backups item is gone with the good backup).
  assert.equal(await page.locator('ul.todo > li[data-todo="backups"]').count(), 0);
  assert.equal((await stack.manager.post('/api/v1/me/pin', { password: MANAGER_PASSWORD, pin: '4071' })).status, 200);
  await page.reload();
  await page.getByText('Nothing needs you today.').waitFor();
  assert.equal(await page.locator('ul.todo').count(), 0);
  await checkScreen(page, 'manager-home-all-done');
  assertNoPageErrors(page);
});

// A box not set up can be filled from a backup instead. Only the steps before the restore
// itself are driven here (the restore is covered by tests/integration/backup.test.mjs).
describe('restoring from a backup on the setup page', () => {
  const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const randomKey = () => Array.from(crypto.randomBytes(40), (byte) => ALPHABET[byte % 32]).join('');
  const key = randomKey();
  let fresh;
  let freshBrowser;
  let setupPage;
  let repo;
  const snapshotPosts = [];

  before(async () => {
    fresh = await Stack.start();
    const agent = await fresh.startBackupAgent();
    // A repository made with restic itself, locked with the key as the box stores it, empty.
    repo = path.join(agent.targets, 'repo');
    execFileSync('restic', ['--no-cache', 'init', '--repo', repo], { env: { ...process.env, RESTIC_PASSWORD: key }, stdio: 'ignore' });
    freshBrowser = await launchBrowser(fresh);
    setupPage = await openPage(freshBrowser, fresh, PHONE);
    setupPage.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/setup/restore/snapshots') snapshotPosts.push(r.postDataJSON());
    });
  });
  after(async () => {
    await freshBrowser?.close();
    await fresh?.stop();
  });

  test('a wrong setup code and a wrong key are explained; the right key finds no snapshots, and says so', async () => {
    const p = setupPage;
    await p.goto('/');
    await p.waitForURL('**/setup');
    await p.getByRole('button', { name: 'Restore from a backup' }).click();
    await p.getByRole('heading', { name: 'Restore from a backup', level: 1 }).waitFor();
    await checkScreen(p, 'restore-start');

    // Disks are looked for with the setup code; a wrong one is refused beside its field.
    await p.getByLabel('Setup code').fill('WRONG-CODE-0000-0000');
    await p.getByRole('button', { name: 'Find disks' }).click();
    await p.locator('#restore-code-error').waitFor();
    assert.equal(await p.getByLabel('Setup code').getAttribute('aria-invalid'), 'true');
    await p.getByLabel('Setup code').fill(fresh.daemon.setupCode());
    await p.getByRole('button', { name: 'Find disks' }).click();
    await p.getByTestId('no-disks').waitFor({ timeout: 15000 });
    assert.match(await p.getByTestId('no-disks').textContent(), /No USB disk found\./);

    await p.getByLabel('A folder (advanced)').check();
    await p.getByLabel('Folder on the box').fill(repo);
    await p.getByLabel('Recovery key', { exact: true }).fill(randomKey());
    await p.getByRole('button', { name: 'Find snapshots' }).click();
    const keyError = p.locator('#restore-key-error');
    await keyError.waitFor({ timeout: 30000 });
    assert.match(await keyError.textContent(), /That recovery key does not open these backups/);
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'restore-key');
    await checkScreen(p, 'restore-wrong-key');

    // As a person might type it from the sheet: small letters, spaces between the groups.
    await p.getByLabel('Recovery key', { exact: true }).fill(key.toLowerCase().match(/.{5}/g).join(' '));
    await p.getByRole('button', { name: 'Find snapshots' }).click();
    await p.getByRole('heading', { name: 'No backups found' }).waitFor({ timeout: 30000 });
    assert.match(await p.getByTestId('no-snapshots').textContent(), /There are no backups there yet\./);
    assert.equal(await p.getByRole('button', { name: 'Restore this backup' }).count(), 0);
    assert.equal(snapshotPosts.at(-1).key, key.match(/.{5}/g).join('-'));
    assert.deepEqual(snapshotPosts.at(-1).target, { kind: 'directory', path: repo });
    await checkScreen(p, 'restore-no-snapshots');

    // Back to setting the box up as new; nothing was created.
    await p.getByRole('button', { name: 'Set up a new setting instead' }).click();
    await p.getByRole('heading', { name: 'Set up Nestbox' }).waitFor();
    assert.equal(fresh.sql('SELECT count(*) FROM users'), '0');
    assertNoPageErrors(p);
  });
});
