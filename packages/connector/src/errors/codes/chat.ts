// CHAT_: the web chat and its widget refusing a request; every message is safe to show an employee.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const CHAT_CSRF_REFUSED = defineError(
  'CHAT_CSRF_REFUSED',
  'The request was refused: a write with the chat session cookie needs its CSRF token.',
  'Send the `csrf` value the chat session answer gave (GET /chat/{tenant}/session) as the `X-Casebridge-Csrf` header; reload the chat page if it was open for long.',
  403,
  EXIT.failure,
);

export const CHAT_ORIGIN_REFUSED = defineError(
  'CHAT_ORIGIN_REFUSED',
  'Origin {origin} may not open a chat session for tenant {tenant}.',
  'Add the intranet page’s origin to the tenant’s allowlist, the setting chat.allowedOrigins (docs/web-chat.md), e.g. `casebridge tenants update {tenant} --settings-json \'{"chat":{"allowedOrigins":["https://intranet.example.com"]}}\'`.',
  403,
  EXIT.failure,
);

export const CHAT_TENANT_NOT_FOUND = defineError(
  'CHAT_TENANT_NOT_FOUND',
  'There is no chat for tenant {tenant}.',
  'Check the tenant id in the chat address (casebridge tenants list).',
  404,
  EXIT.notFound,
);

export const CHAT_ARTICLE_NOT_FOUND = defineError(
  'CHAT_ARTICLE_NOT_FOUND',
  'That article is not in the knowledge base (any more).',
  'Search again: the article may have been archived or translated under another language.',
  404,
  EXIT.notFound,
);
