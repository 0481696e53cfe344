// The console's panels as HTML: one function per page, from the plain data of services/console/console-data.ts.
// Every value goes through `markup`, so whatever a tenant, Salesforce or a receiver wrote renders as text.

import type { OperatorAction } from '../../domain/console-ports.js';
import type { ApiAuditEntry } from '../../domain/ports.js';
import type {
  FunnelPanel,
  KnowledgePanel,
  MonitorPanel,
  OutboxPanel,
  TenantHealth,
  UsagePanel,
} from '../../services/console/console-data.js';
import { FUNNEL_STAGES, type FunnelStage } from '../../services/console/resolution-funnel.js';
import { jsonBlock, markup, type SafeHtml } from './html.js';
import { badge, durationOf, timeOf } from './layout.js';

const noTenants = markup`<p class="empty">No tenants yet. Add one with <code>casebridge tenants add</code>.</p>`;

/** a POST form whose submit asks for confirmation on the next page (the action runs only once confirmed) */
function actionForm(action: string, csrf: string, label: string, describedBy?: string): SafeHtml {
  return markup`<form method="post" action="${action}" class="inline-form">
    <input type="hidden" name="csrf" value="${csrf}" />
    <button type="submit" class="button" ${describedBy === undefined ? '' : markup`aria-describedby="${describedBy}"`}>${label}</button>
  </form>`;
}

export function tenantsBody(tenants: readonly TenantHealth[], csrf: string): SafeHtml {
  if (tenants.length === 0) return noTenants;
  return markup`${tenants.map((tenant) => {
    const report = tenant.doctor;
    const failed = report?.checks.filter((check) => check.status === 'fail') ?? [];
    const warned = report?.checks.filter((check) => check.status === 'warn') ?? [];
    const health =
      report === null
        ? badge('info', 'not checked yet')
        : failed.length > 0
          ? badge('fail', `${failed.length} failed`)
          : warned.length > 0
            ? badge('warn', `${warned.length} warning${warned.length === 1 ? '' : 's'}`)
            : badge('ok', 'healthy');
    const job = tenant.doctorJob;
    const headingId = `tenant-${tenant.id}`;
    return markup`<section class="card" aria-labelledby="${headingId}" data-tenant="${tenant.id}">
      <h2 id="${headingId}">${tenant.name} <span class="muted">(${tenant.id})</span> ${health}</h2>
      <dl class="facts">
        <div><dt>Last doctor run</dt><dd>${timeOf(report?.checkedAt)}</dd></div>
        <div><dt>Key</dt><dd>${tenant.keyProven ? 'proven by a login' : 'not proven yet'}</dd></div>
        <div><dt>Background work</dt><dd>${
          tenant.paused === null
            ? 'running'
            : markup`paused until ${timeOf(tenant.paused.until)}: ${tenant.paused.reason}`
        }</dd></div>
        ${
          job === null
            ? ''
            : markup`<div><dt>Doctor job</dt><dd>${job.state}${job.error === null ? '' : markup`: ${job.error.code}`} (${timeOf(job.requestedAt)})</dd></div>`
        }
      </dl>
      ${
        failed.length + warned.length === 0
          ? ''
          : markup`<table class="checks">
              <caption>Checks that need attention</caption>
              <thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">What was found</th><th scope="col">How to fix</th></tr></thead>
              <tbody>${[...failed, ...warned].map(
                (check) => markup`<tr>
                  <th scope="row">${check.title}${check.code === undefined ? '' : markup`<br /><code>${check.code}</code>`}</th>
                  <td>${check.status === 'fail' ? badge('fail', 'failed') : badge('warn', 'warning')}</td>
                  <td>${check.detail}</td>
                  <td>${check.fix ?? '—'}</td>
                </tr>`,
              )}</tbody>
            </table>`
      }
      ${actionForm(`/console/tenants/${encodeURIComponent(tenant.id)}/doctor`, csrf, 'Run doctor again', headingId)}
    </section>`;
  })}`;
}

