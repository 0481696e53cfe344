// What an employee does through the bot: search knowledge, list their tickets, show one (public comments only, its
// state in their words), file one (at most once per idempotency key), comment on one (the replies operation).
// Another employee's ticket is answered exactly like a ticket that does not exist: its existence is not revealed.

import type { BotCaseGatewayFactory, BotSession } from '../../domain/bot/bot-ports.js';
import type { KnowledgeSearchResult } from '../../domain/knowledge/search-result.js';
import type { Clock, SalesforceGatewayFactory } from '../../domain/ports.js';
import type { SupportCase } from '../../domain/support.js';
import type { Tenant } from '../../domain/tenant.js';
import {
  describeCaseState,
  stateOfCase,
  type CaseState,
  type CaseStateMapping,
} from '../../domain/tickets/case-states.js';
import { caseBelongsTo, caseBelongsToContactless } from '../../domain/tickets/case-employee.js';
import { parseReplyHeader } from '../../domain/tickets/reply-parts.js';
import { caseStatesOf } from '../../domain/tickets/reply-rules.js';
import { planFiling } from '../../domain/bot/filing-rules.js';
import { appError } from '../../errors/app-error.js';
import {
  BOT_FIELD_UNMAPPED,
  BOT_TICKET_CHANGED,
  BOT_TICKET_NOT_FOUND,
  BOT_TICKET_STATE_REFUSED,
} from '../../errors/codes/bot.js';
import type { IdempotentWrites } from '../idempotent-writes.js';
import { forEmployee } from './employee-refusal.js';
import { FreshReads } from './fresh-reads.js';
import type { SearchRequest } from '../knowledge/knowledge-search.js';
import type { ReplyRequest, ReplyResult } from '../tickets/reply-to-case.js';

/**
 * A list holds every open ticket, then the closed ones changed in the last RECENT_CLOSED_DAYS, at most this many in
 * all (open first): a bound no employee's own open tickets reach, and one SOQL page.
 */
export const TICKET_LIST_LIMIT = 200;
/** how long a closed ticket stays in the employee's list after its last change */
export const RECENT_CLOSED_DAYS = 30;

export interface TicketSummary {
  number: string;
  subject: string | null;
  state: CaseState;
  /** the state in the employee's words */
  label: string;
  meaning: string;
  isClosed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TicketDetail extends TicketSummary, Freshness {
  description: string | null;
  comments: { id: string; body: string; createdAt: string; fromAgent: boolean }[];
}

/** How fresh a read is: when casebridge read it from Salesforce, and how old a served read may be. */
export interface Freshness {
  asOf: string;
  maxAgeSeconds: number;
}

export interface TicketList extends Freshness {
  tickets: TicketSummary[];
}

export interface NewTicket {
  subject: string;
  description: string;
  priority?: string;
  /** the bot's own fields, mapped onto Case fields by the tenant's `filing.fields` */
  fields?: Record<string, string>;
}

export interface BotTicketDeps {
  tenants: { show(id: string): Promise<Tenant> };
  knowledge: {
    search(tenantId: string, query: string, request?: SearchRequest): Promise<KnowledgeSearchResult>;
  };
  gateways: SalesforceGatewayFactory;
  botCases: BotCaseGatewayFactory;
  writes: IdempotentWrites;
  replies: { replyToCase(request: ReplyRequest): Promise<ReplyResult> };
  /** list and show answered again while this fresh (services/bot/fresh-reads.ts; BOT_READ_MAX_AGE_MS as served) */
  freshReads: { clock: Clock; maxAgeMs: number };
}

type HeldRead =
  { kind: 'list'; tickets: TicketSummary[] } | { kind: 'show'; ticket: Omit<TicketDetail, keyof Freshness> };

const PURPOSE = 'bot-api';

export class BotTicketService {
  private readonly reads: FreshReads<HeldRead>;

  constructor(private readonly deps: BotTicketDeps) {
    this.reads = new FreshReads(deps.freshReads.clock, deps.freshReads.maxAgeMs);
  }

  /** `load` through the employee's fresh reads, with how fresh the answer is */
  private async held(
    session: BotSession,
    key: string,
    load: () => Promise<HeldRead>,
  ): Promise<{ value: HeldRead; freshness: Freshness }> {
    const read = await this.reads.get(scopeOf(session), key, load);
    return {
      value: read.value,
      freshness: { asOf: read.readAt.toISOString(), maxAgeSeconds: this.deps.freshReads.maxAgeMs / 1000 },
    };
  }

  /** Forgets the reads held for an employee (a Contact id, or the email of one without), e.g. on a notification. */
  forgetReadsOf(tenantId: string, employee: string): void {
    this.reads.forget(`${tenantId}/${employee}`);
  }

