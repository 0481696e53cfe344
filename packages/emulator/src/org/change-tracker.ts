// Which records one transaction changed, and how: write paths note a record before they change it, and when the
// outermost transaction ends the tracker compares each noted record with what it became and tells its listeners.
// The comparison (not the write path) decides CREATE/UPDATE/DELETE and the changed fields, so a record created and
// then assigned in one call is one CREATE with its final owner, as Salesforce sends one event per record per commit.

import type { Clock } from '../clock.js';
import type { CommittedTransaction, RecordChange, SObjectRecord, TransactionListener } from './contract.js';
import type { StoredRecord } from './store.js';

interface Noted {
  stored: StoredRecord;
  /** the fields before the transaction touched the record; null for a record it created */
  before: SObjectRecord | null;
  wasDeleted: boolean;
  userId: string;
}

const same = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));

export class ChangeTracker {
  private depth = 0;
  private noted = new Map<string, Noted>();
  private readonly listeners = new Set<TransactionListener>();

  constructor(private readonly clock: Clock) {}

  /** runs `work` as one transaction (nested calls join the outer one) */
  run<T>(work: () => T): T {
    this.depth++;
    try {
      return work();
    } finally {
      this.depth--;
      // What a failed write had already changed stays in the store (the emulator has no rollback), so it is
      // reported too: the stream never disagrees with what a query reads.
      if (this.depth === 0) this.commit();
    }
  }

  /** call before changing `stored`, or right after adding it with `created` true */
  note(stored: StoredRecord, userId: string, created = false): void {
    const id = String(stored.fields['Id']);
    const seen = this.noted.get(id);
    if (seen !== undefined) {
      seen.userId = userId;
      return;
    }
    this.noted.set(id, {
      stored,
      before: created ? null : stored.fields,
      wasDeleted: created ? false : stored.deleted,
      userId,
    });
  }

  subscribe(listener: TransactionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private commit(): void {
    const noted = [...this.noted.values()];
    this.noted = new Map();
    const changes = noted.map(changeOf).filter((c) => c !== undefined);
    if (changes.length === 0) return;
    const tx: CommittedTransaction = { committedAt: this.clock.now(), changes };
    for (const listener of this.listeners) listener(tx);
  }
}

function changeOf(n: Noted): RecordChange | undefined {
  const { stored } = n;
  const base = {
    sobject: stored.sobject,
    recordId: String(stored.fields['Id']),
    fields: { ...stored.fields },
    userId: n.userId,
  };
  if (n.before === null)
    return stored.deleted ? undefined : { ...base, changeType: 'CREATE', changedFields: [] };
  if (!n.wasDeleted && stored.deleted) return { ...base, changeType: 'DELETE', changedFields: [] };
  if (n.wasDeleted && !stored.deleted) return { ...base, changeType: 'UNDELETE', changedFields: [] };
  if (stored.deleted) return undefined;
  const before = n.before;
  const changedFields = Object.keys(stored.fields).filter((k) => !same(before[k], stored.fields[k]));
  return changedFields.length === 0 ? undefined : { ...base, changeType: 'UPDATE', changedFields };
}
