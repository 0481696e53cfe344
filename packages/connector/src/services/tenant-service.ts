// Tenants: add, list, show, update, remove, and (through key-rotation.ts) their Salesforce keys. Secrets are sealed
// before they reach the store and never leave this service in a result. A change to a tenant's row and its secrets
// is made in one unit of work, so a crash in between never leaves a key without its description or a tenant without
// a key.

import { appError } from '../errors/app-error.js';
import { TENANT_EXISTS, TENANT_INVALID } from '../errors/codes/tenant.js';
import type { Logger } from '../logging/logger.js';
import type {
  Clock,
  KeyFactory,
  SecretBox,
  SecretRepository,
  SessionRepository,
  TenantPatch,
  TenantRecord,
  TenantRepository,
} from '../domain/ports.js';
import {
  defaultTenantSettings,
  type KeyInfo,
  type SecretName,
  type Tenant,
  type TenantSettings,
} from '../domain/tenant.js';
import { mergeSettings, validateTenantFields, type SettingsPatch } from '../domain/tenant-rules.js';
import { DEFAULT_CERT_DAYS, KeyRotationService } from './key-rotation.js';
import { lockTenant, putSecret, requireTenant, type TenantUnitOfWork } from './tenant-records.js';

/** Revokes a tenant's Salesforce session (the session manager implements it). */
export interface SessionRevoker {
  revoke(tenantId: string): Promise<void>;
}

export interface NewTenant {
  id: string;
  name?: string;
  loginUrl: string;
  consumerKey: string;
  username: string;
  /** import an existing key pair; when absent a new one is generated */
  privateKeyPem?: string;
  certificatePem?: string;
  /** accepted and stored sealed, though JWT needs neither (see docs/salesforce-setup.md) */
  consumerSecret?: string;
  password?: string;
  settings?: SettingsPatch;
  /** validity of a generated certificate */
  certificateDays?: number;
}

export interface TenantChange {
  name?: string;
  loginUrl?: string;
  consumerKey?: string;
  username?: string;
  consumerSecret?: string | null;
  password?: string | null;
  settings?: SettingsPatch;
}

export interface TenantServiceDeps {
  tenants: TenantRepository;
  secrets: SecretRepository;
  sessions: SessionRepository;
  /** the store's unit of work: a change's tenant row and secrets are written together or not at all */
  unitOfWork: TenantUnitOfWork;
  box: SecretBox;
  keys: KeyFactory;
  revoker: SessionRevoker;
  clock: Clock;
  log: Logger;
  /**
   * Checks monitoring settings (filter, case states) against the org before they are saved; the issues found
   * refuse the change. Absent, or Salesforce unreachable: saved unchecked, and doctor checks them.
   */
  settingsCheck?: (
    tenant: TenantRecord,
    settings: TenantSettings,
  ) => Promise<readonly { path: string; message: string }[]>;
}

export class TenantService {
  private readonly unitOfWork: TenantUnitOfWork;
  private readonly keyRotation: KeyRotationService;

  constructor(private readonly deps: TenantServiceDeps) {
    this.unitOfWork = deps.unitOfWork;
    this.keyRotation = new KeyRotationService(deps);
  }

  async list(): Promise<Tenant[]> {
    const records = await this.deps.tenants.list();
    return Promise.all(records.map((record) => this.withSecretFlags(record)));
  }

  async show(id: string): Promise<Tenant> {
    return this.withSecretFlags(await this.require(id));
  }

