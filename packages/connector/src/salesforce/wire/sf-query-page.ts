// SfQueryPage: one page of /query; the last page has done: true and (usually) no nextRecordsUrl.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm

import { z } from 'zod';

export const SfQueryPage = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().nullable().optional(),
  records: z.array(z.unknown()),
});
export type SfQueryPage = z.infer<typeof SfQueryPage>;