export function knowledgeBody(panels: readonly KnowledgePanel[]): SafeHtml {
  if (panels.length === 0) return noTenants;
  return markup`${panels.map((panel) => {
    const latest = panel.latest;
    const id = `knowledge-${panel.tenantId}`;
    const run = (mark: KnowledgePanel['full']): SafeHtml =>
      mark === null
        ? markup`<span class="muted">never</span>`
        : markup`${timeOf(mark.finishedAt ?? mark.startedAt)} (${mark.state})`;
    return markup`<section class="card" aria-labelledby="${id}" data-tenant="${panel.tenantId}">
      <h2 id="${id}">${panel.tenantId}</h2>
      <dl class="facts">
        <div><dt>Last full run</dt><dd>${run(panel.full)}</dd></div>
        <div><dt>Last incremental run</dt><dd>${run(panel.incremental)}</dd></div>
        <div><dt>Lag</dt><dd>${panel.lagMs === null ? 'no successful run yet' : durationOf(panel.lagMs)}</dd></div>
        ${
          latest === null
            ? ''
            : markup`<div><dt>Newest run</dt><dd>${latest.state}: ${latest.written} written, ${latest.removed} removed${
                latest.error === null ? '' : markup`; stopped: ${latest.error}`
              }</dd></div>`
        }
      </dl>
      ${
        panel.languages.length === 0
          ? markup`<p class="empty">No articles synced yet.</p>`
          : markup`<table>
              <caption>Articles per language</caption>
              <thead><tr><th scope="col">Language</th><th scope="col" class="num">Articles</th></tr></thead>
              <tbody>${panel.languages.map(
                (row) =>
                  markup`<tr><th scope="row">${row.language}</th><td class="num">${row.articles}</td></tr>`,
              )}</tbody>
            </table>`
      }
      ${
        latest === null || latest.warningCount === 0
          ? ''
          : markup`<table class="warnings">
              <caption>Warnings of the newest run (${latest.warningCount})</caption>
              <thead><tr><th scope="col">Code</th><th scope="col">Warning</th><th scope="col">How to fix</th></tr></thead>
              <tbody>${latest.warnings.map(
                (w) =>
                  markup`<tr><th scope="row"><code>${w.code}</code></th><td>${w.message}</td><td>${w.fix}</td></tr>`,
              )}</tbody>
            </table>`
      }
    </section>`;
  })}`;
}

const SKIP_WORDS: Record<string, string> = {
  'no-contact-or-email': 'the case has no contact or no email',
  'no-contact-with-email': 'no contact has the email',
  'several-contacts-with-email': 'several contacts share the email',
  'not-monitored': 'outside the monitor filter',
  'internal-comment': 'internal comment (never relayed)',
  'own-write': "casebridge's own write",
  'case-ended': 'the case was deleted or merged',
};

export function monitoringBody(panels: readonly MonitorPanel[]): SafeHtml {
  if (panels.length === 0) return noTenants;
  return markup`${panels.map((panel) => {
    const stats = panel.stats;
    const pace = panel.pace;
    const id = `monitor-${panel.tenantId}`;
    const skips = Object.entries(stats?.skipped ?? {}).filter(([, n]) => (n ?? 0) > 0);
    return markup`<section class="card" aria-labelledby="${id}" data-tenant="${panel.tenantId}">
      <h2 id="${id}">${panel.tenantId}</h2>
      ${
        stats === null
          ? markup`<p class="empty">Not polled yet.</p>`
          : markup`<dl class="facts">
              <div><dt>Cases watched</dt><dd data-field="watched">${stats.watched}</dd></div>
              <div><dt>Last poll</dt><dd>${timeOf(stats.polledAt)}</dd></div>
              <div><dt>Lag</dt><dd data-field="lag">${durationOf(stats.lagMs)}</dd></div>
              <div><dt>Notifications sent</dt><dd>${stats.notified}</dd></div>
            </dl>`
      }
      <dl class="facts">
        <div><dt>Poll interval</dt><dd data-field="interval">${pace === null ? 'not decided yet' : durationOf(pace.intervalMs)}</dd></div>
        <div><dt>Why</dt><dd data-field="why">${pace === null ? '—' : pace.reason}</dd></div>
      </dl>
      ${
        skips.length === 0
          ? ''
          : markup`<table>
              <caption>Skipped cases and why</caption>
              <thead><tr><th scope="col">Reason</th><th scope="col" class="num">Skipped</th></tr></thead>
              <tbody>${skips.map(
                ([reason, n]) =>
                  markup`<tr><th scope="row">${SKIP_WORDS[reason] ?? reason}</th><td class="num">${n ?? 0}</td></tr>`,
              )}</tbody>
            </table>`
      }
    </section>`;
  })}`;
}

