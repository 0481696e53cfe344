// Employee sessions of the bot API: an identity token, verified once, becomes an opaque session token (random, kept
// only as its SHA-256) that ends after 30 minutes unused or 12 hours at most, or when revoked. The employee behind it
// is resolved at the exchange: their one Contact, the one they chose among several, or none (filing by email).

import { createHash, randomBytes } from 'node:crypto';

import type {
  BotIdentityRepository,
  BotSession,
  BotSessionRepository,
  TokenIdRepository,
} from '../../domain/bot/bot-ports.js';
import type { Clock, SalesforceGatewayFactory } from '../../domain/ports.js';
import type { Employee } from '../../domain/support.js';
import type { Tenant } from '../../domain/tenant.js';
import type { EmployeeZoneRepository } from '../../domain/tickets/nudge-ports.js';
import { contactsWithEmail, normalizeEmail } from '../../domain/tickets/case-employee.js';
import { appError } from '../../errors/app-error.js';
import {
  BOT_EMPLOYEE_AMBIGUOUS,
  BOT_EMPLOYEE_CHOICE_INVALID,
  BOT_IDENTITY_NOT_CONFIGURED,
  BOT_IDENTITY_TOKEN_REPLAYED,
  BOT_SESSION_INVALID,
} from '../../errors/codes/bot.js';
import type { Logger } from '../../logging/logger.js';
import { CLOCK_SKEW_SECONDS, type IdentityVerifier } from './identity-verifier.js';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 3_600_000;
/** how long an email's Contacts are reused before asking Salesforce again */
const CONTACT_CACHE_MS = 60_000;
/** how often the idle timer of a session in use is written to the store */
const TOUCH_EVERY_MS = 60_000;
/**
 * How long a worker keeps a session it read from the store before reading it again: a busy conversation's calls
 * then cost no store read each. A revocation (DELETE /v1/sessions/current, on another worker) is seen within this
 * window; on the worker that revoked it, at once.
 */
export const SESSION_CACHE_MS = 5_000;
/** session tokens carry this prefix, so a leaked one is recognisable by secret scanners */
const SESSION_PREFIX = 'cbs_';

export interface SessionRequest {
  tenantId: string;
  identityToken: string;
  /** the Contact the employee chose after BOT_EMPLOYEE_AMBIGUOUS */
  contactId?: string;
}

export interface EmployeeView {
  contactId: string | null;
  name: string;
  email: string;
}

export interface CreatedSession {
  /** shown once: only its hash is stored */
  session: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
  employee: EmployeeView;
}

export interface BotSessionDeps {
  tenants: { show(id: string): Promise<Tenant> };
  identity: BotIdentityRepository;
  tokenIds: TokenIdRepository;
  sessions: BotSessionRepository;
  verifier: IdentityVerifier;
  gateways: SalesforceGatewayFactory;
  clock: Clock;
  log: Logger;
  /** where the employee's `zoneinfo` claim is kept for reminders' quiet hours (store/repositories/nudges.ts) */
  zones?: Pick<EmployeeZoneRepository, 'put'>;
  /** told when an employee starts or resumes talking to the bot (the poll pacer's PaceSignals: polling speeds up) */
  activity?: { changed(tenantId: string): void };
  /** random bytes (tests may fix them) */
  random?: (size: number) => Buffer;
}

export const hashSession = (token: string): string => createHash('sha256').update(token).digest('hex');

export class BotSessionService {
  private readonly contacts = new Map<string, { at: number; contacts: Employee[] }>();
  /** sessions read from the store lately, by token hash, with when they were read */
  private readonly held = new Map<string, { at: number; session: BotSession }>();

  constructor(private readonly deps: BotSessionDeps) {}

