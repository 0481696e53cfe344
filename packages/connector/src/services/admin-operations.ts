// The operations an operator performs on a running casebridge: the CLI calls them in process when it holds the
// store, or over the admin API when a service holds it. One interface, two transports, same results.

import type { JobRecord } from '../domain/job-state.js';
import type { KeyInfo, Tenant } from '../domain/tenant.js';
import type { DoctorReport } from './doctor.js';
import type { StatusReport } from './status-service.js';
import type { NewTenant, TenantChange } from './tenant-service.js';

export interface RotationProgress {
  done: number;
  total: number;
}

export interface AdminOperations {
  listTenants(): Promise<Tenant[]>;
  showTenant(id: string): Promise<Tenant>;
  addTenant(input: NewTenant): Promise<{ tenant: Tenant; certificatePem: string; generatedKey: boolean }>;
  updateTenant(id: string, change: TenantChange): Promise<Tenant>;
  removeTenant(id: string): Promise<{ revoked: boolean }>;
  importKey(id: string, privateKeyPem: string, certificatePem: string): Promise<KeyInfo>;
  startKeyRotation(
    id: string,
    options: { certificateDays?: number },
  ): Promise<{ certificatePem: string; key: KeyInfo }>;
  commitKeyRotation(id: string): Promise<KeyInfo>;
  cancelKeyRotation(id: string): Promise<void>;
  doctor(id: string, options: { pendingKey?: boolean }): Promise<DoctorReport>;
  status(): Promise<StatusReport>;
  rotateMasterKey(
    onProgress?: (progress: RotationProgress) => void,
  ): Promise<RotationProgress & { keyId: string }>;
  /** Runs job `kind` for the tenant now; returns the queued job (or the one of that kind already active). */
  startJob(tenantId: string, kind: string): Promise<JobRecord>;
  /** A job's state, progress, summary or coded error, as the store has it. */
  getJob(jobId: string): Promise<JobRecord>;
  /** The most recent jobs, newest first (one tenant's when given), and the kinds that can be started. */
  listJobs(options: { tenantId?: string }): Promise<{ jobs: JobRecord[]; kinds: string[] }>;
}