export function usageBody(panels: readonly UsagePanel[]): SafeHtml {
  if (panels.length === 0) return noTenants;
  return markup`${panels.map((panel, index) => {
    const id = `usage-${panel.tenantId}`;
    const hourLabel = (iso: string): string => `${iso.slice(11, 16)} UTC`;
    return markup`<section class="card" aria-labelledby="${id}" data-tenant="${panel.tenantId}">
      <h2 id="${id}">${panel.tenantId}</h2>
      <dl class="facts">
        <div><dt>Calls in the last 24 h</dt><dd data-field="calls">${panel.callsLast24h}</dd></div>
        <div><dt>Tenant's share</dt><dd>${Math.round(panel.share * 100)} % of the org's allocation${
          panel.sharePerHour === null ? '' : ` (${panel.sharePerHour} calls an hour)`
        }</dd></div>
        <div><dt>Org allocation used</dt><dd>${
          panel.orgApiUsage === null
            ? 'not known yet'
            : `${panel.orgApiUsage.used} of ${panel.orgApiUsage.max}`
        }</dd></div>
      </dl>
      <div class="chart-box">
        <canvas id="usage-chart-${index}" class="usage-chart" data-source="usage-data-${index}" role="img"
          aria-label="Salesforce calls per hour over the last 24 hours by purpose, against the tenant's hourly share; the table below has the figures"></canvas>
      </div>
      <script type="application/json" id="usage-data-${index}">${jsonBlock({
        labels: panel.hours.map(hourLabel),
        series: panel.byPurpose,
        sharePerHour: panel.sharePerHour,
      })}</script>
      <details>
        <summary>Calls per hour as a table</summary>
        ${
          panel.byPurpose.length === 0
            ? markup`<p class="empty">No calls in the last 24 hours.</p>`
            : markup`<div class="table-scroll" tabindex="0" role="region" aria-label="Calls per hour of ${panel.tenantId}"><table>
                <thead><tr><th scope="col">Hour</th>${panel.byPurpose.map((s) => markup`<th scope="col" class="num">${s.purpose}</th>`)}</tr></thead>
                <tbody>${panel.hours.map(
                  (hour, i) =>
                    markup`<tr><th scope="row">${hourLabel(hour)}</th>${panel.byPurpose.map(
                      (s) => markup`<td class="num">${s.calls[i] ?? 0}</td>`,
                    )}</tr>`,
                )}</tbody>
              </table></div>`
        }
      </details>
    </section>`;
  })}`;
}

