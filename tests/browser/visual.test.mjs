// One visual language (issue 22, part 3): the audit log names events in words, not ids; focus
// rings show for keyboards only; every date and time is in the setting's time zone and the one
// date style ("Today, 14:05", "Tue 1 Dec"), whatever zone the browser is in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSetUpStack, MANAGER_PASSWORD } from '../integration/harness.mjs';
import { launchBrowser, openPage, checkScreen, signIn, menuLink, assertNoPageErrors, TABLET } from './browser.mjs';
import { humanMoment } from './dates.mjs';

let stack;
let manager;
let browser;
before(async () => {
  ({ stack, manager } = await startSetUpStack());
  browser = await launchBrowser(stack);
  // A wrong password first: the audit log then holds a failed sign-in (NBX_AUTH_SIGNIN_FAILED).
  assert.equal((await stack.client().signIn('manager', 'not the password')).status, 401);
});
after(async () => {
  await browser?.close();
  await stack.stop();
});

const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

test('the audit log names each event in words; the id stays for IT support', async () => {
  const page = await openPage(browser, stack, TABLET);
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await menuLink(page, 'Audit log');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  const list = page.getByRole('list', { name: 'Audit entries' });
  const failed = list.locator('li', { has: page.locator('[data-event="NBX_AUTH_SIGNIN_FAILED"]') }).first();
  await failed.waitFor();
  assert.match(await text(failed.locator('.card-title')), /^Sign-in failed$/);
  assert.equal(await failed.locator('.card-title').getAttribute('title'), 'NBX_AUTH_SIGNIN_FAILED');
  assert.doesNotMatch(await text(list), /NBX_[A-Z_]+/, 'no event ids in the text people read');
  // Every name starts with a capital letter.
  for (const title of await list.locator('.card-title').allInnerTexts()) assert.match(title, /^[A-Z]/, title);

  // The filter lists events by name, and filtering by one still works.
  const what = page.getByLabel('What');
  const labels = await what.locator('option').allInnerTexts();
  assert.ok(labels.includes('Sign-in failed'), labels.join(' | '));
  assert.ok(!labels.some((l) => /NBX_/.test(l)), 'no ids in the filter');
  await what.selectOption({ label: 'Sign-in failed' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('ul[aria-label="Audit entries"] .card-title')]
    .every((t) => t.getAttribute('data-event') === 'NBX_AUTH_SIGNIN_FAILED'));
  assert.ok(await list.locator('li').count() >= 1);
  await checkScreen(page, 'audit-log');
  await page.context().close();
});

test('focus rings show for keyboard users only: not on page load, not on a heading the app focuses', async () => {
  const page = await openPage(browser, stack, TABLET);
  const ring = () => page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { tag: el.tagName, text: (el.textContent ?? '').trim().slice(0, 40), style: style.outlineStyle,
      width: parseFloat(style.outlineWidth), shadow: style.boxShadow };
  });
  const noRing = (r, where) => assert.ok(r.style === 'none' || r.width === 0, `${where}: ${JSON.stringify(r)}`);
  const visibleRing = (r, where) => {
    assert.notEqual(r.style, 'none', `${where}: ${JSON.stringify(r)}`);
    assert.ok(r.width >= 2, `${where}: ${JSON.stringify(r)}`);
  };

  // Signing in with Enter: the app moves the focus to the home page's heading, for screen
  // readers. Chromium counts that focus as the keyboard's (:focus-visible); still no ring.
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill('manager');
  await page.getByLabel('Password', { exact: true }).fill(MANAGER_PASSWORD);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  noRing(await ring(), 'the home heading after signing in with Enter');

  // A page load, no keyboard: whatever holds the focus shows no ring.
  await page.goto('/manage/audit');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  noRing(await ring(), 'after a page load');

  // Following a link with the mouse: the app moves the focus to the new page's heading, for
  // screen readers, without a ring.
  await menuLink(page, 'Accounts');
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  noRing(await ring(), 'the heading focused after navigation');

  // The next Tab: a ring on the control it reaches.
  await page.keyboard.press('Tab');
  visibleRing(await ring(), 'the next control after Tab');
  await page.reload();
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  noRing(await ring(), 'after a reload');
  await page.keyboard.press('Tab');
  const first = await ring();
  assert.equal(first.text, 'Skip to content');
  visibleRing(first, 'the skip link after Tab');
  // The ring has a dark band inside the yellow: visible on white and on the blue header alike.
  assert.match(first.shadow, /rgb\(27, 27, 31\)/);
  assertNoPageErrors(page);
  await page.context().close();
});

