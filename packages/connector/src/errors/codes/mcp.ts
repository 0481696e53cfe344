// MCP_: the MCP tool server refusing a connection or a call; every message is safe to show an employee.

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const MCP_SESSION_MISSING = defineError(
  'MCP_SESSION_MISSING',
  '`casebridge mcp` needs an employee session and its tenant: {missing} is not set.',
  'Set CASEBRIDGE_MCP_SESSION to a session from POST /v1/sessions (cbs_…) and CASEBRIDGE_MCP_TENANT to its tenant (docs/mcp.md).',
  401,
  EXIT.usage,
);

export const MCP_TENANT_MISMATCH = defineError(
  'MCP_TENANT_MISMATCH',
  'The employee session belongs to another tenant than {tenant}.',
  'Set CASEBRIDGE_MCP_TENANT to the tenant the session was made for, or make a session for tenant {tenant}.',
  403,
  EXIT.usage,
);

export const MCP_ORIGIN_REFUSED = defineError(
  'MCP_ORIGIN_REFUSED',
  'Requests from the web origin {origin} are refused by the MCP endpoint.',
  'Connect from an MCP client (which sends no Origin), or add the origin to CASEBRIDGE_MCP_ALLOWED_ORIGINS.',
  403,
  EXIT.failure,
);

export const MCP_SESSION_MISMATCH = defineError(
  'MCP_SESSION_MISMATCH',
  'This MCP session was opened with another employee session.',
  'Send the employee session the MCP session was opened with, or open a new MCP session (initialize) with this one.',
  403,
  EXIT.failure,
);

export const MCP_SESSION_NOT_FOUND = defineError(
  'MCP_SESSION_NOT_FOUND',
  'No MCP session {id} is open on this worker (it ended, was idle too long, or the service restarted).',
  'Open a new MCP session: send initialize again without an Mcp-Session-Id header.',
  404,
  EXIT.failure,
);

export const MCP_TOOL_UNKNOWN = defineError(
  'MCP_TOOL_UNKNOWN',
  'There is no tool {tool}.',
  'Call one of the tools tools/list names: {tools}.',
  400,
  EXIT.usage,
);

export const MCP_BOT_API_UNREACHABLE = defineError(
  'MCP_BOT_API_UNREACHABLE',
  'The casebridge bot API at {url} could not be reached or gave no coded answer ({reason}).',
  'Check that the casebridge service runs and that CASEBRIDGE_MCP_BOT_URL names its bot API (default http://127.0.0.1:8789).',
  503,
  EXIT.failure,
);

export const MCP_INTERNAL = defineError(
  'MCP_INTERNAL',
  'The tool failed unexpectedly (reference {reference}).',
  'Try again; if it keeps failing, give the operator the reference: the service log has the details.',
  500,
  EXIT.failure,
);

// The /mcp endpoint's own answers to a request the transport cannot take (http-endpoint.ts, MCP_ENDPOINT_CODES).

export const MCP_BAD_REQUEST = defineError(
  'MCP_BAD_REQUEST',
  'The MCP request is not valid: {summary}.',
  'Send JSON-RPC 2.0 messages as described in docs/mcp.md: initialize first, then its Mcp-Session-Id header with every request.',
  400,
  EXIT.usage,
);

export const MCP_UNSUPPORTED_MEDIA_TYPE = defineError(
  'MCP_UNSUPPORTED_MEDIA_TYPE',
  'The MCP request body is sent as {contentType}; the endpoint reads only JSON.',
  'Send JSON-RPC messages with `Content-Type: application/json` (docs/mcp.md).',
  415,
  EXIT.usage,
);

export const MCP_BODY_TOO_LARGE = defineError(
  'MCP_BODY_TOO_LARGE',
  'The MCP request body is larger than the limit of {limit} bytes.',
  'Send one JSON-RPC message at a time; no tool call needs more than {limit} bytes (docs/mcp.md).',
  413,
  EXIT.usage,
);

export const MCP_INPUT_REFUSED = defineError(
  'MCP_INPUT_REFUSED',
  'The MCP request holds input casebridge never accepts: {summary}.',
  'Remove NUL bytes (\\u0000) from every value, and keys named __proto__, constructor or prototype, then send it again (docs/mcp.md).',
  400,
  EXIT.usage,
);