export function outboxBody(panel: OutboxPanel, csrf: string): SafeHtml {
  return markup`<section class="card" aria-labelledby="outbox-counts">
      <h2 id="outbox-counts">Messages waiting</h2>
      ${
        panel.counts.length === 0
          ? markup`<p class="empty">Nothing waiting: every message was delivered.</p>`
          : markup`<table>
              <thead><tr><th scope="col">Tenant</th><th scope="col">Kind</th><th scope="col" class="num">Pending</th><th scope="col" class="num">Failed, retrying</th><th scope="col" class="num">Dead</th></tr></thead>
              <tbody>${panel.counts.map(
                (
                  row,
                ) => markup`<tr data-tenant="${row.tenantId}"><th scope="row">${row.tenantId}</th><td>${row.kind}</td>
                  <td class="num" data-field="pending">${row.pending}</td><td class="num" data-field="retrying">${row.retrying}</td><td class="num" data-field="dead">${row.dead}</td></tr>`,
              )}</tbody>
            </table>`
      }
    </section>
    <section class="card" aria-labelledby="dead-letters">
      <h2 id="dead-letters">Dead letters</h2>
      ${
        panel.dead.length === 0
          ? markup`<p class="empty">No dead letters.</p>`
          : markup`<table>
              <thead><tr><th scope="col">Message</th><th scope="col">Tenant</th><th scope="col">Kind</th><th scope="col" class="num">Attempts</th><th scope="col">Last error</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
              <tbody>${panel.dead.map(
                (dead) => markup`<tr data-dead="${dead.id}">
                  <th scope="row" id="dead-${dead.id}">#${dead.id}</th><td>${dead.tenantId}</td><td>${dead.kind}</td>
                  <td class="num">${dead.attempts}</td><td class="error-text">${dead.lastError ?? '—'}</td><td>${timeOf(dead.createdAt)}</td>
                  <td>${actionForm(`/console/dead-letters/${encodeURIComponent(dead.id)}/retry`, csrf, 'Retry', `dead-${dead.id}`)}</td>
                </tr>`,
              )}</tbody>
            </table>`
      }
    </section>`;
}

const STAGE_WORDS: Record<FunnelStage, string> = {
  eligible: 'Eligible for an autonomous answer',
  offered: 'Answer offered',
  confirmed: 'Employee confirmed it solved the issue',
  declined: 'Employee declined',
  noAnswer: 'No answer from the employee',
  reopened: 'Reopened afterwards',
};

export function funnelBody(panels: readonly FunnelPanel[]): SafeHtml {
  if (panels.length === 0) return noTenants;
  return markup`${panels.map((panel) => {
    const id = `funnel-${panel.tenantId}`;
    // a funnel no case has entered yet reads as "no data yet", not as a table of zeros
    const funnel =
      panel.funnel !== null && FUNNEL_STAGES.some((stage) => (panel.funnel?.[stage] ?? 0) > 0)
        ? panel.funnel
        : null;
    const top = funnel === null ? 0 : Math.max(1, funnel.eligible);
    return markup`<section class="card" aria-labelledby="${id}" data-tenant="${panel.tenantId}">
      <h2 id="${id}">${panel.tenantId}</h2>
      ${
        funnel === null
          ? markup`<p class="empty">No data yet. No ticket has been considered for autonomous resolution.</p>`
          : markup`<table class="funnel">
              <thead><tr><th scope="col">Stage</th><th scope="col" class="num">Cases</th><th scope="col" class="num">Of eligible</th></tr></thead>
              <tbody>${FUNNEL_STAGES.map(
                (stage) => markup`<tr data-stage="${stage}"><th scope="row">${STAGE_WORDS[stage]}</th>
                  <td class="num">${funnel[stage]}</td><td class="num">${Math.round((funnel[stage] / top) * 100)} %</td></tr>`,
              )}</tbody>
            </table>`
      }
    </section>`;
  })}`;
}

export interface AuditQuery {
  tenant: string;
  path: string;
  status: string;
  from: string;
  to: string;
}

