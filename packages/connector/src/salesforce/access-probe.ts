// doctor's login with a given key: a throwaway session, so proving a pending key never replaces the shared one,
// then every access check (access-checks.ts).

import type { ApiAuditRepository, Clock, SecretBox, TenantPauseRepository } from '../domain/ports.js';
import type { Tenant } from '../domain/tenant.js';
import type { Logger } from '../logging/logger.js';
import { runAccessChecks } from './access-checks.js';
import { failure, type AccessFinding } from './access-finding.js';
import { EphemeralSessionRepository } from './auth/ephemeral-sessions.js';
import { rsaKeySigner } from './auth/jwt-assertion.js';
import { SessionManager, type SessionManagerDeps } from './auth/session-manager.js';
import type { TokenClient } from './auth/token-client.js';
import { JsforceSalesforceGateway } from './gateway.js';
import { SalesforceClient } from './salesforce-client.js';

export interface AccessProbeDeps {
  /** told when the probe's login succeeds (records the instance URL on the tenant) */
  onLogin?: SessionManagerDeps['onLogin'];
  tokens: TokenClient;
  box: SecretBox;
  audit: ApiAuditRepository;
  pauses: TenantPauseRepository;
  clock: Clock;
  log: Logger;
  /** the deployment's CASEBRIDGE_CASE_STREAM (absent: on): off, doctor's stream line says so */
  caseStreamEnabled?: boolean;
}

/**
 * Implements services/doctor.ts AccessProbe: logs in with `privateKeyPem` through a throwaway session (so proving a
 * pending key never replaces the shared session), then runs every check. Never throws.
 */
export function createAccessProbe(deps: AccessProbeDeps): {
  run(tenant: Tenant, privateKeyPem: string): Promise<AccessFinding[]>;
} {
  return {
    async run(tenant, privateKeyPem) {
      const sessions = new SessionManager({
        sessions: new EphemeralSessionRepository(),
        box: deps.box,
        tokens: deps.tokens,
        clock: deps.clock,
        signerFor: () => Promise.resolve(rsaKeySigner(privateKeyPem, tenant.id)),
        log: deps.log,
        ...(deps.onLogin ? { onLogin: deps.onLogin } : {}),
      });
      const client = new SalesforceClient({
        sessions,
        audit: deps.audit,
        pauses: deps.pauses,
        clock: deps.clock,
        log: deps.log,
      });
      let userId: string;
      try {
        userId = (await sessions.getSession(tenant)).userId;
      } catch (err) {
        return [
          failure('token', 'JWT bearer login', err),
          {
            id: 'salesforce-access',
            title: 'Salesforce access checks',
            status: 'skip',
            detail: 'skipped until the login works',
          },
        ];
      }
      const gateway = new JsforceSalesforceGateway(client, tenant, deps.clock, 'doctor');
      const token: AccessFinding = {
        id: 'token',
        title: 'JWT bearer login',
        status: 'pass',
        detail: `logged in as ${tenant.username}`,
      };
      return [
        token,
        ...(await runAccessChecks(gateway, client, tenant, userId, {
          ...(deps.caseStreamEnabled === undefined ? {} : { caseStreamEnabled: deps.caseStreamEnabled }),
        })),
      ];
    },
  };
}
