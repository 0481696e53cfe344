// A committed record change as a Change Data Capture event: the ChangeEventHeader and the record's fields.
// https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm
// CREATE carries every non-null field, UPDATE only the changed ones (nulled ones listed in nulledFields),
// DELETE and UNDELETE none (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_body.htm).

import type { RecordChange, SObjectRecord } from '../org/contract.js';

/** Fields a change event never carries: the engine's bookkeeping, not the record's data. */
const NOT_IN_EVENTS = new Set(['Id', 'SystemModstamp', 'IsDeleted', 'LastViewedDate', 'LastReferencedDate']);

/** the stored datetime form `2024-01-15T10:30:00.000+0000` becomes the ISO form events use, `...000Z` */
const STORED_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\+0000$/;

const eventValue = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const m = STORED_DATETIME.exec(v);
  return m === null ? v : `${m[1]}Z`;
};

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: RecordChange['changeType'];
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  nulledFields: string[];
  diffFields: string[];
  changedFields: string[];
}

/** The event's channel name for an object: `CaseChangeEvent`, `Device__ChangeEvent` for `Device__c`. */
export function changeEventName(sobject: string): string {
  return sobject.endsWith('__c') ? `${sobject.slice(0, -1)}ChangeEvent` : `${sobject}ChangeEvent`;
}

/** The object a `<Name>ChangeEvent` event name stands for, or undefined when it is no such name. */
export function entityOfEventName(name: string): string | undefined {
  if (name.endsWith('__ChangeEvent')) return `${name.slice(0, -'__ChangeEvent'.length)}__c`;
  if (name.endsWith('ChangeEvent') && name.length > 'ChangeEvent'.length)
    return name.slice(0, -'ChangeEvent'.length);
  return undefined;
}

export interface TransactionStamp {
  transactionKey: string;
  commitNumber: number;
  commitTimestamp: number;
}

/** the payload of one change event: header first, then the fields it carries */
export function changeEventPayload(
  change: RecordChange,
  tx: TransactionStamp,
  sequenceNumber: number,
): SObjectRecord {
  const carried =
    change.changeType === 'CREATE'
      ? Object.keys(change.fields).filter((k) => change.fields[k] !== null)
      : change.changeType === 'UPDATE'
        ? change.changedFields
        : [];
  const fields = carried.filter((k) => !NOT_IN_EVENTS.has(k));
  const header: ChangeEventHeader = {
    entityName: change.sobject,
    recordIds: [change.recordId],
    changeType: change.changeType,
    changeOrigin: '',
    transactionKey: tx.transactionKey,
    sequenceNumber,
    commitTimestamp: tx.commitTimestamp,
    commitNumber: tx.commitNumber,
    commitUser: change.userId,
    nulledFields: change.changeType === 'UPDATE' ? fields.filter((k) => change.fields[k] === null) : [],
    diffFields: [],
    changedFields: change.changeType === 'UPDATE' ? fields : [],
  };
  const payload: SObjectRecord = { ChangeEventHeader: header };
  for (const k of fields) payload[k] = eventValue(change.fields[k]);
  return payload;
}
