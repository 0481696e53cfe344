// The tenant rows in the store (their secrets: secret-ports.ts; their Salesforce session: session-ports.ts).

import type { Tenant } from './tenant.js';

export type TenantRecord = Omit<Tenant, 'hasConsumerSecret' | 'hasPassword'>;

/** The fields of a tenant that may change after it is added (its id and creation time never do). */
export type TenantPatch = Partial<Omit<TenantRecord, 'id' | 'createdAt'>>;

export interface TenantRepository {
  insert(tenant: TenantRecord): Promise<void>;
  /**
   * Writes only the fields present in `patch`, leaving every other column as it is (so a writer never undoes a
   * concurrent change to a field it did not mean to touch); throws TENANT_NOT_FOUND when absent.
   */
  update(id: string, patch: TenantPatch): Promise<void>;
  /** sets the instance URL (and updatedAt) alone; false when the tenant is gone or already has this URL */
  setInstanceUrl(id: string, instanceUrl: string, at: string): Promise<boolean>;
  /**
   * Records that a login with the active or pending key succeeded at `at`, touching nothing else, and only while
   * that key is still the one with `fingerprint` (a key replaced meanwhile is not marked); false otherwise.
   */
  markKeyProven(id: string, which: 'active' | 'pending', fingerprint: string, at: string): Promise<boolean>;
  get(id: string): Promise<TenantRecord | null>;
  list(): Promise<TenantRecord[]>;
  /** deletes the tenant and everything it owns (secrets, session, cursors, audit rows) */
  delete(id: string): Promise<void>;
}
