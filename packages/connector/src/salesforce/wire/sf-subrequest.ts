// The body of one composite subrequest or collection item that failed, and the body of a created record.
// A failed subrequest answers an array of { errorCode, message, fields? }; collections say statusCode instead.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_response.htm
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm

import { z } from 'zod';

export const SfSubrequestError = z.object({
  errorCode: z.string().optional(),
  statusCode: z.string().optional(),
  message: z.string().optional(),
  fields: z.array(z.string()).optional(),
});
export type SfSubrequestError = z.infer<typeof SfSubrequestError>;

export const SfSubrequestErrors = z.array(SfSubrequestError);

/** what a composite POST subrequest answers on success (201) */
export const SfCreatedBody = z.object({ id: z.string().min(1), success: z.boolean().optional() });

/** a CSV result page as jsforce parses it: one record of column → text per row */
export const SfCsvRecords = z.array(z.record(z.string(), z.string()));
