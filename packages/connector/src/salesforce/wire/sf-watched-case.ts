// SfWatchedCase: a Case as ticket monitoring reads it through queryAll: the SfCase fields plus who last changed it
// and, for a row in the recycle bin, IsDeleted and (after a merge) MasterRecordId.
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/object_ref/sforce_api_calls_queryall.htm

import { z } from 'zod';

import { SfCase } from './sf-case.js';

export const SfWatchedCase = SfCase.extend({
  LastModifiedById: z.string().nullable(),
  IsDeleted: z.boolean(),
  MasterRecordId: z.string().nullable().optional(),
});
export type SfWatchedCase = z.infer<typeof SfWatchedCase>;

export const SF_WATCHED_CASE_FIELDS = [
  ...Object.keys(SfCase.shape),
  'LastModifiedById',
  'IsDeleted',
  'MasterRecordId',
];
