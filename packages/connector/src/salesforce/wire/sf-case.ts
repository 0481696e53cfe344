// SfCase: the Case fields casebridge reads, verbatim and with Salesforce's nullability.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_case.htm

import { z } from 'zod';

export const SfCase = z.object({
  Id: z.string(),
  CaseNumber: z.string(),
  Subject: z.string().nullable(),
  Description: z.string().nullable(),
  Status: z.string().nullable(),
  IsClosed: z.boolean(),
  Priority: z.string().nullable(),
  Origin: z.string().nullable(),
  ContactId: z.string().nullable(),
  SuppliedEmail: z.string().nullable(),
  OwnerId: z.string().nullable(),
  CreatedDate: z.string(),
  LastModifiedDate: z.string(),
  SystemModstamp: z.string(),
});
export type SfCase = z.infer<typeof SfCase>;

export const SF_CASE_FIELDS = Object.keys(SfCase.shape);
