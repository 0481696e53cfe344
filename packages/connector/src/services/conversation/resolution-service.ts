// Autonomous resolution: for each new monitored case nobody but its creator has touched, search the knowledge base
// with its subject and description; when the best article is clearly ahead (resolution-rules.ts), leave an internal
// comment with the proposed fix and reach out to the employee (outbox `ticket-notification`, kind
// `resolution-offer`: webhook, then the conversation). A confirmation closes the case with a public comment only if
// nobody changed it since the offer (no comment by anyone but casebridge, and If-Unmodified-Since on the status
// write); a decline leaves it with the agents and relays the details the employee adds. The funnel is counted per
// tenant from the records (store: case_resolutions).

import type { BotCaseGatewayFactory, BotSession } from '../../domain/bot/bot-ports.js';
import type { Awaiting } from '../../domain/conversation/dialogue.js';
import type { ArticleCard, BotMessage } from '../../domain/conversation/messages.js';
import type {
  ResolutionGatewayFactory,
  ResolutionRecord,
  ResolutionRepository,
} from '../../domain/conversation/resolution-ports.js';
import {
  confidenceOf,
  ineligibility,
  OFFER_ANSWER_HOURS,
  OFFER_ARTICLES,
  shouldOffer,
  ticketQuery,
  type ResolutionFunnel,
} from '../../domain/conversation/resolution-rules.js';
import { MAX_QUERY_CHARS } from '../../domain/knowledge/ranking.js';
import type { KnowledgeSearchResult } from '../../domain/knowledge/search-result.js';
import type { Clock, NewOutboxMessage, SalesforceGatewayFactory } from '../../domain/ports.js';
import type { Tenant } from '../../domain/tenant.js';
import { stateOfCase } from '../../domain/tickets/case-states.js';
import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import { caseStatesOf } from '../../domain/tickets/reply-rules.js';
import type { Logger } from '../../logging/logger.js';
import type { IdempotentWrites } from '../idempotent-writes.js';
import type { SearchRequest } from '../knowledge/knowledge-search.js';
import { articleCards, type ResolutionAnswers } from './conversation-engine.js';

/** cases considered per run (each batch is two Salesforce queries) */
export const CANDIDATES_PER_RUN = 50;
const PURPOSE = 'autonomous-resolution';
/** the outbox kind ticket monitoring uses (services/tickets/ticket-monitor.ts) */
const TICKET_NOTIFICATION_KIND = 'ticket-notification';

export interface ResolutionServiceDeps {
  tenants: { show(id: string): Promise<Tenant> };
  records: ResolutionRepository;
  resolutionGateways: ResolutionGatewayFactory;
  gateways: SalesforceGatewayFactory;
  botCases: BotCaseGatewayFactory;
  writes: IdempotentWrites;
  knowledge: {
    search(tenantId: string, query: string, request?: SearchRequest): Promise<KnowledgeSearchResult>;
  };
  outbox: { enqueue(message: NewOutboxMessage): Promise<{ id: string; created: boolean }> };
  /** the record ids among these that casebridge wrote itself (a case the bot filed) */
  ownWrites(tenantId: string, recordIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** relays the employee's details to the case, as their reply (the bot ticket operations) */
  comment(session: BotSession, caseNumber: string, text: string, idempotencyKey: string): Promise<unknown>;
  clock: Clock;
  log: Logger;
}

export interface ResolutionRunSummary {
  considered: number;
  eligible: number;
  offered: number;
  expired: number;
  reopened: number;
}

const text = (t: string): BotMessage => ({ type: 'text', text: t });

const articleLines = (articles: readonly ArticleCard[]): string =>
  articles.map((a) => `- ${a.title}${a.link === null ? '' : ` (${a.link})`}`).join('\n');

export class ResolutionService implements ResolutionAnswers {
  private readonly serviceUsers = new Map<string, string>();

  constructor(private readonly deps: ResolutionServiceDeps) {}

  funnel(tenantId: string): Promise<ResolutionFunnel> {
    return this.deps.records.funnel(tenantId);
  }