  /** after the employee's own write: their next list and show read Salesforce again */
  private wrote(session: BotSession): void {
    this.reads.forget(scopeOf(session));
  }

  search(session: BotSession, query: string, request: SearchRequest): Promise<KnowledgeSearchResult> {
    return this.deps.knowledge.search(session.tenantId, query, request);
  }

  async list(session: BotSession): Promise<TicketSummary[]> {
    return (await this.listWithFreshness(session)).tickets;
  }

  /**
   * The employee's tickets (every open one, then the closed ones changed in the last 30 days, each newest change
   * first, TICKET_LIST_LIMIT at most), and how fresh the list is (served again for up to `freshReads.maxAgeMs`).
   */
  async listWithFreshness(session: BotSession): Promise<TicketList> {
    const { value, freshness } = await this.held(session, 'list', async () => {
      const tenant = await this.deps.tenants.show(session.tenantId);
      const cases = await this.deps.botCases.forTenant(tenant, PURPOSE).casesOf(
        { contactId: session.contactId, email: session.email },
        {
          limit: TICKET_LIST_LIMIT,
          closedSince: new Date(
            this.deps.freshReads.clock.now().getTime() - RECENT_CLOSED_DAYS * 24 * 60 * 60_000,
          ),
        },
      );
      const mapping = caseStatesOf(tenant.settings);
      const tickets = (await this.ownedAmong(session, tenant, cases)).map((c) => summaryOf(c, mapping));
      return { kind: 'list', tickets };
    });
    return { tickets: value.kind === 'list' ? value.tickets : [], ...freshness };
  }

  async show(session: BotSession, caseNumber: string): Promise<TicketDetail> {
    const { value, freshness } = await this.held(session, `show/${caseNumber}`, async () => {
      const tenant = await this.deps.tenants.show(session.tenantId);
      const sf = this.deps.botCases.forTenant(tenant, PURPOSE);
      const found = await this.ownCase(session, tenant, caseNumber);
      const comments = await sf.publicComments(found.id);
      return {
        kind: 'show',
        ticket: {
          ...summaryOf(found, caseStatesOf(tenant.settings)),
          description: found.description,
          comments: comments.map((c) => ({
            id: c.id,
            body: c.body,
            createdAt: c.createdAt,
            // the employee's own replies are posted by the service user under a header carrying their reference
            fromAgent: parseReplyHeader(c.body) === null,
          })),
        },
      };
    });
    if (value.kind !== 'show') throw appError(BOT_TICKET_NOT_FOUND, { params: { case: caseNumber } });
    return { ...value.ticket, ...freshness };
  }

  async file(session: BotSession, input: NewTicket, idempotencyKey: string): Promise<TicketSummary> {
    const tenant = await this.deps.tenants.show(session.tenantId);
    const mapping = caseStatesOf(tenant.settings);
    const plan = planFiling(tenant.settings.caseDefaults, tenant.settings.filing, input.fields ?? {});
    if ('unknown' in plan)
      throw appError(BOT_FIELD_UNMAPPED, { params: { fields: plan.unknown.join(', ') } });
    const refused = (err: unknown): never => {
      throw forEmployee(err, {
        botFields: tenant.settings.filing?.fields ?? {},
        sentFields: [
          ...Object.keys(input.fields ?? {}),
          ...(input.priority === undefined ? [] : ['priority']),
        ],
      });
    };
    const made = await this.deps.writes
      .createCase(tenant.id, this.deps.gateways.forTenant(tenant, PURPOSE), {
        subject: input.subject,
        description: input.description,
        status: newStatusOf(mapping),
        employeeId: session.contactId,
        suppliedEmail: session.contactId === null ? session.email : null,
        suppliedName: session.contactId === null ? session.name : null,
        ...(input.priority === undefined ? {} : { priority: input.priority }),
        extraFields: plan.fields,
        ...(plan.recordTypeId === null ? {} : { recordTypeId: plan.recordTypeId }),
        ...(plan.autoAssign === null ? {} : { autoAssign: plan.autoAssign }),
        // with the admin's External ID field the key goes there too, and a retry finds the Case by it
        ...(plan.externalIdField === null ? {} : { externalIdField: plan.externalIdField }),
        // keyed per employee: another employee's key can never return (or reveal) this employee's case
        idempotencyKey: scopedKey(session, idempotencyKey),
      })
      .catch(refused);
    this.wrote(session);
    return summaryOf(made, mapping);
  }

