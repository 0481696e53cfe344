// `casebridge status`: per tenant, key and rotation state, pauses, API calls spent; with a running service, the
// recurring jobs too (last run, next run, slowed or paused and why).

import type { Command } from 'commander';

import type { DecidedPollPace } from '../../domain/tickets/poll-pace-ports.js';
import { withAdmin, type CliContext } from '../context.js';
import { table } from '../output.js';

/** Where the allocation a tenant's pace rests on came from, in words. */
export function allocationOf(pace: DecidedPollPace): string {
  const a = pace.allocation;
  if (a === undefined) return '?';
  const tried =
    a.limits === null || a.limits.outcome === 'read'
      ? ''
      : a.limits.outcome === 'refused'
        ? ` (/limits refused to the service user at ${a.limits.readAt})`
        : ` (/limits did not answer at ${a.limits.readAt})`;
  if (a.source === 'limits') return `${a.max ?? '?'} a day from /limits, read at ${a.limits?.readAt ?? '?'}`;
  if (a.source === 'header') return `${a.max ?? '?'} a day from the usage header${tried}`;
  return `not known yet: the default (idle) interval until a call reports it${tried}`;
}

export function registerStatusCommand(program: Command, context: () => CliContext): void {
  program
    .command('status')
    .description('Tenants, API usage, pauses and background jobs')
    .action(async () => {
      const ctx = context();
      const report = await withAdmin(ctx, (ops) => ops.status());
      ctx.output.result(report, () => {
        ctx.output.line(
          report.source === 'service'
            ? 'casebridge service is running.'
            : 'No casebridge service is running (read from the store).',
        );
        if (report.tenants.length === 0) {
          ctx.output.line('No tenants.');
          return;
        }
        ctx.output.line(
          table(
            report.tenants.map((t) => ({
              tenant: t.id,
              key: t.keyFingerprint
                ? `${t.keyFingerprint.slice(0, 11)}${t.keyProven ? '' : ' (unproven)'}`
                : 'none',
              rotation: t.rotationPending ? 'pending' : '',
              calls24h: String(t.callsLast24h),
              org: t.orgApiUsage ? `${t.orgApiUsage.used}/${t.orgApiUsage.max}` : '?',
              paused: t.paused ? `until ${t.paused.until}: ${t.paused.reason}` : '',
              watched: t.monitor ? String(t.monitor.watched) : '',
              lastPoll: t.monitor ? t.monitor.polledAt : '',
              lag: t.monitor?.lagMs == null ? '' : `${Math.round(t.monitor.lagMs / 1000)}s`,
              skipped: t.monitor
                ? Object.entries(t.monitor.skipped)
                    .map(([why, n]) => `${why} ${n}`)
                    .join(', ')
                : '',
            })),
            [
              'tenant',
              'key',
              'rotation',
              'calls24h',
              'org',
              'paused',
              'watched',
              'lastPoll',
              'lag',
              'skipped',
            ],
          ),
        );
        const paced = report.tenants.filter((t) => t.pollPace != null);
        if (paced.length > 0) {
          ctx.output.line('');
          ctx.output.line(
            table(
              paced.map((t) => ({
                tenant: t.id,
                pollEvery: t.pollPace ? `${Math.round(t.pollPace.intervalMs / 100) / 10}s` : '',
                callsPerDay: t.pollPace
                  ? `${t.pollPace.callsPerDayAtPace}${t.pollPace.allowancePerDay === null ? '' : ` of ${t.pollPace.allowancePerDay}`}`
                  : '',
                allocation: t.pollPace ? allocationOf(t.pollPace) : '',
                why: t.pollPace ? `${t.pollPace.why}: ${t.pollPace.reason}` : '',
              })),
              // the reason is the longest cell: last, so the short columns stay readable in a narrow terminal
              ['tenant', 'pollEvery', 'callsPerDay', 'allocation', 'why'],
            ),
          );
        }
        const sourced = report.tenants.filter((t) => t.caseChanges !== undefined);
        if (sourced.length > 0) {
          ctx.output.line('');
          ctx.output.line(
            table(
              sourced.map((t) => ({
                tenant: t.id,
                caseChanges: t.caseChanges?.source ?? '',
                why: t.caseChanges?.reason ?? '',
              })),
              ['tenant', 'caseChanges', 'why'],
            ),
          );
        }
        const resolving = report.tenants.filter((t) => (t.autonomousResolution?.eligible ?? 0) > 0);
        if (resolving.length > 0) {
          ctx.output.line('');
          ctx.output.line(
            table(
              resolving.map((t) => {
                const f = t.autonomousResolution;
                return {
                  tenant: t.id,
                  eligible: String(f?.eligible ?? 0),
                  offered: String(f?.offered ?? 0),
                  confirmed: String(f?.confirmed ?? 0),
                  declined: String(f?.declined ?? 0),
                  noAnswer: String(f?.noAnswer ?? 0),
                  reopened: String(f?.reopened ?? 0),
                };
              }),
              ['tenant', 'eligible', 'offered', 'confirmed', 'declined', 'noAnswer', 'reopened'],
            ),
          );
        }
        const synced = report.tenants.filter((t) => t.knowledgeSync != null);
        if (synced.length > 0) {
          ctx.output.line('');
          ctx.output.line(
            table(
              synced.map((t) => {
                const k = t.knowledgeSync;
                return {
                  tenant: t.id,
                  knowledge: k ? `${k.state}${k.full ? ' (full)' : ''} ${k.finishedAt ?? k.startedAt}` : '',
                  articles: k ? `${k.done}/${k.total}` : '',
                  changes: k ? `+${k.written} -${k.removed}` : '',
                  warnings: k
                    ? (k.error ??
                      (k.warningCount > 0 ? `${k.warningCount}: ${k.warnings[0]?.code ?? ''}` : ''))
                    : '',
                };
              }),
              ['tenant', 'knowledge', 'articles', 'changes', 'warnings'],
            ),
          );
        }
        if (report.jobs.length > 0) {
          ctx.output.line('');
          ctx.output.line(
            table(
              report.jobs.map((j) => ({
                tenant: j.tenantId,
                job: j.job,
                last: j.lastOutcome ? `${j.lastOutcome} ${j.lastRunAt ?? ''}` : 'not yet',
                next: j.nextRunAt ?? '',
                note: j.paused
                  ? `paused: ${j.reason ?? ''}`
                  : j.slowdownFactor > 1
                    ? `slowed x${j.slowdownFactor}: ${j.reason ?? ''}`
                    : '',
              })),
              ['tenant', 'job', 'last', 'next', 'note'],
            ),
          );
        }
        const outbox = report.outbox ?? [];
        if (outbox.length > 0) {
          ctx.output.line('');
          ctx.output.line(
            table(
              outbox.map((o) => ({
                tenant: o.tenantId,
                outbox: o.kind,
                pending: String(o.pending),
                retrying: String(o.retrying),
                dead: String(o.dead),
              })),
              ['tenant', 'outbox', 'pending', 'retrying', 'dead'],
            ),
          );
        }
        const onDemand = report.onDemand ?? [];
        if (onDemand.length > 0) {
          ctx.output.line('');
          ctx.output.line(
            table(
              onDemand.slice(0, 10).map((j) => ({
                job: j.id,
                kind: j.kind,
                tenant: j.tenantId,
                state: j.state === 'failed' && j.error ? `failed ${j.error.code}` : j.state,
                progress: j.progress
                  ? `${j.progress.done}/${j.progress.total ?? '?'} ${j.progress.unit}`
                  : '',
              })),
              ['job', 'kind', 'tenant', 'state', 'progress'],
            ),
          );
        }
      });
    });
}