  /** One run for one tenant: new candidates, expired offers, reopened resolutions. */
  async run(tenantId: string): Promise<ResolutionRunSummary> {
    const tenant = await this.deps.tenants.show(tenantId);
    const mapping = caseStatesOf(tenant.settings);
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const summary: ResolutionRunSummary = { considered: 0, eligible: 0, offered: 0, expired: 0, reopened: 0 };
    const candidates = await this.deps.records.candidates(tenantId, CANDIDATES_PER_RUN);
    const fresh: typeof candidates = [];
    for (const c of candidates) {
      const { state } = stateOfCase(mapping, { status: c.status, isClosed: false });
      if (state === 'NEW') fresh.push(c);
      else await this.deps.records.put(this.record(tenantId, c, 'ineligible', 'not-new'), at);
    }
    summary.considered = candidates.length;
    if (fresh.length > 0) {
      const serviceUser = await this.serviceUserOf(tenant);
      const cases = await this.deps.resolutionGateways.forTenant(tenant).cases(fresh.map((c) => c.caseId));
      const own = await this.deps.ownWrites(
        tenantId,
        fresh.map((c) => c.caseId),
      );
      for (const c of fresh) {
        const sf = cases.find((x) => x.id === c.caseId);
        if (sf === undefined) {
          await this.deps.records.put(this.record(tenantId, c, 'ineligible', 'case-not-found'), at);
          continue;
        }
        const why = ineligibility({
          state: stateOfCase(mapping, { status: sf.status, isClosed: false }).state,
          createdById: sf.createdById,
          lastModifiedById: sf.lastModifiedById,
          ownerId: sf.ownerId,
          commentAuthorIds: sf.commentAuthorIds,
          employeeId: c.employeeId,
          filedByBot: own.has(sf.id) || sf.createdById === serviceUser,
        });
        if (why !== null) {
          await this.deps.records.put(this.record(tenantId, c, 'ineligible', why), at);
          continue;
        }
        summary.eligible += 1;
        const result = await this.deps.knowledge.search(
          tenantId,
          ticketQuery(sf.subject, sf.description, MAX_QUERY_CHARS),
          { limit: 3 },
        );
        const confidence = confidenceOf(result.hits.map((h) => h.score));
        if (!shouldOffer(confidence)) {
          await this.deps.records.put(
            { ...this.record(tenantId, c, 'not-offered', 'below-threshold'), confidence },
            at,
          );
          continue;
        }
        await this.offer(
          tenant,
          c.caseId,
          sf.number,
          c.employeeId ?? '',
          articleCards(result, OFFER_ARTICLES),
          confidence,
          at,
        );
        summary.offered += 1;
      }
    }
    const cutoff = now.getTime() - OFFER_ANSWER_HOURS * 3_600_000;
    for (const r of await this.deps.records.inStatus(tenantId, 'offered', 500))
      if (r.offeredAt !== null && Date.parse(r.offeredAt) < cutoff) {
        await this.deps.records.put({ ...r, status: 'no-answer' }, at);
        summary.expired += 1;
      }
    for (const { record, status, modstamp } of await this.deps.records.confirmedWithStatus(tenantId)) {
      // only a change the monitor saw after the confirmation: before it, the snapshot may predate casebridge's close
      if (status === null || modstamp === null || record.answeredAt === null) continue;
      if (Date.parse(modstamp) <= Date.parse(record.answeredAt)) continue;
      const { state } = stateOfCase(mapping, { status, isClosed: false });
      if (state !== 'RESOLVED' && state !== 'CLOSED') {
        await this.deps.records.put({ ...record, status: 'reopened' }, at);
        summary.reopened += 1;
      }
    }
    return summary;
  }

  private async offer(
    tenant: Tenant,
    caseId: string,
    caseNumber: string,
    employeeId: string,
    articles: ArticleCard[],
    confidence: number,
    at: string,
  ): Promise<void> {
    const gateway = this.deps.gateways.forTenant(tenant, PURPOSE);
    await this.deps.writes.addComment(tenant.id, gateway, {
      caseId,
      body:
        `casebridge proposed this fix to the employee from the knowledge base:\n${articleLines(articles)}\n` +
        'If they confirm it solved the problem, casebridge closes the case with a public comment; if they decline, ' +
        'or you change the case first, it stays with you.',
      isPublic: false,
      idempotencyKey: `resolution-offer:${caseId}`,
    });
    // the case as it is after casebridge's own note: any later change is someone else's
    const after = await this.deps.botCases.forTenant(tenant, PURPOSE).findCaseByNumber(caseNumber);
    const eventId = `resolution-offer:${tenant.id}:${caseId}`;
    const notification: TicketNotification = {
      eventId,
      kind: 'resolution-offer',
      tenantId: tenant.id,
      caseId,
      caseNumber,
      employeeId,
      state: 'NEW',
      occurredAt: at,
      offer: { articles: articles.map(({ marks: _marks, ...a }) => a) },
    };
    await this.deps.outbox.enqueue({
      tenantId: tenant.id,
      kind: TICKET_NOTIFICATION_KIND,
      idempotencyKey: eventId,
      eventId,
      orderingKey: caseId,
      payload: notification,
    });
    await this.deps.records.put(
      {
        tenantId: tenant.id,
        caseId,
        caseNumber,
        employee: employeeId,
        status: 'offered',
        reason: null,
        articles,
        confidence,
        offeredAt: at,
        offerStamp: after?.updatedAt ?? at,
        answeredAt: null,
      },
      at,
    );
  }

