// A tenant's Salesforce key: the key that signs its logins, the two-phase rotation (start → the admin uploads the
// certificate and doctor proves the key → commit), and importing a key pair. Not the master key that seals secrets
// (rotate-master-key.ts). The key, its description and the pending key change in one unit of work.

import type { Logger } from '../logging/logger.js';
import type {
  Clock,
  KeyFactory,
  SecretBox,
  SecretRepository,
  SessionRepository,
  TenantRecord,
  TenantRepository,
} from '../domain/ports.js';
import type { KeyInfo, SecretName } from '../domain/tenant.js';
import { appError } from '../errors/app-error.js';
import { TENANT_NO_KEY, TENANT_NO_PENDING_KEY, TENANT_PENDING_KEY_UNPROVEN } from '../errors/codes/tenant.js';
import { lockTenant, putSecret, requireTenant, type TenantUnitOfWork } from './tenant-records.js';

/** Validity of a generated certificate when the admin names none: 100 years, so rotation is the admin's choice. */
export const DEFAULT_CERT_DAYS = 36500;

export interface KeyRotationDeps {
  tenants: TenantRepository;
  secrets: SecretRepository;
  sessions: SessionRepository;
  unitOfWork: TenantUnitOfWork;
  box: SecretBox;
  keys: KeyFactory;
  clock: Clock;
  log: Logger;
}

export class KeyRotationService {
  private readonly unitOfWork: TenantUnitOfWork;

  constructor(private readonly deps: KeyRotationDeps) {
    this.unitOfWork = deps.unitOfWork;
  }

  /** The private key for signing: the active one, or the pending one while it is being proven. */
  async signingKey(
    id: string,
    which: 'active' | 'pending' = 'active',
  ): Promise<{ privateKeyPem: string; key: KeyInfo }> {
    const tenant = await this.require(id);
    const key = which === 'active' ? tenant.activeKey : tenant.pendingKey;
    const name: SecretName = which === 'active' ? 'private_key' : 'pending_private_key';
    const envelope = await this.deps.secrets.get(id, name);
    if (!key || !envelope) {
      throw which === 'active'
        ? appError(TENANT_NO_KEY, { params: { tenant: id } })
        : appError(TENANT_NO_PENDING_KEY, { params: { tenant: id, action: 'use' } });
    }
    return { privateKeyPem: this.deps.box.open(envelope, { tenantId: id, field: name }), key };
  }

  async startKeyRotation(
    id: string,
    options: { certificateDays?: number } = {},
  ): Promise<{ certificatePem: string; key: KeyInfo }> {
    const tenant = await this.require(id);
    const pair = await this.deps.keys.generate({
      commonName: `casebridge ${tenant.id}`,
      days: options.certificateDays ?? DEFAULT_CERT_DAYS,
    });
    const key: KeyInfo = { ...pair.info, provenAt: null };
    await this.unitOfWork.run(async (tx) => {
      await lockTenant(tx.tenants, id);
      await this.putSecret(tx.secrets, id, 'pending_private_key', pair.privateKeyPem);
      await tx.tenants.update(id, { pendingKey: key, updatedAt: this.deps.clock.now().toISOString() });
    });
    this.deps.log.info({ tenantId: id, fingerprint: key.fingerprint }, 'key rotation started');
    return { certificatePem: pair.certificatePem, key };
  }

  /** Records that doctor logged in with a key (the pending one during rotation). */
  async markKeyProven(id: string, which: 'active' | 'pending'): Promise<void> {
    const tenant = await this.require(id);
    const key = which === 'active' ? tenant.activeKey : tenant.pendingKey;
    if (!key) return;
    // Only that key's provenAt, and only if the key was not replaced since doctor read it.
    await this.deps.tenants.markKeyProven(id, which, key.fingerprint, this.deps.clock.now().toISOString());
  }

  async commitKeyRotation(id: string): Promise<KeyInfo> {
    // The new key, its description and the pending key's removal commit together, or none of them does.
    const activeKey = await this.unitOfWork.run(async (tx) => {
      const tenant = await lockTenant(tx.tenants, id);
      const pendingKey = tenant.pendingKey;
      if (!pendingKey) throw appError(TENANT_NO_PENDING_KEY, { params: { tenant: id, action: 'commit' } });
      if (!pendingKey.provenAt) throw appError(TENANT_PENDING_KEY_UNPROVEN, { params: { tenant: id } });
      const envelope = await tx.secrets.get(id, 'pending_private_key');
      if (!envelope) throw appError(TENANT_NO_PENDING_KEY, { params: { tenant: id, action: 'use' } });
      const privateKeyPem = this.deps.box.open(envelope, { tenantId: id, field: 'pending_private_key' });
      await this.putSecret(tx.secrets, id, 'private_key', privateKeyPem);
      await tx.secrets.delete(id, 'pending_private_key');
      await tx.tenants.update(id, {
        activeKey: pendingKey,
        pendingKey: null,
        updatedAt: this.deps.clock.now().toISOString(),
      });
      return pendingKey;
    });
    // The old session stays valid in Salesforce, but new logins must prove the new key from now on.
    await this.deps.sessions.clear(id);
    this.deps.log.info({ tenantId: id, fingerprint: activeKey.fingerprint }, 'key rotation committed');
    return activeKey;
  }

  async cancelKeyRotation(id: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const tenant = await lockTenant(tx.tenants, id);
      if (!tenant.pendingKey)
        throw appError(TENANT_NO_PENDING_KEY, { params: { tenant: id, action: 'cancel' } });
      await tx.secrets.delete(id, 'pending_private_key');
      await tx.tenants.update(id, { pendingKey: null, updatedAt: this.deps.clock.now().toISOString() });
    });
    this.deps.log.info({ tenantId: id }, 'key rotation cancelled');
  }

  /** Replaces the active key with an imported pair (e.g. `keygen --import-to`). */
  async importKey(id: string, privateKeyPem: string, certificatePem: string): Promise<KeyInfo> {
    await this.require(id);
    const info = await this.deps.keys.describe(privateKeyPem, certificatePem);
    const activeKey: KeyInfo = { ...info, provenAt: null };
    await this.unitOfWork.run(async (tx) => {
      await lockTenant(tx.tenants, id);
      await this.putSecret(tx.secrets, id, 'private_key', privateKeyPem);
      await tx.tenants.update(id, { activeKey, updatedAt: this.deps.clock.now().toISOString() });
    });
    await this.deps.sessions.clear(id);
    return activeKey;
  }

  private require(id: string): Promise<TenantRecord> {
    return requireTenant(this.deps.tenants, id);
  }

  private putSecret(
    secrets: SecretRepository,
    tenantId: string,
    name: SecretName,
    plaintext: string,
  ): Promise<void> {
    return putSecret(this.deps.box, secrets, tenantId, name, plaintext);
  }
}