export function auditBody(
  query: AuditQuery,
  tenants: readonly string[],
  entries: readonly ApiAuditEntry[],
  actions: readonly OperatorAction[],
  limit: number,
  problem: string | null,
): SafeHtml {
  return markup`<form method="get" action="/console/audit" class="search-form" role="search" aria-label="Search the API audit log">
      <div class="field"><label for="q-tenant">Tenant</label>
        <select id="q-tenant" name="tenant"><option value="">Every tenant</option>${tenants.map(
          (id) => markup`<option value="${id}" ${id === query.tenant ? markup`selected` : ''}>${id}</option>`,
        )}</select></div>
      <div class="field"><label for="q-path">Path contains</label><input id="q-path" name="path" value="${query.path}" maxlength="200" /></div>
      <div class="field"><label for="q-status">Status</label><input id="q-status" name="status" value="${query.status}" placeholder="e.g. 200 or 4xx" maxlength="3" aria-describedby="q-status-help" />
        <span id="q-status-help" class="help">a status (403) or a class (4xx)</span></div>
      <div class="field"><label for="q-from">From (UTC)</label><input id="q-from" name="from" type="datetime-local" value="${query.from}" /></div>
      <div class="field"><label for="q-to">To (UTC)</label><input id="q-to" name="to" type="datetime-local" value="${query.to}" /></div>
      <div class="field field-action"><button type="submit" class="button">Search</button></div>
    </form>
    ${problem === null ? '' : markup`<p class="flash flash-error" role="alert">${problem}</p>`}
    <section class="card" aria-labelledby="audit-results">
      <h2 id="audit-results">Salesforce calls (${entries.length}${entries.length === limit ? '+, newest first' : ''})</h2>
      ${
        entries.length === 0
          ? markup`<p class="empty">No call matches.</p>`
          : markup`<div class="table-scroll" tabindex="0" role="region" aria-label="Matching calls"><table class="audit">
              <thead><tr><th scope="col">Time</th><th scope="col">Tenant</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col" class="num">Status</th><th scope="col">Error</th><th scope="col">Purpose</th><th scope="col" class="num">ms</th></tr></thead>
              <tbody>${entries.map(
                (
                  e,
                ) => markup`<tr><td>${timeOf(e.at)}</td><td>${e.tenantId}</td><td>${e.method}</td><td class="path">${e.path}</td>
                  <td class="num">${e.status ?? '—'}</td><td>${e.errorCode ?? ''}</td><td>${e.purpose ?? ''}</td><td class="num">${e.durationMs}</td></tr>`,
              )}</tbody>
            </table></div>`
      }
    </section>
    <section class="card" aria-labelledby="operator-actions">
      <h2 id="operator-actions">Console actions</h2>
      ${
        actions.length === 0
          ? markup`<p class="empty">No action taken in the console yet.</p>`
          : markup`<table>
              <thead><tr><th scope="col">Time</th><th scope="col">Session</th><th scope="col">Action</th><th scope="col">Tenant</th><th scope="col">Target</th><th scope="col">Outcome</th></tr></thead>
              <tbody>${actions.map(
                (
                  a,
                ) => markup`<tr data-action="${a.action}"><td>${timeOf(a.at)}</td><td>${a.actor}</td><td>${a.action}</td><td>${a.tenantId ?? ''}</td><td>${a.target ?? ''}</td>
                  <td>${a.outcome === 'ok' ? badge('ok', 'ok') : badge('fail', `failed${a.detail === null ? '' : `: ${a.detail}`}`)}</td></tr>`,
              )}</tbody>
            </table>`
      }
    </section>`;
}

export function confirmBody(question: string, action: string, csrf: string, back: string): SafeHtml {
  return markup`<section class="card confirm" aria-labelledby="confirm-q">
    <h2 id="confirm-q">${question}</h2>
    <p>This action is recorded in the console's action log.</p>
    <form method="post" action="${action}" class="inline-form">
      <input type="hidden" name="csrf" value="${csrf}" />
      <input type="hidden" name="confirmed" value="yes" />
      <button type="submit" class="button button-primary" autofocus>Confirm</button>
      <a class="button button-quiet" href="${back}">Cancel</a>
    </form>
  </section>`;
}

export function messageBody(
  text: string,
  tone: 'error' | 'ok',
  next?: { href: string; label: string },
): SafeHtml {
  return markup`<p class="flash flash-${tone}" role="${tone === 'error' ? 'alert' : 'status'}">${text}</p>
    ${next === undefined ? '' : markup`<p><a href="${next.href}">${next.label}</a></p>`}`;
}
