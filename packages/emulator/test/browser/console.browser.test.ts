// The agent console in a real browser (Debian's chromium through playwright-core): an agent signs in with the
// keyboard, filters and pages the case list, comments publicly and internally, changes a status; each write is
// then read back through the REST API as made by that agent. A comment holding HTML and script renders as text,
// an employee's reply appears without a reload, and no page has serious or critical axe-core violations or any
// CSP refusal. Screenshots go to the folder printed at the start.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  browserSkipReason,
  openBrowserSuite,
  type BrowserSuite,
} from '../../../../tools/browser-test/index.js';
import { startHarness, type Harness } from '../../src/testing/harness.js';

const V = '/services/data/v62.0';
const skip = browserSkipReason();

interface Row {
  Id: string;
  CommentBody?: string;
  IsPublished?: boolean;
  CreatedById?: string;
  Status?: string;
  LastModifiedById?: string;
  LastModifiedDate?: string;
  SystemModstamp?: string;
}

void describe('agent console in chromium', { skip }, () => {
  let h: Harness;
  let browser: BrowserSuite;
  let page: Page;
  let token = '';
  let agentId = '';
  let agentName = '';

  /** SOQL through the REST API as the integration user (View All on Case), the way the connector reads */
  const query = async (soql: string): Promise<Row[]> => {
    const res = await h.api('GET', `${V}/query?q=${encodeURIComponent(soql)}`, { token });
    assert.equal(res.status, 200, res.text);
    return (res.json as { records: Row[] }).records;
  };

  const expectAccessible = (name: string): Promise<void> => browser.expectAccessible(page, name);

  /** the demo case this test works on: owned by the agent, open, with comments */
  let caseId = '';

  before(async () => {
    h = await startHarness({ contacts: 40, cases: 40 });
    token = await h.login();
    const agentUsername = h.demo.agentUsernames[0] ?? '';
    const agent = h.org.data.getUser(agentUsername);
    agentId = String(agent?.['Id']);
    agentName = `${String(agent?.['FirstName'])} ${String(agent?.['LastName'])}`;
    const owned = await query(
      `SELECT Id FROM Case WHERE OwnerId = '${agentId}' AND IsClosed = false ORDER BY CaseNumber LIMIT 1`,
    );
    caseId = owned[0]?.Id ?? '';
    assert.notEqual(caseId, '', 'the demo agent owns an open case');
    browser = await openBrowserSuite('emulator-console');
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('sends a signed-out visitor to the sign-in page, and signs an agent in with the keyboard', async () => {
    const first = await page.goto(`${h.url}/console`);
    assert.match(page.url(), /\/console\/login\?next=/);
    const csp = first?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await expectAccessible('01-login');

    await page.getByLabel('Username').fill(h.demo.agentUsernames[0] ?? '');
    await page.getByLabel('Password').fill('wrong password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Wrong username or password/);
    await expectAccessible('02-login-refused');

    await page.getByLabel('Password').fill(h.demo.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    assert.match(page.url(), /\/console\/cases$/);
    assert.match(await page.locator('.viewer').innerText(), new RegExp(agentName));
  });

  it('lists cases newest first, filters by status, owner and subject, and pages', async () => {
    await expectAccessible('03-case-list');
    const numbers = await page.locator('table.cases tbody tr td:first-child').allInnerTexts();
    assert.equal(numbers.length, 25, 'a full first page');
    const sorted = [...numbers].sort().reverse();
    assert.deepEqual(numbers, sorted, 'newest (highest case number) first');

    await page.getByRole('link', { name: /Next/ }).click();
    await page.getByText(/Page 2 of 2/).waitFor();
    assert.equal(await page.locator('table.cases tbody tr').count(), 15);

    // A status the agent has cases in, so that the filtered list is not trivially empty.
    const mine = await query(`SELECT Status FROM Case WHERE OwnerId = '${agentId}' ORDER BY CaseNumber`);
    const status = mine[0]?.Status ?? '';
    const expected = mine.filter((r) => r.Status === status).length;
    assert.ok(expected > 0);
    await page.goto(`${h.url}/console/cases`);
    await page.getByLabel('Status').selectOption(status);
    await page.getByLabel('Owner').selectOption({ label: 'Me' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=/);
    const statuses = await page.locator('table.cases tbody .badge').allInnerTexts();
    assert.deepEqual(statuses, Array<string>(expected).fill(status));
    const owners = await page.locator('table.cases tbody tr td:nth-child(4)').allInnerTexts();
    assert.deepEqual(owners, Array<string>(expected).fill(agentName));
    await browser.screenshot(page, '04-case-list-filtered');

    const subject = (await query(`SELECT Subject FROM Case WHERE Id = '${caseId}'`))[0] as
      { Subject?: string } | undefined;
    const word = (subject?.Subject ?? '').split(' ').find((w) => w.length > 4) ?? '';
    await page.goto(`${h.url}/console/cases?q=${encodeURIComponent(word)}`);
    const subjects = await page.locator('table.cases tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(subjects.length > 0);
    for (const s of subjects) assert.ok(s.toLowerCase().includes(word.toLowerCase()), s);
  });

  it('comments publicly (by keyboard) and internally, each written as the agent', async () => {
    await page.goto(`${h.url}/console/cases/${caseId}`);
    await expectAccessible('05-case-page');

    const publicText = `Public reply from the console ${Date.now()}`;
    await page.getByLabel('Add a comment').focus();
    await page.keyboard.type(publicText);
    // Tab reaches the checked radio (Internal); the arrow key moves the choice to Public; Tab reaches the button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getByLabel(/Public: the employee sees it/).isChecked(), true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Public comment posted.' }).waitFor();

    const internalText = `Internal note from the console ${Date.now()}`;
    await page.getByLabel('Add a comment').fill(internalText);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByRole('status').filter({ hasText: 'Internal note saved.' }).waitFor();
    await expectAccessible('06-case-commented');

    const rows = await query(
      `SELECT Id, CommentBody, IsPublished, CreatedById FROM CaseComment WHERE ParentId = '${caseId}' ` +
        'ORDER BY CreatedDate DESC, Id DESC LIMIT 2',
    );
    assert.deepEqual(
      rows.map((r) => [r.CommentBody, r.IsPublished, r.CreatedById]),
      [
        [internalText, false, agentId],
        [publicText, true, agentId],
      ],
    );
    const items = page.locator('#comments li[id]');
    const last = items.last();
    assert.match(await last.innerText(), /Internal/);
    assert.match(await items.nth((await items.count()) - 2).innerText(), /Public/);
  });

  it('changes the status from the org picklist, as the agent, bumping the audit fields', async () => {
    const before_ = (await query(`SELECT Status, SystemModstamp FROM Case WHERE Id = '${caseId}'`))[0];
    h.clock.advance(60_000);
    const target = before_?.Status === 'Working' ? 'Escalated' : 'Working';
    const offered = await page.getByLabel('Status', { exact: true }).locator('option').allInnerTexts();
    assert.deepEqual(offered, ['New', 'Working', 'Escalated', 'Waiting on Employee', 'Resolved', 'Closed']);
    await page.getByLabel('Status', { exact: true }).selectOption(target);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Case updated.' }).waitFor();
    assert.equal(await page.locator('.case-head-status .badge').innerText(), target);
    const now = (
      await query(
        `SELECT Status, LastModifiedById, LastModifiedDate, SystemModstamp FROM Case WHERE Id = '${caseId}'`,
      )
    )[0];
    assert.equal(now?.Status, target);
    assert.equal(now?.LastModifiedById, agentId);
    assert.ok(String(now?.SystemModstamp) > String(before_?.SystemModstamp), 'SystemModstamp moved');
    assert.equal(now?.LastModifiedDate, now?.SystemModstamp);

    const ui = h.em.callLog.list({ path: '/console/' });
    assert.ok(ui.length >= 3);
    for (const entry of ui) {
      assert.equal(entry.counted, false, 'a UI action is not an API call');
      assert.equal(entry.userId, agentId);
    }
  });

  it('shows a comment holding HTML and script as text, running none of it', async () => {
    const attack = '<img src=x onerror="globalThis.__xss=1"><script>globalThis.__xss=2</script><b>bold?</b>';
    await page.getByLabel('Add a comment').fill(attack);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByRole('status').filter({ hasText: 'Internal note saved.' }).waitFor();
    const body = page.locator('#comments li[id] .comment-body').last();
    assert.equal(await body.innerText(), attack);
    assert.equal(await page.locator('#comments img, #comments script, #comments b').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss), undefined);
    await browser.screenshot(page, '07-case-xss-as-text');
  });

  it("shows an employee's reply without a reload", async () => {
    const marker = await page.evaluate(() => {
      const g = globalThis as { __loaded?: number };
      g.__loaded = 42;
      return g.__loaded;
    });
    const reply = `Employee reply via the API ${Date.now()}`;
    const res = await h.api('POST', `${V}/sobjects/CaseComment`, {
      token,
      body: { ParentId: caseId, CommentBody: reply, IsPublished: true },
    });
    assert.equal(res.status, 201, res.text);
    await page.locator('#comments .comment-body', { hasText: reply }).waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => (globalThis as { __loaded?: number }).__loaded), marker);
    assert.match(await page.locator('#comments li[id]').last().innerText(), /Casebridge Integration/);
    await expectAccessible('08-case-reply-arrived');
  });

  it('refuses a form posted without the session CSRF token', async () => {
    const res = await page.request.post(`${h.url}/console/cases/${caseId}/comments`, {
      form: { body: 'forged', visibility: 'public', csrf: 'not-the-token' },
      maxRedirects: 0,
    });
    assert.equal(res.status(), 403);
    // CommentBody is a long text area, which SOQL cannot filter on: read the bodies and look.
    const bodies = await query(`SELECT CommentBody FROM CaseComment WHERE ParentId = '${caseId}'`);
    assert.equal(bodies.filter((r) => r.CommentBody === 'forged').length, 0);
  });

  it('signs out, and reported no console errors or CSP refusals on any page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${h.url}/console/cases`);
    assert.match(page.url(), /\/console\/login/);
    // The refused sign-in answers 401 and the forged post 403: chromium logs those loads, nothing else.
    const unexpected = browser.problems.filter((p) => !/status of (401|403)/.test(p));
    assert.deepEqual(unexpected, []);
  });
});
