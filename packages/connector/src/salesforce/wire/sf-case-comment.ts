// SfCaseComment: CaseComment as read, verbatim. CommentBody is nillable in describe even though the UI requires it.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casecomment.htm

import { z } from 'zod';

export const SfCaseComment = z.object({
  Id: z.string(),
  ParentId: z.string(),
  CommentBody: z.string().nullable(),
  IsPublished: z.boolean(),
  CreatedById: z.string(),
  CreatedDate: z.string(),
  SystemModstamp: z.string(),
});
export type SfCaseComment = z.infer<typeof SfCaseComment>;

export const SF_CASE_COMMENT_FIELDS = Object.keys(SfCaseComment.shape);
