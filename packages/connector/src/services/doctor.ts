// doctor: proves, end to end and without changing anything in the org, that a tenant is set up the way casebridge
// needs, and says for every failed line what to fix. Local checks (configuration, key, certificate) run here; the
// checks that talk to Salesforce come from the AccessProbe port (salesforce/ implements it).

import { isAppError } from '../errors/app-error.js';
import type { Clock, KeyFactory } from '../domain/ports.js';
import type { KeyInfo, Tenant } from '../domain/tenant.js';
import { validateTenantFields } from '../domain/tenant-rules.js';
import type { Logger } from '../logging/logger.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface DoctorCheck {
  /** stable id, e.g. `token`, `object.Case`, `field.Case.Subject`, `knowledge.body-field` */
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** what to change, in words, when not passing */
  fix?: string;
  /** the registered error code behind a failure */
  code?: string;
}

export interface DoctorReport {
  tenantId: string;
  key: 'active' | 'pending';
  checkedAt: string;
  ok: boolean;
  checks: DoctorCheck[];
}

/** The Salesforce side of doctor: logs in with the given key and inspects what the service user may do. */
export interface AccessProbe {
  run(tenant: Tenant, privateKeyPem: string): Promise<DoctorCheck[]>;
}

export interface DoctorDeps {
  keys: KeyFactory;
  probe: AccessProbe;
  clock: Clock;
  log: Logger;
  /** the tenant's signing key (active or pending) */
  signingKey(tenantId: string, which: 'active' | 'pending'): Promise<{ privateKeyPem: string; key: KeyInfo }>;
  /** records that a key logged in successfully (a pending key must be proven before it becomes active) */
  markKeyProven(tenantId: string, which: 'active' | 'pending'): Promise<void>;
}

const CERT_WARN_DAYS = 30;

export async function runDoctor(
  deps: DoctorDeps,
  tenant: Tenant,
  which: 'active' | 'pending',
): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  checks.push(configurationCheck(tenant));

  let privateKeyPem: string | null = null;
  try {
    const signing = await deps.signingKey(tenant.id, which);
    await deps.keys.describe(signing.privateKeyPem, signing.key.certificatePem);
    privateKeyPem = signing.privateKeyPem;
    checks.push({
      id: 'key',
      title: `${which === 'active' ? 'Private key' : 'Pending private key'} matches its certificate`,
      status: 'pass',
      detail: `certificate SHA-256 fingerprint ${signing.key.fingerprint}`,
    });
    checks.push(certificateExpiryCheck(signing.key, deps.clock.now()));
  } catch (err) {
    checks.push({
      id: 'key',
      title: 'Private key matches its certificate',
      status: 'fail',
      detail: isAppError(err)
        ? err.message
        : 'the stored key could not be read or does not match its certificate',
      fix: isAppError(err)
        ? err.fix
        : `Generate a new pair with \`casebridge tenants rotate-key ${tenant.id} --start\` and upload the certificate.`,
      ...(isAppError(err) ? { code: err.code } : {}),
    });
  }

  if (privateKeyPem === null || checks[0]?.status === 'fail') {
    checks.push({
      id: 'salesforce',
      title: 'Salesforce checks',
      status: 'skip',
      detail: 'skipped until the configuration and key problems above are fixed',
    });
  } else {
    const remote = await deps.probe.run(tenant, privateKeyPem);
    checks.push(...remote);
    const loggedIn = remote.find((check) => check.id === 'token')?.status === 'pass';
    if (loggedIn) await deps.markKeyProven(tenant.id, which);
  }

  const ok = checks.every((check) => check.status !== 'fail');
  deps.log.info(
    {
      tenantId: tenant.id,
      key: which,
      ok,
      failed: checks.filter((c) => c.status === 'fail').map((c) => c.id),
    },
    'doctor finished',
  );
  return { tenantId: tenant.id, key: which, checkedAt: deps.clock.now().toISOString(), ok, checks };
}

function configurationCheck(tenant: Tenant): DoctorCheck {
  try {
    validateTenantFields(tenant);
    return {
      id: 'config',
      title: 'Configuration',
      status: 'pass',
      detail: `login URL ${tenant.loginUrl}, user ${tenant.username}, API v${tenant.settings.apiVersion}`,
    };
  } catch (err) {
    return {
      id: 'config',
      title: 'Configuration',
      status: 'fail',
      detail: isAppError(err) ? err.message : 'the tenant configuration is invalid',
      fix: `Correct it with \`casebridge tenants update ${tenant.id}\`.`,
      ...(isAppError(err) ? { code: err.code } : {}),
    };
  }
}

function certificateExpiryCheck(key: KeyInfo, now: Date): DoctorCheck {
  const days = Math.floor((Date.parse(key.notAfter) - now.getTime()) / 86_400_000);
  const base = { id: 'certificate', title: 'Certificate validity' };
  if (days < 0) {
    return {
      ...base,
      status: 'fail',
      detail: `the certificate expired on ${key.notAfter}; Salesforce refuses assertions signed with it`,
      fix: 'Rotate the key: `casebridge tenants rotate-key <tenant> --start`, upload the new certificate, prove it with doctor, then commit.',
    };
  }
  if (days < CERT_WARN_DAYS) {
    return {
      ...base,
      status: 'warn',
      detail: `the certificate expires in ${days} days (${key.notAfter})`,
      fix: 'Rotate the key before it expires: `casebridge tenants rotate-key <tenant> --start`.',
    };
  }
  return { ...base, status: 'pass', detail: `valid until ${key.notAfter} (${days} days)` };
}
