// Ports of the bot API: how a tenant's identity tokens are checked, the token ids already used, employee sessions
// (kept by the hash of their token only) and the Salesforce reads the bot needs about one employee's cases.

import type { CaseComment, SupportCase } from '../support.js';
import type { Tenant } from '../tenant.js';

/** How one tenant's identity tokens are verified: exactly one of `publicKeyPem` and `jwksUrl`. */
export interface BotIdentitySettings {
  tenantId: string;
  issuer: string;
  audience: string;
  publicKeyPem: string | null;
  jwksUrl: string | null;
}

export interface BotIdentityRepository {
  get(tenantId: string): Promise<BotIdentitySettings | null>;
  put(settings: BotIdentitySettings): Promise<void>;
}

export interface TokenIdRepository {
  /** records a token id until `expiresAt`; false when it was recorded before (a replay), across every worker */
  remember(tenantId: string, jti: string, expiresAt: Date): Promise<boolean>;
  /** forgets ids whose token has expired (they can no longer be presented) */
  purgeExpired(): Promise<number>;
}

/** An employee session as stored: the token itself is never stored, only its SHA-256. */
export interface BotSession {
  tokenHash: string;
  tenantId: string;
  email: string;
  /** the employee's Contact, or null when none has their email (they may still file with their name and email) */
  contactId: string | null;
  name: string;
  createdAt: string;
  lastUsedAt: string;
  /** the hard end (12 h after creation) */
  expiresAt: string;
  revokedAt: string | null;
}

export interface BotSessionRepository {
  insert(session: BotSession): Promise<void>;
  get(tokenHash: string): Promise<BotSession | null>;
  /** moves lastUsedAt to `at` (idle timeout restarts) */
  touch(tokenHash: string, at: string): Promise<void>;
  revoke(tokenHash: string, at: string): Promise<boolean>;
}

/** The Salesforce reads of the bot API, for one tenant. */
export interface BotCaseGateway {
  /**
   * The cases whose Contact is `contactId`, or (no Contact) whose supplied email is `email`, in one read: every open
   * one, then the closed ones changed at or after `closedSince`, each group newest change first, `limit` in all.
   */
  casesOf(
    employee: { contactId: string | null; email: string },
    window: { limit: number; closedSince: Date },
  ): Promise<SupportCase[]>;
  findCaseByNumber(caseNumber: string): Promise<SupportCase | null>;
  /** the case's published comments, oldest first */
  publicComments(caseId: string): Promise<CaseComment[]>;
  /**
   * Sets the case's status only if it was not modified after `unmodifiedSince` (HTTP If-Unmodified-Since, whole
   * seconds): 'changed' when someone (an agent) changed it meanwhile and nothing was written.
   */
  setStatusIfUnmodified(
    caseId: string,
    status: string,
    unmodifiedSince: Date,
  ): Promise<'updated' | 'changed'>;
}

export interface BotCaseGatewayFactory {
  forTenant(tenant: Tenant, purpose: string): BotCaseGateway;
}