  /** Adds a tenant; returns it and, when a key was generated, the certificate the admin must upload. */
  async add(input: NewTenant): Promise<{ tenant: Tenant; certificatePem: string; generatedKey: boolean }> {
    const now = this.deps.clock.now().toISOString();
    validateTenantFields({ ...input, name: input.name ?? input.id });
    if (await this.deps.tenants.get(input.id))
      throw appError(TENANT_EXISTS, { params: { tenant: input.id } });
    const settings = mergeSettings(defaultTenantSettings(), input.settings ?? {});

    const { privateKeyPem, info, generated } = await this.obtainKey(input);
    const record: TenantRecord = {
      id: input.id,
      name: input.name ?? input.id,
      loginUrl: stripTrailingSlash(input.loginUrl),
      instanceUrl: null,
      consumerKey: input.consumerKey,
      username: input.username,
      settings,
      activeKey: { ...info, provenAt: null },
      pendingKey: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.unitOfWork.run(async (tx) => {
      await tx.tenants.insert(record);
      await this.putSecret(tx.secrets, record.id, 'private_key', privateKeyPem);
      if (input.consumerSecret)
        await this.putSecret(tx.secrets, record.id, 'consumer_secret', input.consumerSecret);
      if (input.password) await this.putSecret(tx.secrets, record.id, 'password', input.password);
    });
    this.deps.log.info({ tenantId: record.id, fingerprint: info.fingerprint, generated }, 'tenant added');
    return {
      tenant: await this.withSecretFlags(record),
      certificatePem: info.certificatePem,
      generatedKey: generated,
    };
  }

  async update(id: string, change: TenantChange): Promise<Tenant> {
    if (change.settings !== undefined) await this.checkSettings(id, change.settings);
    const { next, identityChanged } = await this.unitOfWork.run(async (tx) => {
      // Locked until the change commits: a concurrent update cannot merge its settings into a stale copy.
      const current = await lockTenant(tx.tenants, id);
      validateTenantFields({ ...current, ...definedOnly(change), id });
      // Only the fields an admin edits: the instance URL and keys that logins and doctor record are left alone.
      const patch: TenantPatch = {
        name: change.name ?? current.name,
        loginUrl: change.loginUrl === undefined ? current.loginUrl : stripTrailingSlash(change.loginUrl),
        consumerKey: change.consumerKey ?? current.consumerKey,
        username: change.username ?? current.username,
        settings: change.settings ? mergeSettings(current.settings, change.settings) : current.settings,
        updatedAt: this.deps.clock.now().toISOString(),
      };
      const identityChanged =
        patch.loginUrl !== current.loginUrl ||
        patch.consumerKey !== current.consumerKey ||
        patch.username !== current.username;
      if (identityChanged) patch.instanceUrl = null;
      await tx.tenants.update(id, patch);
      await this.applySecretChange(tx.secrets, id, 'consumer_secret', change.consumerSecret);
      await this.applySecretChange(tx.secrets, id, 'password', change.password);
      return { next: { ...current, ...patch }, identityChanged };
    });
    // A session minted for another user, app or org must not be used again.
    if (identityChanged) await this.deps.sessions.clear(id);
    this.deps.log.info({ tenantId: id, identityChanged }, 'tenant updated');
    return this.withSecretFlags(next);
  }

  /** Removes a tenant: revokes its token (best effort: the org may be unreachable), erases its keys and data. */
  async remove(id: string): Promise<{ revoked: boolean }> {
    await this.require(id);
    let revoked = true;
    try {
      await this.deps.revoker.revoke(id);
    } catch (err) {
      revoked = false;
      this.deps.log.warn({ tenantId: id, err }, 'token revocation failed; erasing the tenant anyway');
    }
    await this.deps.tenants.delete(id);
    this.deps.log.info({ tenantId: id, revoked }, 'tenant removed');
    return { revoked };
  }

  // --- the tenant's Salesforce key: key-rotation.ts ---

  /** The private key for signing: the active one, or the pending one while it is being proven. */
  signingKey(
    id: string,
    which: 'active' | 'pending' = 'active',
  ): Promise<{ privateKeyPem: string; key: KeyInfo }> {
    return this.keyRotation.signingKey(id, which);
  }

  startKeyRotation(
    id: string,
    options: { certificateDays?: number } = {},
  ): Promise<{ certificatePem: string; key: KeyInfo }> {
    return this.keyRotation.startKeyRotation(id, options);
  }

  markKeyProven(id: string, which: 'active' | 'pending'): Promise<void> {
    return this.keyRotation.markKeyProven(id, which);
  }

  commitKeyRotation(id: string): Promise<KeyInfo> {
    return this.keyRotation.commitKeyRotation(id);
  }

  cancelKeyRotation(id: string): Promise<void> {
    return this.keyRotation.cancelKeyRotation(id);
  }

  importKey(id: string, privateKeyPem: string, certificatePem: string): Promise<KeyInfo> {
    return this.keyRotation.importKey(id, privateKeyPem, certificatePem);
  }

  /** Records the instance URL Salesforce returned at login (orgs move between instances; My Domain may change). */
  async recordInstanceUrl(id: string, instanceUrl: string): Promise<void> {
    // That column alone: an admin's update made meanwhile is never overwritten with what this worker read.
    await this.deps.tenants.setInstanceUrl(id, instanceUrl, this.deps.clock.now().toISOString());
  }

  async updateSettings(id: string, patch: SettingsPatch): Promise<TenantSettings> {
    return (await this.update(id, { settings: patch })).settings;
  }

  // --- helpers ---

  /** Refuses monitoring settings the org contradicts (TENANT_INVALID with the issues), before any write. */
  private async checkSettings(id: string, patch: SettingsPatch): Promise<void> {
    const check = this.deps.settingsCheck;
    const touched =
      typeof patch === 'object' &&
      patch !== null &&
      ('monitor' in patch || 'caseStates' in patch || 'filing' in patch || 'caseDefaults' in patch);
    if (check === undefined || !touched) return;
    const current = await this.require(id);
    const next = mergeSettings(current.settings, patch);
    let issues: readonly { path: string; message: string }[];
    try {
      issues = await check(current, next);
    } catch (err) {
      this.deps.log.warn(
        { tenantId: id, err: err instanceof Error ? err.message : String(err) },
        'monitoring settings saved unchecked: Salesforce could not be asked; doctor checks them',
      );
      return;
    }
    if (issues.length === 0) return;
    const list = issues.map((issue) => ({ path: `settings.${issue.path}`, message: issue.message }));
    throw appError(TENANT_INVALID, {
      params: { summary: list.map((i) => `${i.path}: ${i.message}`).join('; ') },
      details: { issues: list },
    });
  }

  private require(id: string): Promise<TenantRecord> {
    return requireTenant(this.deps.tenants, id);
  }

  private async obtainKey(
    input: NewTenant,
  ): Promise<{ privateKeyPem: string; info: Omit<KeyInfo, 'provenAt'>; generated: boolean }> {
    if (input.privateKeyPem !== undefined || input.certificatePem !== undefined) {
      if (!input.privateKeyPem || !input.certificatePem) {
        throw appError(TENANT_INVALID, {
          params: { summary: 'an imported key needs both the private key and its certificate' },
          details: {
            issues: [{ path: input.privateKeyPem ? 'certificatePem' : 'privateKeyPem', message: 'required' }],
          },
        });
      }
      const info = await this.deps.keys.describe(input.privateKeyPem, input.certificatePem);
      return { privateKeyPem: input.privateKeyPem, info, generated: false };
    }
    const pair = await this.deps.keys.generate({
      commonName: `casebridge ${input.id}`,
      days: input.certificateDays ?? DEFAULT_CERT_DAYS,
    });
    return { privateKeyPem: pair.privateKeyPem, info: pair.info, generated: true };
  }

  private putSecret(
    secrets: SecretRepository,
    tenantId: string,
    name: SecretName,
    plaintext: string,
  ): Promise<void> {
    return putSecret(this.deps.box, secrets, tenantId, name, plaintext);
  }

  private async applySecretChange(
    secrets: SecretRepository,
    tenantId: string,
    name: SecretName,
    value: string | null | undefined,
  ): Promise<void> {
    if (value === undefined) return;
    if (value === null || value === '') await secrets.delete(tenantId, name);
    else await this.putSecret(secrets, tenantId, name, value);
  }

  private async withSecretFlags(record: TenantRecord): Promise<Tenant> {
    const [secret, password] = await Promise.all([
      this.deps.secrets.get(record.id, 'consumer_secret'),
      this.deps.secrets.get(record.id, 'password'),
    ]);
    return { ...record, hasConsumerSecret: secret !== null, hasPassword: password !== null };
  }
}

/** The login URL as Salesforce's token endpoint is appended to it: without a trailing slash. */
function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null),
  ) as Partial<T>;
}