  /** The employee's answer to an offer, from the conversation. */
  async answer(
    session: BotSession,
    caseNumber: string,
    decision: 'confirm' | 'decline',
    _idempotencyKey: string,
  ): Promise<{ messages: BotMessage[]; awaiting: Awaiting }> {
    const record = await this.deps.records.byNumber(session.tenantId, caseNumber);
    // only the employee of the case answers its offer; anyone else hears exactly what a case without one says
    if (record === null || record.status !== 'offered' || record.employee !== session.contactId)
      return {
        messages: [text(`There is no proposed fix waiting for your answer on ticket ${caseNumber}.`)],
        awaiting: 'nothing',
      };
    const tenant = await this.deps.tenants.show(session.tenantId);
    const at = this.deps.clock.now().toISOString();
    const gateway = this.deps.gateways.forTenant(tenant, PURPOSE);
    if (decision === 'decline') {
      await this.deps.writes.addComment(tenant.id, gateway, {
        caseId: record.caseId,
        body: 'The employee said the fix casebridge proposed did not solve the problem; the case stays with you.',
        isPublic: false,
        idempotencyKey: `resolution-decline:${record.caseId}`,
      });
      await this.deps.records.put({ ...record, status: 'declined', answeredAt: at }, at);
      return {
        messages: [
          text(
            `Sorry it did not help. Ticket ${caseNumber} stays with the support team. Tell me anything that might ` +
              'help them (what you tried, the exact error) and I will add it to the ticket.',
          ),
        ],
        awaiting: 'details',
      };
    }
    const serviceUser = await this.serviceUserOf(tenant);
    const since = record.offeredAt ?? at;
    const agentStepIn =
      (await this.deps.resolutionGateways
        .forTenant(tenant)
        .foreignCommentsSince(record.caseId, since, serviceUser)) > 0 ||
      (await this.deps.botCases
        .forTenant(tenant, PURPOSE)
        .setStatusIfUnmodified(
          record.caseId,
          caseStatesOf(tenant.settings).actions.resolve,
          new Date(record.offerStamp ?? since),
        )) === 'changed';
    if (agentStepIn) {
      await this.deps.records.put({ ...record, status: 'agent-changed', answeredAt: at }, at);
      return {
        messages: [
          text(
            `The support team has already picked up ticket ${caseNumber} since I wrote, so I left it open with them.`,
          ),
        ],
        awaiting: 'nothing',
      };
    }
    await this.deps.writes.addComment(tenant.id, gateway, {
      caseId: record.caseId,
      body:
        `Solved by the knowledge base: the employee confirmed in the chat that this fixed the problem.\n${articleLines(record.articles)}\n` +
        'Reopen the case if it comes back.',
      isPublic: true,
      idempotencyKey: `resolution-confirm:${record.caseId}`,
    });
    await this.deps.records.put({ ...record, status: 'confirmed', answeredAt: at }, at);
    return {
      messages: [
        text(
          `Great, I closed ticket ${caseNumber}. If the problem comes back, tell me and I will help again.`,
        ),
      ],
      awaiting: 'nothing',
    };
  }

  async details(
    session: BotSession,
    caseNumber: string,
    body: string,
    idempotencyKey: string,
  ): Promise<BotMessage[]> {
    await this.deps.comment(session, caseNumber, body, idempotencyKey);
    return [text(`I added that to ticket ${caseNumber} for the support team.`)];
  }

  private record(
    tenantId: string,
    c: { caseId: string; caseNumber: string; employeeId: string | null },
    status: 'ineligible' | 'not-offered',
    reason: string,
  ): ResolutionRecord {
    return {
      tenantId,
      caseId: c.caseId,
      caseNumber: c.caseNumber,
      employee: c.employeeId ?? '',
      status,
      reason,
      articles: [],
      confidence: null,
      offeredAt: null,
      offerStamp: null,
      answeredAt: null,
    };
  }

  private async serviceUserOf(tenant: Tenant): Promise<string> {
    const known = this.serviceUsers.get(tenant.id);
    if (known !== undefined) return known;
    const { userId } = await this.deps.gateways.forTenant(tenant, PURPOSE).identity();
    this.serviceUsers.set(tenant.id, userId);
    return userId;
  }
}
