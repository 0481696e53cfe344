// getUpdated / getDeleted: IDs changed or deleted in a window, at minute granularity, looking back at most
// 30 days (updated) or 15 days (deleted), resumed from latestDateCovered (salesforce.md 2.8).
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-getupdated.md

import { SalesforceError } from '../errors.js';
import { asText, formatDatetime } from '../format.js';
import type { DeletedRecords, UpdatedIds } from './contract.js';
import type { RecordStore } from './store.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_IDS = 600_000;

const floorMinute = (t: number): number => Math.floor(t / MINUTE) * MINUTE;

function checkWindow(start: Date, end: Date, now: Date, days: number): { from: number; to: number } {
  const from = floorMinute(start.getTime());
  const to = Math.min(floorMinute(end.getTime()), floorMinute(now.getTime()));
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'start and end must be valid dates');
  }
  if (from >= floorMinute(end.getTime())) {
    throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'start date must be before end date');
  }
  if (from < now.getTime() - days * DAY) {
    throw new SalesforceError(
      400,
      'INVALID_REPLICATION_DATE',
      `startDate cannot be more than ${days} days ago`,
    );
  }
  return { from, to };
}

function checkIdLimit(count: number): void {
  if (count > MAX_IDS) {
    throw new SalesforceError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_IDS} records in a single call`,
    );
  }
}

export function getUpdated(
  store: RecordStore,
  table: string,
  start: Date,
  end: Date,
  now: Date,
  visible: (id: string) => boolean,
): UpdatedIds {
  const { from, to } = checkWindow(start, end, now, 30);
  const lo = formatDatetime(from);
  const hi = formatDatetime(to);
  const ids: string[] = [];
  for (const r of store.table(table)) {
    if (r.deleted) continue;
    const stamp = asText(r.fields['SystemModstamp'] ?? r.fields['LastModifiedDate']);
    if (stamp >= lo && stamp < hi && visible(String(r.fields['Id']))) ids.push(String(r.fields['Id']));
  }
  checkIdLimit(ids.length);
  return { ids, latestDateCovered: hi };
}

export function getDeleted(
  store: RecordStore,
  table: string,
  start: Date,
  end: Date,
  now: Date,
): DeletedRecords {
  const { from, to } = checkWindow(start, end, now, 15);
  const lo = formatDatetime(from);
  const hi = formatDatetime(to);
  const deletedRecords: DeletedRecords['deletedRecords'] = [];
  const earliest = formatDatetime(floorMinute(now.getTime() - 15 * DAY));
  for (const r of store.table(table)) {
    if (!r.deleted || !r.deletedAt) continue;
    if (r.deletedAt >= lo && r.deletedAt < hi)
      deletedRecords.push({ id: String(r.fields['Id']), deletedDate: r.deletedAt });
  }
  checkIdLimit(deletedRecords.length);
  return { deletedRecords, earliestDateAvailable: earliest, latestDateCovered: hi };
}
