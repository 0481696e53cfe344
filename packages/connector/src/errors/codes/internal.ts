// INTERNAL_: states casebridge treats as impossible. Raised only through `InvariantError` (errors/invariant-error.ts).

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const INTERNAL_INVARIANT_BROKEN = defineError(
  'INTERNAL_INVARIANT_BROKEN',
  'casebridge reached a state its code treats as impossible: {what}',
  'This is a bug in casebridge, not in your setup: report the message (with CASEBRIDGE_LOG_LEVEL=debug output around it) to the maintainers.',
  500,
  EXIT.failure,
);
