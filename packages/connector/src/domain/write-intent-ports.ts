// Idempotency keys of Salesforce writes, recorded first, so a retry reconciles instead of writing twice.

/** A Salesforce write's idempotency key, recorded before the write (and its record id once it is known). */
export interface WriteIntent {
  tenantId: string;
  idempotencyKey: string;
  kind: 'case' | 'comment';
  recordId: string | null;
  startedAt: string;
}

export interface WriteIntentRepository {
  /**
   * records the key before the write; `created` false (and the first intent returned) when it was recorded already.
   * TENANT_NOT_FOUND when the tenant does not exist.
   */
  begin(
    intent: Omit<WriteIntent, 'recordId' | 'startedAt'>,
  ): Promise<{ intent: WriteIntent; created: boolean }>;
  /** the write is known to have made `recordId` */
  finish(tenantId: string, idempotencyKey: string, recordId: string): Promise<void>;
  /** deletes intents started before `before`; returns how many */
  purgeBefore(before: Date): Promise<number>;
  /** the ids among `recordIds` that a recorded write made (ticket monitoring never relays its own writes) */
  recordIdsAmong(tenantId: string, recordIds: readonly string[]): Promise<Set<string>>;
}
