// In-memory record storage: every record indexed by 18-char ID and grouped per table in creation order.

import type { SObjectRecord } from './contract.js';

export interface StoredRecord {
  /** the concrete sObject (table) the record belongs to, e.g. `Case` */
  sobject: string;
  /** canonical field name → stored value (datetimes as `2024-01-15T10:30:00.000+0000`) */
  fields: SObjectRecord;
  deleted: boolean;
  /** when it was deleted, for getDeleted */
  deletedAt: string | null;
  /** under an approval-process lock (Approval.lock): API users other than admins may not edit or delete it */
  locked?: boolean;
}

export interface StoreSnapshot {
  records: StoredRecord[];
}

export class RecordStore {
  private byId = new Map<string, StoredRecord>();
  private tables = new Map<string, Map<string, StoredRecord>>();

  add(record: StoredRecord): void {
    const id = record.fields['Id'] as string;
    this.byId.set(id, record);
    this.tableMap(record.sobject).set(id, record);
  }

  get(id18: string): StoredRecord | undefined {
    return this.byId.get(id18);
  }

  /** Live (not deleted) record fields by ID, for lookups through relationships. */
  live(id: unknown): SObjectRecord | undefined {
    if (typeof id !== 'string') return undefined;
    const r = this.byId.get(id);
    return r && !r.deleted ? r.fields : undefined;
  }

  /** All records of a table (deleted included), in creation order. No copy is made. */
  table(sobject: string): Iterable<StoredRecord> {
    return this.tables.get(sobject)?.values() ?? [];
  }

  tableSize(sobject: string): number {
    return this.tables.get(sobject)?.size ?? 0;
  }

  /** Removes a record for good (Recycle Bin emptied); used for hard deletes only. */
  purge(id18: string): void {
    const r = this.byId.get(id18);
    if (!r) return;
    this.byId.delete(id18);
    this.tables.get(r.sobject)?.delete(id18);
  }

  snapshot(): StoreSnapshot {
    return { records: structuredClone([...this.byId.values()]) };
  }

  restore(snapshot: StoreSnapshot): void {
    this.byId = new Map();
    this.tables = new Map();
    for (const r of structuredClone(snapshot.records)) this.add(r);
  }

  private tableMap(sobject: string): Map<string, StoredRecord> {
    let t = this.tables.get(sobject);
    if (!t) {
      t = new Map();
      this.tables.set(sobject, t);
    }
    return t;
  }
}
