// Validates a Salesforce response against its wire schema; a mismatch is SF_API_INVALID_RESPONSE naming the field.

import type { z } from 'zod';

import { appError } from '../../errors/app-error.js';
import { SF_API_INVALID_RESPONSE } from '../../errors/codes/salesforce-api.js';

export function parseWire<S extends z.ZodType>(
  schema: S,
  value: unknown,
  context: { tenantId: string; shape: string },
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  throw appError(SF_API_INVALID_RESPONSE, {
    params: { tenant: context.tenantId, shape: context.shape, field, problem: issue?.message ?? 'invalid' },
    details: {
      issues: result.error.issues
        .slice(0, 5)
        .map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    },
  });
}