  async create(request: SessionRequest): Promise<CreatedSession> {
    const tenant = await this.deps.tenants.show(request.tenantId);
    const settings = await this.deps.identity.get(tenant.id);
    if (settings === null) throw appError(BOT_IDENTITY_NOT_CONFIGURED, { params: { tenant: tenant.id } });
    const identity = await this.deps.verifier.verify(request.identityToken, settings);
    const email = normalizeEmail(identity.email);
    const matches = contactsWithEmail(email, await this.contactsOf(tenant, email));
    let contact: Employee | null = null;
    if (request.contactId !== undefined) {
      contact = matches.find((m) => m.id === request.contactId) ?? null;
      if (contact === null)
        throw appError(BOT_EMPLOYEE_CHOICE_INVALID, {
          params: { email },
          details: { candidates: matches.map(candidate) },
        });
    } else if (matches.length > 1) {
      // Before the token id is recorded: the employee chooses, and the same token may be sent again with the choice.
      throw appError(BOT_EMPLOYEE_AMBIGUOUS, {
        params: { count: matches.length, email },
        details: { candidates: matches.map(candidate) },
      });
    } else contact = matches[0] ?? null;

    // Recorded only now, in one statement that exactly one of two racing exchanges wins. Kept past `exp` by the clock
    // skew the verifier allows: until then the token still verifies, so forgetting its id at `exp` would let a purge
    // in that minute open it to a replay.
    const acceptedUntil = new Date(identity.expiresAt.getTime() + CLOCK_SKEW_SECONDS * 1000);
    if (!(await this.deps.tokenIds.remember(tenant.id, identity.jti, acceptedUntil)))
      throw appError(BOT_IDENTITY_TOKEN_REPLAYED);
    const now = this.deps.clock.now();
    const token = SESSION_PREFIX + (this.deps.random ?? randomBytes)(32).toString('base64url');
    const name = contact?.name ?? identity.name ?? email;
    const session: BotSession = {
      tokenHash: hashSession(token),
      tenantId: tenant.id,
      email,
      contactId: contact?.id ?? null,
      name,
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
      revokedAt: null,
    };
    await this.deps.sessions.insert(session);
    this.deps.activity?.changed(session.tenantId);
    // Reminders judge quiet hours by the employee's own clock when known (nudge-rules.ts); keyed by Contact, as the
    // nudge run looks employees up by their case's Contact.
    if (identity.zoneinfo !== null && session.contactId !== null)
      await this.deps.zones?.put(tenant.id, session.contactId, identity.zoneinfo);
    this.deps.log.info({ tenantId: tenant.id, contactId: session.contactId }, 'employee session created');
    return {
      session: token,
      expiresAt: session.expiresAt,
      idleTimeoutSeconds: SESSION_IDLE_MS / 1000,
      employee: { contactId: session.contactId, name, email },
    };
  }

  /** The live session of a token (and its idle timer restarted), or BOT_SESSION_INVALID. */
  async authenticate(token: string): Promise<BotSession> {
    const tokenHash = hashSession(token);
    const now = this.deps.clock.now();
    const found = await this.readHeld(tokenHash, now.getTime());
    if (found === null) throw appError(BOT_SESSION_INVALID, { params: { reason: 'unknown session' } });
    if (found.revokedAt !== null)
      throw appError(BOT_SESSION_INVALID, { params: { reason: 'the session was ended' } });
    if (now.getTime() >= Date.parse(found.expiresAt))
      throw appError(BOT_SESSION_INVALID, { params: { reason: 'the session reached its 12-hour limit' } });
    if (now.getTime() - Date.parse(found.lastUsedAt) >= SESSION_IDLE_MS)
      throw appError(BOT_SESSION_INVALID, { params: { reason: 'the session was unused for 30 minutes' } });
    // The idle timer is 30 minutes: moving it at most once a minute keeps it within a minute of the truth and spares
    // a store write on almost every call of a busy conversation.
    if (now.getTime() - Date.parse(found.lastUsedAt) < TOUCH_EVERY_MS) return found;
    await this.deps.sessions.touch(found.tokenHash, now.toISOString());
    this.deps.activity?.changed(found.tenantId);
    const touched = { ...found, lastUsedAt: now.toISOString() };
    const held = this.held.get(tokenHash);
    if (held !== undefined) held.session = touched;
    return touched;
  }

  async revoke(session: BotSession): Promise<void> {
    this.held.delete(session.tokenHash);
    await this.deps.sessions.revoke(session.tokenHash, this.deps.clock.now().toISOString());
  }

  /** The session as the store had it at most SESSION_CACHE_MS ago (unknown ones are always asked again). */
  private async readHeld(tokenHash: string, now: number): Promise<BotSession | null> {
    const held = this.held.get(tokenHash);
    if (held !== undefined && now - held.at < SESSION_CACHE_MS) return held.session;
    const found = await this.deps.sessions.get(tokenHash);
    if (this.held.size > 10_000)
      for (const [k, v] of this.held) if (now - v.at >= SESSION_CACHE_MS) this.held.delete(k);
    if (found === null) this.held.delete(tokenHash);
    else this.held.set(tokenHash, { at: now, session: found });
    return found;
  }

  /** An email's Contacts, reused for a minute: a busy bot opening sessions does not ask Salesforce each time. */
  private async contactsOf(tenant: Tenant, email: string): Promise<Employee[]> {
    const key = `${tenant.id}\0${email}`;
    const now = this.deps.clock.now().getTime();
    const cached = this.contacts.get(key);
    if (cached !== undefined && now - cached.at < CONTACT_CACHE_MS) return cached.contacts;
    const contacts = await this.deps.gateways.forTenant(tenant, 'bot-api').findEmployeesByEmail(email);
    // keep only entries still fresh once the map grows, so it holds about a minute's worth of employees
    if (this.contacts.size > 10_000)
      for (const [k, v] of this.contacts) if (now - v.at >= CONTACT_CACHE_MS) this.contacts.delete(k);
    this.contacts.set(key, { at: now, contacts });
    return contacts;
  }
}

/** Enough to tell Contacts that share an email apart, and nothing more. */
function candidate(contact: Employee): { contactId: string; name: string; department: string | null } {
  return { contactId: contact.id, name: contact.name, department: contact.department };
}