test('times and days are in the setting’s time zone, not the browser’s', async () => {
  const zone = 'Pacific/Auckland';
  assert.equal((await manager.request('PATCH', '/api/v1/settings', { body: { time_zone: zone } })).status, 200);
  // A browser in New York: 16 to 18 hours behind Auckland, so every time, and often the day, differs.
  const page = await openPage(browser, stack, TABLET, { timezoneId: 'America/New_York' });
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'America/New_York');
  await signIn(page, 'manager', MANAGER_PASSWORD);
  await page.goto('/manage/audit');
  const list = page.getByRole('list', { name: 'Audit entries' });
  await list.locator('li').first().waitFor();

  const { json } = await manager.get('/api/v1/audit?limit=5');
  const shown = await list.locator('li').evaluateAll((items) => items.slice(0, 5).map((li) => ({
    event: li.querySelector('.card-title')?.getAttribute('data-event'),
    at: li.querySelector('time')?.getAttribute('datetime'),
    text: li.querySelector('time')?.textContent.trim(),
  })));
  assert.ok(shown.length >= 1);
  for (const s of shown) {
    assert.ok(json.entries.some((e) => e.at === s.at && e.event === s.event), `${s.event} at ${s.at} is in the box's log`);
    assert.equal(s.text, humanMoment(s.at, zone), `${s.event} at ${s.at}`);
    assert.notEqual(s.text, humanMoment(s.at, 'America/New_York'));
  }

  // The days typed into the filter are the setting's days: "from today to today" in Auckland
  // finds what just happened, whatever the date is in New York or in UTC.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  await page.getByLabel('From').fill(today);
  await page.getByLabel('To').fill(today);
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('since='));
  await page.getByRole('button', { name: 'Show' }).click();
  const filtered = await (await answered).json();
  assert.ok(filtered.entries.length >= 1, `entries from ${today} in Auckland`);
  await page.waitForFunction((n) => document.querySelectorAll('ul[aria-label="Audit entries"] > li').length === n,
    filtered.entries.length);

  // My account: when this browser signed in, in Auckland time.
  await page.goto('/account/sessions');
  const meta = page.locator('ul.cards li', { has: page.locator('.tag.current') }).locator('p.meta');
  await meta.waitFor();
  const { sessions } = await page.evaluate(() => fetch('/api/v1/me/sessions').then((r) => r.json()));
  const current = sessions.find((x) => x.current);
  const line = await text(meta);
  const inText = (m) => m.replace(/^(Today|Yesterday),/, (w) => w.toLowerCase());
  assert.ok(line.includes(`signed in ${inText(humanMoment(current.created_at, zone))} ·`), `${line} (${current.created_at})`);

  // A calendar day printed back: a child's birthday on the manager's page, in the one style.
  const room = (await manager.post('/api/v1/rooms', { name: 'Nursery', release_mode: 'live' })).json.room;
  const child = (await manager.post('/api/v1/children', { first_name: 'Ava', last_name: 'Ahmed', date_of_birth: '2021-01-10',
    room_id: room.id, started_on: '2025-09-01' })).json.child;
  await page.goto(`/manage/children/${child.id}`);
  await page.getByText('Born Sun 10 Jan 2021').waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});
