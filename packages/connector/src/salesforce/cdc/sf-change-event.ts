// The wire shape of a Change Data Capture event as the Streaming API delivers it (`data` of a Bayeux message on
// /data/CaseChangeEvent), validated before anything reads it.
// https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm

import { z } from 'zod';

export const SfChangeEventHeader = z.object({
  entityName: z.string(),
  recordIds: z.array(z.string()),
  changeType: z.string(),
  changedFields: z.array(z.string()).default([]),
  commitTimestamp: z.number(),
  commitUser: z.string().optional(),
  transactionKey: z.string().optional(),
  sequenceNumber: z.number().optional(),
});

export const SfChangeEventMessage = z.object({
  payload: z.looseObject({ ChangeEventHeader: SfChangeEventHeader }),
  event: z.object({ replayId: z.number() }),
});

export type SfChangeEventMessage = z.infer<typeof SfChangeEventMessage>;

/** What a change event tells the monitor: which cases changed, how, and where the stream stands. */
export interface CaseChangeNotice {
  readonly caseIds: readonly string[];
  readonly changeType: string;
  readonly changedFields: readonly string[];
  /** ms since the epoch, when Salesforce committed the change */
  readonly committedAt: number;
  /** the event's position: store it with the work it covers, resume after it */
  readonly replayId: number;
}

/** the notice in a delivered event, or undefined when the message is not a Case change event */
export function caseChangeNoticeOf(data: unknown): CaseChangeNotice | undefined {
  const parsed = SfChangeEventMessage.safeParse(data);
  if (!parsed.success) return undefined;
  const header = parsed.data.payload.ChangeEventHeader;
  if (header.entityName !== 'Case') return undefined;
  return {
    caseIds: header.recordIds,
    changeType: header.changeType,
    changedFields: header.changedFields,
    committedAt: header.commitTimestamp,
    replayId: parsed.data.event.replayId,
  };
}

/** Salesforce's refusal of a replay id past retention ("400::The replayId {N} you provided was invalid...") */
export const isReplayRefusal = (error: unknown): boolean =>
  typeof error === 'string' && /^400::The replayId \{.*\} you provided was invalid/.test(error);
