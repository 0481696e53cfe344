// Validates request input with a zod schema; issues become ADMIN_BAD_REQUEST with `details.issues` of { path, message }.

import type { z } from 'zod';

import { appError } from '../../errors/app-error.js';
import { ADMIN_BAD_REQUEST } from '../../errors/codes/admin.js';

export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw appError(ADMIN_BAD_REQUEST, {
    params: { summary: issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ') },
    details: { issues },
  });
}
