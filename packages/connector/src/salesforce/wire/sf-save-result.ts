// SfSaveResult: a create/collection result; per-record errors say statusCode (collections) or errorCode.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm

import { z } from 'zod';

export const SfSaveError = z.object({
  statusCode: z.string().optional(),
  errorCode: z.string().optional(),
  message: z.string(),
  fields: z.array(z.string()).optional(),
});

export const SfSaveResult = z.object({
  id: z.string().nullable(),
  success: z.boolean(),
  errors: z.array(SfSaveError),
});
export type SfSaveResult = z.infer<typeof SfSaveResult>;

export const SfCompositeResponse = z.object({
  compositeResponse: z.array(
    z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() }),
  ),
});
export type SfCompositeResponse = z.infer<typeof SfCompositeResponse>;
