// A tenant's CaseChangeStream with the tenant's session: a client uses the current session; a client opened again
// after `401::Authentication invalid` asks the session manager for a new login past the generation it used, so an
// ended session is not handed out again.

import type { AuthTenant, SalesforceSession } from '../auth/session-manager.js';
import { CaseChangeStream } from './case-change-stream.js';

export interface TenantStreamSessions {
  getSession(tenant: AuthTenant): Promise<SalesforceSession>;
  invalidate(tenant: AuthTenant, generationSeen: number): Promise<SalesforceSession>;
}

export interface TenantStreamEvents {
  readonly replayFrom: number | null;
  onChange(change: { caseIds: readonly string[]; committedAt: number; replayId: number }): Promise<void>;
  onGap(): void;
  onSubscribed(): void;
  /** one Streaming API request sent (counted with the tenant's Salesforce calls) */
  onRequest?(channel: string): void;
}

type StreamTenant = AuthTenant & { settings: { apiVersion: string } };

export function openTenantCaseStream(
  sessions: TenantStreamSessions,
  tenant: StreamTenant,
  events: TenantStreamEvents,
): { start(): Promise<void>; stop(): Promise<void> } {
  let generation: number | null = null;
  return new CaseChangeStream({
    session: async (renew) => {
      const session =
        renew && generation !== null
          ? await sessions.invalidate(tenant, generation)
          : await sessions.getSession(tenant);
      generation = session.generation;
      return session;
    },
    apiVersion: tenant.settings.apiVersion,
    replayFrom: events.replayFrom,
    onChange: (notice) => events.onChange(notice),
    onGap: () => events.onGap(),
    onSubscribed: () => events.onSubscribed(),
    onRequest: (channel) => events.onRequest?.(channel),
  });
}
