// KNOWLEDGE_: knowledge search requests that cannot be answered as asked.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const KNOWLEDGE_QUERY_TOO_LONG = defineError(
  'KNOWLEDGE_QUERY_TOO_LONG',
  'The search query has {length} characters; at most {max} are searched.',
  'Send the question itself (a sentence or a few words), not a whole message or document.',
  400,
  EXIT.usage,
);

export const KNOWLEDGE_LIMIT_INVALID = defineError(
  'KNOWLEDGE_LIMIT_INVALID',
  'The result limit {limit} is not a whole number from 1 to {max}.',
  'Ask for between 1 and {max} results.',
  400,
  EXIT.usage,
);
