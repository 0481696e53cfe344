// The operator console in a real browser (Debian's chromium through playwright-core): an operator signs in with a
// one-time link (a used or expired one is refused), reads every panel against data this test wrote to the store,
// retries a dead letter (confirmed, with the keyboard) and sees the webhook receive it, and runs doctor again.
// Each page is checked with axe-core and has no CSP refusal; screenshots go to the folder printed at the start.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';

import {
  browserSkipReason,
  openBrowserSuite,
  type BrowserSuite,
} from '../../../../tools/browser-test/index.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Clock } from '../../src/domain/ports.js';
import { TICKET_NOTIFICATION_KIND } from '../../src/domain/webhooks/ports.js';
import { buildAdminApp } from '../../src/http/admin-app.js';
import { OutboxDispatcher } from '../../src/jobs/outbox-dispatcher.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';
import { ticketNotificationHandler } from '../../src/notify/webhook/ticket-notification-handler.js';
import { ConsoleAccess, LINK_TTL_MS } from '../../src/services/console/console-access.js';
import { ConsoleData } from '../../src/services/console/console-data.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const skip = browserSkipReason();
const HOUR = 3_600_000;

void describe('operator console in chromium', { skip }, () => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let base = '';
  let access: ConsoleAccess;
  let browser: BrowserSuite;
  let page: Page;
  let receiver: WebhookReceiver;
  let dispatcher: { stop: () => Promise<void> };
  /** moves the console's clock (link expiry) without touching the store's */
  let skew = 0;
  const consoleClock: Clock = { now: () => new Date(Date.now() + skew) };
  const eventId = 'acme:500AA000001abcdEAA:state:CLOSED:2026-12-01T10:00:00.000Z';

  const expectAccessible = (name: string): Promise<void> => browser.expectAccessible(page, name);
  const link = async (): Promise<string> => `${base}/console/login?t=${(await access.mintLink()).token}`;
  const section = (tenant: string) => page.locator(`section[data-tenant="${tenant}"]`);

  before(async () => {
    const config = loadConfig({
      CASEBRIDGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'casebridge-console-')),
      CASEBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true',
      CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    });
    runtime = await openRuntime(config, { log: silentLogger(), inMemoryStore: true });
    const { store } = runtime;
    const now = Date.now();
    // a login URL nobody answers: doctor's token check fails at once, with its fix
    await store.tenants.insert(
      makeTenantRecord('acme', { name: 'Acme Corp', loginUrl: 'http://127.0.0.1:9' }),
    );
    await store.tenants.insert(
      makeTenantRecord('globex', {
        name: 'Globex <script>alert(1)</script>',
        loginUrl: 'http://127.0.0.1:9',
      }),
    );
    await store.console.saveDoctorReport({
      tenantId: 'acme',
      checkedAt: new Date(now - 2 * HOUR).toISOString(),
      ok: false,
      checks: [
        { id: 'token', title: 'Login with the JWT bearer flow', status: 'pass', detail: 'logged in' },
        {
          id: 'object.Case',
          title: 'Read access to Case',
          status: 'fail',
          detail: 'the integration user cannot read Case',
          fix: 'Assign the casebridge permission set to the integration user.',
          code: 'SF_ACCESS_OBJECT_MISSING',
        },
      ],
    });
    // API usage: calls per purpose over the last hours, the last one reporting the org's allocation
    const entries = [];
    for (let h = 0; h < 6; h++)
      for (let i = 0; i < 3 + h; i++)
        entries.push({
          tenantId: 'acme',
          at: new Date(now - h * HOUR - i * 60_000).toISOString(),
          method: 'GET',
          path: h % 2 === 0 ? '/services/data/v62.0/composite' : '/services/data/v62.0/query?q=REDACTED',
          status: h === 3 ? 403 : 200,
          errorCode: h === 3 ? 'INSUFFICIENT_ACCESS' : null,
          durationMs: 40 + i,
          apiUsed: 1200,
          apiMax: 15000,
          attempt: 1,
          purpose: i % 2 === 0 ? 'ticket-monitor' : 'knowledge-sync',
        });
    entries.push({
      tenantId: 'globex',
      at: new Date(now - 30 * 60_000).toISOString(),
      method: 'GET',
      path: '/services/data/v62.0/sobjects/<img src=x onerror=alert(1)>',
      status: 404,
      errorCode: 'NOT_FOUND',
      durationMs: 12,
      apiUsed: null,
      apiMax: null,
      attempt: 1,
      purpose: 'doctor',
    });
    for (const entry of entries) await store.audit.record(entry);
    await store.monitorStats.record({
      tenantId: 'acme',
      polledAt: new Date(now - 90_000).toISOString(),
      lagMs: 42_000,
      watched: 17,
      notified: 3,
      calls: 2,
      skipped: { 'internal-comment': 4, 'no-contact-with-email': 2 },
    });
    await store.pollPaces.save({
      tenantId: 'acme',
      decidedAt: new Date(now - 90_000).toISOString(),
      intervalMs: 120_000,
      why: 'idle',
      reason: 'no live conversation and no case waiting for an employee',
      allowancePerDay: 2812,
      callsPerDayAtPace: 1440,
    });
    const article = (id: string, language: string) => ({
      tenantId: 'acme',
      articleId: id,
      language,
      versionId: null,
      articleNumber: `0000${id}`,
      versionNumber: 1,
      title: `Article ${id}`,
      urlName: `article-${id}`,
      bodyHtml: '<p>text</p>',
      lastPublishedAt: null,
    });
    await store.knowledge.putMany([
      article('kA1', 'en_US'),
      article('kA2', 'en_US'),
      article('kA3', 'en_US'),
      article('kA1', 'de'),
    ]);
    await store.console.markKnowledgeRun('acme', {
      mode: 'full',
      state: 'ok',
      startedAt: new Date(now - 26 * HOUR).toISOString(),
      finishedAt: new Date(now - 26 * HOUR + 60_000).toISOString(),
    });
    await store.knowledgeSync.save({
      tenantId: 'acme',
      state: 'ok',
      full: false,
      startedAt: new Date(now - 20 * 60_000).toISOString(),
      finishedAt: new Date(now - 19 * 60_000).toISOString(),
      done: 4,
      total: 4,
      read: 2,
      written: 2,
      removed: 0,
      idScans: 0,
      warningCount: 1,
      warnings: [
        {
          code: 'KNOWLEDGE_SYNC_BODY_TRUNCATED',
          message: 'Article 000kA3 is longer than the body cap; its end is not searchable.',
          fix: 'Split the article.',
        },
      ],
      error: null,
    });
    await store.console.markKnowledgeRun('acme', {
      mode: 'incremental',
      state: 'ok',
      startedAt: new Date(now - 20 * 60_000).toISOString(),
      finishedAt: new Date(now - 19 * 60_000).toISOString(),
    });
    // a notification enqueued while acme has no webhook: the dispatcher declares it dead at once
    await store.outbox.enqueue({
      tenantId: 'acme',
      kind: TICKET_NOTIFICATION_KIND,
      idempotencyKey: eventId,
      eventId,
      orderingKey: '500AA000001abcdEAA',
      payload: {
        eventId,
        kind: 'closed',
        tenantId: 'acme',
        caseId: '500AA000001abcdEAA',
        caseNumber: '00001001',
        employeeId: '003AA000004adaXQAQ',
        state: 'CLOSED',
        occurredAt: '2026-12-01T10:00:00.000Z',
      },
    });
    const stopping = new AbortController();
    const running = new OutboxDispatcher({
      outbox: store.outbox,
      handlers: {
        [TICKET_NOTIFICATION_KIND]: ticketNotificationHandler({
          webhooks: runtime.webhooks,
          sender: runtime.webhookSender,
        }),
      },
      log: silentLogger(),
      clock: runtime.clock,
      idleMs: 100,
    }).run(stopping.signal);
    dispatcher = {
      stop: async () => {
        stopping.abort();
        await running;
      },
    };
    for (let i = 0; i < 100 && (await runtime.admin.listDeadLetters()).length === 0; i++) await sleep(50);
    assert.equal((await runtime.admin.listDeadLetters()).length, 1, 'the message is dead before the test');

    access = new ConsoleAccess({
      clock: consoleClock,
      randomToken: () => randomBytes(32).toString('base64url'),
      sessions: runtime.store.consoleSessions,
    });
    const ops = runtime.admin;
    // the funnel as the conversation work reports it, for globex only (acme shows "no data yet")
    const data = new ConsoleData({
      ops: {
        status: async () => {
          const report = await ops.status();
          return {
            ...report,
            tenants: report.tenants.map((t) =>
              t.id === 'globex'
                ? {
                    ...t,
                    autonomousResolution: {
                      eligible: 40,
                      offered: 30,
                      confirmed: 18,
                      declined: 6,
                      noAnswer: 6,
                      reopened: 2,
                    },
                  }
                : t,
            ),
          };
        },
        listTenants: () => ops.listTenants(),
        listDeadLetters: (tenantId) => ops.listDeadLetters(tenantId),
        retryDeadLetters: (target) => ops.retryDeadLetters(target),
        startJob: (tenantId, kind) => ops.startJob(tenantId, kind),
        listJobs: (options) => ops.listJobs(options),
      },
      repo: store.console,
      clock: runtime.clock,
    });
    app = buildAdminApp({
      ops,
      token: 'admin-token-for-test',
      log: silentLogger(),
      console: { data, access, log: silentLogger() },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    receiver = await startWebhookReceiver({ secrets: [], nowSeconds: () => Date.now() / 1000 });
    browser = await openBrowserSuite('connector-console');
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await dispatcher?.stop();
    await receiver?.close();
    await runtime?.close();
  });

  it('refuses a visitor without a session, an expired link and a used one, and signs in with a fresh link', async () => {
    const signedOut = await page.goto(`${base}/console`);
    assert.equal(signedOut?.status(), 401);
    await page.getByText('casebridge console', { exact: false }).first().waitFor();
    await expectAccessible('01-signed-out');

    const expired = await link();
    skew = LINK_TTL_MS + 1000;
    const late = await page.goto(expired);
    skew = 0;
    assert.equal(late?.status(), 401);
    await page.getByText('already used or has expired').waitFor();

    const fresh = await link();
    const first = await page.goto(fresh);
    assert.equal(first?.status(), 200);
    assert.equal(page.url(), `${base}/console`, 'the token is stripped from the address bar');
    const cookies = await browser.context.cookies(`${base}/console`);
    const session = cookies.find((c) => c.name === 'cb_console');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session?.sameSite, 'Strict');

    const second = await browser.newPage();
    const again = await second.goto(fresh);
    assert.equal(again?.status(), 401, 'a used link is refused');
    await second.close();
  });

  it('shows each tenant with its last doctor run and every failed check with its fix, names as text', async () => {
    await page.goto(`${base}/console`);
    const acme = section('acme');
    await acme.getByText('1 failed').waitFor();
    await acme
      .getByRole('cell', { name: 'Assign the casebridge permission set to the integration user.' })
      .waitFor();
    await acme.getByText('SF_ACCESS_OBJECT_MISSING').waitFor();
    await section('globex').getByText('not checked yet').waitFor();
    // the tenant name holding a script tag renders as text
    await section('globex').getByText('Globex <script>alert(1)</script>').waitFor();
    assert.equal(await page.locator('main script').count(), 0);
    await expectAccessible('02-tenants');
  });

  it('shows knowledge: articles per language, last full and incremental run, lag and warnings', async () => {
    await page.getByRole('link', { name: 'Knowledge' }).click();
    const acme = section('acme');
    await acme.getByRole('row', { name: 'en_US 3' }).waitFor();
    await acme.getByRole('row', { name: 'de 1' }).waitFor();
    assert.match(await acme.locator('dd').nth(0).innerText(), /\(ok\)/);
    assert.match(await acme.locator('dd').nth(2).innerText(), /^1[89] min$/);
    await acme.getByText('KNOWLEDGE_SYNC_BODY_TRUNCATED').waitFor();
    await section('globex').getByText('No articles synced yet.').waitFor();
    await expectAccessible('03-knowledge');
  });

  it('shows ticket monitoring: cases watched, interval and why, last poll, lag, skipped cases and why', async () => {
    await page.getByRole('link', { name: 'Ticket monitoring' }).click();
    const acme = section('acme');
    assert.equal(await acme.locator('[data-field="watched"]').innerText(), '17');
    assert.equal(await acme.locator('[data-field="lag"]').innerText(), '42 s');
    assert.equal(await acme.locator('[data-field="interval"]').innerText(), '2 min');
    assert.equal(
      await acme.locator('[data-field="why"]').innerText(),
      'no live conversation and no case waiting for an employee',
    );
    await acme.getByRole('row', { name: 'internal comment (never relayed) 4' }).waitFor();
    await acme.getByRole('row', { name: 'no contact has the email 2' }).waitFor();
    await section('globex').getByText('Not polled yet.').waitFor();
    await expectAccessible('04-monitoring');
  });

  it('charts API usage per hour by purpose against the share with chart.js', async () => {
    await page.getByRole('link', { name: 'API usage' }).click();
    const acme = section('acme');
    // 3+4+5+6+7+8 calls over six hours
    assert.equal(await acme.locator('[data-field="calls"]').innerText(), '33');
    await acme.getByText('(312.5 calls an hour)').waitFor();
    // chart.js's own record of what it drew
    const chart = await page.evaluate(() => {
      interface Drawn {
        data: { datasets: { label: string; data: number[] }[] };
      }
      const g = globalThis as unknown as {
        document: { querySelector(selector: string): unknown };
        Chart: { getChart(canvas: unknown): Drawn | undefined };
      };
      const found = g.Chart.getChart(g.document.querySelector('section[data-tenant="acme"] canvas'));
      return found?.data.datasets.map((d) => ({ label: d.label, total: d.data.reduce((a, b) => a + b, 0) }));
    });
    assert.deepEqual(chart, [
      { label: 'knowledge-sync', total: 15 },
      { label: 'ticket-monitor', total: 18 },
      { label: 'hourly share', total: 312.5 * 24 },
    ]);
    await acme.getByText('Calls per hour as a table').click();
    await expectAccessible('05-usage');
  });

  it('shows the resolution funnel when the status has it, and "no data yet" otherwise', async () => {
    await page.getByRole('link', { name: 'Resolution funnel' }).click();
    await section('acme').getByText('No data yet.').waitFor();
    const globex = section('globex');
    assert.equal(await globex.locator('tr[data-stage="confirmed"] td').first().innerText(), '18');
    assert.equal(await globex.locator('tr[data-stage="confirmed"] td').nth(1).innerText(), '45 %');
    await expectAccessible('06-funnel');
  });

  it('retries a dead letter after confirmation, with the keyboard, and the webhook receives it', async () => {
    const { secret } = await runtime.admin.setWebhook('acme', receiver.url);
    assert.ok(secret !== null);
    receiver.secrets = [secret];
    await page.getByRole('link', { name: 'Outbox' }).click();
    const row = page.locator('tr[data-dead]');
    await row.getByText('has no webhook configured', { exact: false }).waitFor();
    await page.locator('tr[data-tenant="acme"] [data-field="dead"]').getByText('1').waitFor();
    await expectAccessible('07-outbox-dead');
    await row.getByRole('button', { name: 'Retry' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Retry dead letter #\d+\?/ }).waitFor();
    assert.equal(receiver.accepted.length, 0, 'nothing is sent before the confirmation');
    await expectAccessible('08-confirm');
    // the confirm button has the focus
    await page.keyboard.press('Enter');
    await page.getByText('is due for delivery again').waitFor();
    for (let i = 0; i < 100 && receiver.accepted.length === 0; i++) await sleep(50);
    assert.deepEqual(receiver.accepted, [eventId]);
    assert.ok(receiver.requests[0]?.verified);
    await page.getByRole('link', { name: 'Back to the outbox' }).click();
    await page.getByText('No dead letters.').waitFor();
    await page.getByText('Nothing waiting: every message was delivered.').waitFor();
  });

  it('runs doctor again after confirmation; the action is audited', async () => {
    await page.getByRole('link', { name: 'Tenants', exact: true }).click();
    await section('acme').getByRole('button', { name: 'Run doctor again' }).click();
    await page.getByRole('heading', { name: 'Run doctor again for acme?' }).waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(/Doctor job job_\S+ for acme is/).waitFor();
    // the in-process job fails the login at once; its report replaces the stored one
    for (let i = 0; i < 100; i++) {
      const report = await runtime.store.console.doctorReport('acme');
      if (report !== null && !report.checks.some((c) => c.id === 'object.Case')) break;
      await sleep(50);
    }
    await page.getByRole('link', { name: 'Tenants', exact: true }).click();
    const failedFix = await section('acme')
      .locator('table.checks tbody tr td:nth-child(4)')
      .first()
      .innerText();
    assert.notEqual(failedFix, '—', 'the new failed check carries its fix');
  });

  it('searches the audit log by tenant, path, status and time, and lists the console actions', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page
      .getByRole('row', { name: /retry-dead-letter acme/ })
      .getByText('ok')
      .waitFor();
    await page.getByRole('row', { name: /run-doctor acme/ }).waitFor();
    await page.getByLabel('Tenant').selectOption('acme');
    await page.getByLabel('Status').fill('4xx');
    await page.getByLabel('Path contains').fill('query');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Salesforce calls (6)' }).waitFor();
    assert.equal(await page.locator('table.audit tbody tr').count(), 6);
    for (const text of await page.locator('table.audit tbody tr td:nth-child(5)').allInnerTexts())
      assert.equal(text, '403');
    // a time window that ends before the 403s were made finds nothing
    const to = new Date(Date.now() - 4 * HOUR).toISOString().slice(0, 16);
    await page.getByLabel('To (UTC)').fill(to);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No call matches.').waitFor();
    // an audited path holding markup renders as text
    await page.goto(`${base}/console/audit?tenant=globex`);
    await page.getByText('/services/data/v62.0/sobjects/<img src=x onerror=alert(1)>').waitFor();
    assert.equal(await page.locator('table.audit img').count(), 0);
    await expectAccessible('09-audit');
  });

  it('switches to the dark theme, and the pages stay accessible in it', async () => {
    await page.goto(`${base}/console/usage`);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await expectAccessible('10-usage-dark');
    await page.goto(`${base}/console`);
    await expectAccessible('11-tenants-dark');
    await page.goto(`${base}/console/outbox`);
    await expectAccessible('12-outbox-dark');
  });

  it('the skip link comes first with the keyboard, and no page reported an error or a CSP refusal', async () => {
    await page.goto(`${base}/console/monitoring`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document
          .activeElement?.textContent,
    );
    assert.equal(focused, 'Skip to main content');
    // the sign-in page and the refused links answer 401 on purpose (the browser logs those); nothing else
    const unexpected = browser.problems.filter((p) => !p.includes('status of 401 (Unauthorized)'));
    assert.deepEqual(unexpected, []);
    assert.equal(browser.problems.length, 3, 'the signed-out page, the expired link and the used one');
  });
});