  async comment(
    session: BotSession,
    caseNumber: string,
    text: string,
    idempotencyKey: string,
  ): Promise<{ number: string; parts: number; replayed: boolean }> {
    const tenant = await this.deps.tenants.show(session.tenantId);
    const found = await this.ownCase(session, tenant, caseNumber);
    const result = await this.deps.replies
      .replyToCase({
        tenantId: tenant.id,
        caseId: found.id,
        employee: {
          id: session.contactId ?? session.email,
          name: session.name,
          email: session.email,
          ...(session.contactId === null ? { contactless: true } : {}),
        },
        text,
        idempotencyKey: scopedKey(session, idempotencyKey),
      })
      .catch((err: unknown) => {
        throw forEmployee(err, { caseNumber });
      });
    this.wrote(session);
    return { number: result.caseNumber, parts: result.parts, replayed: result.replayed };
  }

  /**
   * Close (the mapping's resolve status) or reopen (its reopen status) the employee's ticket, only if nobody changed
   * it since `lastSeen` (the `updatedAt` the employee was shown; else the case as read now): an agent's change made
   * meanwhile is never overwritten, and the employee is told why (BOT_TICKET_CHANGED).
   */
  async setState(
    session: BotSession,
    caseNumber: string,
    action: 'close' | 'reopen',
    lastSeen: string | undefined,
  ): Promise<TicketSummary> {
    const tenant = await this.deps.tenants.show(session.tenantId);
    const mapping = caseStatesOf(tenant.settings);
    const found = await this.ownCase(session, tenant, caseNumber);
    const { state } = stateOfCase(mapping, found);
    const done = action === 'close' ? state === 'RESOLVED' || state === 'CLOSED' : false;
    if (done) return summaryOf(found, mapping);
    if (action === 'reopen' && state !== 'RESOLVED' && state !== 'CLOSED')
      throw appError(BOT_TICKET_STATE_REFUSED, {
        params: { case: caseNumber, state: describeCaseState(state).label },
      });
    const status = action === 'close' ? mapping.actions.resolve : mapping.actions.reopen;
    const since = new Date(lastSeen ?? found.updatedAt);
    const outcome = await this.deps.botCases
      .forTenant(tenant, PURPOSE)
      .setStatusIfUnmodified(found.id, status, since)
      .catch((err: unknown) => {
        throw forEmployee(err, { caseNumber });
      });
    this.wrote(session);
    if (outcome === 'changed')
      throw appError(BOT_TICKET_CHANGED, {
        params: { case: caseNumber, action: action === 'close' ? 'closed' : 'reopened' },
      });
    const after = await this.deps.botCases.forTenant(tenant, PURPOSE).findCaseByNumber(caseNumber);
    return summaryOf(after ?? { ...found, status }, mapping);
  }

  /** The case with this number if it is the employee's; BOT_TICKET_NOT_FOUND otherwise, whoever's it is. */
  private async ownCase(session: BotSession, tenant: Tenant, caseNumber: string): Promise<SupportCase> {
    const found = await this.deps.botCases.forTenant(tenant, PURPOSE).findCaseByNumber(caseNumber);
    const [own] = found === null ? [] : await this.ownedAmong(session, tenant, [found]);
    if (own === undefined) throw appError(BOT_TICKET_NOT_FOUND, { params: { case: caseNumber } });
    return own;
  }

  /**
   * The cases among `cases` that are the employee's, by the one ownership rule (caseBelongsTo). A case with no Contact
   * counts by its supplied email only when exactly one Contact has it, so the email's Contacts are read once, and
   * only when such a case is there.
   */
  private async ownedAmong(
    session: BotSession,
    tenant: Tenant,
    cases: SupportCase[],
  ): Promise<SupportCase[]> {
    const byEmail = cases.some((c) => c.employeeId === null || c.employeeId === '');
    const contacts = byEmail
      ? await this.deps.gateways.forTenant(tenant, PURPOSE).findEmployeesByEmail(session.email)
      : [];
    return cases.filter((c) =>
      session.contactId === null
        ? caseBelongsToContactless(c, session.email, contacts)
        : caseBelongsTo(c, session.contactId, contacts),
    );
  }
}

function summaryOf(supportCase: SupportCase, mapping: CaseStateMapping): TicketSummary {
  const { state } = stateOfCase(mapping, supportCase);
  const words = describeCaseState(state);
  return {
    number: supportCase.number,
    subject: supportCase.subject,
    state,
    label: words.label,
    meaning: words.meaning,
    isClosed: supportCase.isClosed,
    createdAt: supportCase.createdAt,
    updatedAt: supportCase.updatedAt,
  };
}

/** The status a new case gets: the first the mapping calls NEW (the standard picklist's "New" by default). */
function newStatusOf(mapping: CaseStateMapping): string {
  return Object.entries(mapping.states).find(([, state]) => state === 'NEW')?.[0] ?? 'New';
}

/** one employee of one tenant: whose reads are kept together and forgotten after their writes */
const scopeOf = (session: BotSession): string => `${session.tenantId}/${session.contactId ?? session.email}`;

const scopedKey = (session: BotSession, key: string): string =>
  `bot:${session.contactId ?? session.email}:${key}`;
