// ADMIN_ and CLI_: the admin API and the command line.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const ADMIN_UNAUTHORIZED = defineError(
  'ADMIN_UNAUTHORIZED',
  'The admin API token is missing or wrong.',
  'Send `Authorization: Bearer <token>` with the token from the admin token file in the data directory (0600).',
  401,
  EXIT.usage,
);

export const ADMIN_STATUS_UNAUTHORIZED = defineError(
  'ADMIN_STATUS_UNAUTHORIZED',
  'The status API token is missing or wrong.',
  'Send `Authorization: Bearer <token>` with the read-only status token your operator gave you.',
  401,
  EXIT.usage,
);

export const ADMIN_BAD_REQUEST = defineError(
  'ADMIN_BAD_REQUEST',
  'The request is invalid: {summary}',
  'Correct the fields listed in details.',
  400,
  EXIT.usage,
);

export const ADMIN_INPUT_REFUSED = defineError(
  'ADMIN_INPUT_REFUSED',
  'The request holds input casebridge never accepts: {summary}',
  'Remove NUL bytes (\\u0000) from every value, and keys named __proto__, constructor or prototype, then send it again.',
  400,
  EXIT.usage,
);

export const ADMIN_BODY_TOO_LARGE = defineError(
  'ADMIN_BODY_TOO_LARGE',
  'The request body is larger than the limit of {limit} bytes.',
  'Send a smaller body: no admin request needs more than {limit} bytes (keys and certificates are a few KB).',
  413,
  EXIT.usage,
);

export const ADMIN_NOT_FOUND = defineError(
  'ADMIN_NOT_FOUND',
  'No such admin endpoint: {method} {path}',
  'See docs/admin-api.md for the endpoints.',
  404,
  EXIT.usage,
);

export const ADMIN_INTERNAL = defineError(
  'ADMIN_INTERNAL',
  'An unexpected error occurred (reference {reference}).',
  'Look up the reference in the service log; report it if it repeats.',
  500,
  EXIT.failure,
);

export const CLI_USAGE = defineError(
  'CLI_USAGE',
  'Invalid command line: {summary}',
  'Run the command with --help to see its arguments.',
  400,
  EXIT.usage,
);

export const CLI_SERVICE_UNREACHABLE = defineError(
  'CLI_SERVICE_UNREACHABLE',
  'The running casebridge service (pid {pid}) holds the store but its admin API at {url} does not answer.',
  'Check that the service is healthy (`casebridge status`), or stop it and run the command again.',
  503,
  EXIT.storeBusy,
);

export const CLI_EMULATOR_MISSING = defineError(
  'CLI_EMULATOR_MISSING',
  'The Salesforce emulator package is not installed.',
  'It is an optional dependency: install it with `npm install @casebridge/salesforce-emulator` (a production install may leave it out).',
  500,
  EXIT.usage,
);

export const CLI_FILE_UNREADABLE = defineError(
  'CLI_FILE_UNREADABLE',
  'Cannot read {what} from {path}: {reason}.',
  'Check the path and that this user may read the file.',
  400,
  EXIT.usage,
);

export const CLI_FILE_UNWRITABLE = defineError(
  'CLI_FILE_UNWRITABLE',
  'Cannot write {what} to {path}: {reason}.',
  'Choose a directory this user may write to (see the --out or --cert-out option).',
  400,
  EXIT.usage,
);

export const ADMIN_STATUS_NOT_FOUND = defineError(
  'ADMIN_STATUS_NOT_FOUND',
  'The status API has no endpoint {method} {path}.',
  'The status API answers GET /health, GET /v1/status, GET /v1/jobs/<id> and GET /metrics, the last three with the status token.',
  404,
  EXIT.usage,
);
