// The registry of every error code the connector can raise. Each area keeps its codes in codes/<area>.ts;
// this file gathers them, checks they are unique, and is what docs/errors.md is generated from and tested against.

import type { ErrorDefinition } from './define-error.js';
import * as admin from './codes/admin.js';
import * as config from './codes/config.js';
import * as jobs from './codes/jobs.js';
import * as keys from './codes/keys.js';
import * as notify from './codes/notify.js';
import * as knowledge from './codes/knowledge.js';
import * as knowledgeSync from './codes/knowledge-sync.js';
import * as salesforceApi from './codes/salesforce-api.js';
import * as salesforceAuth from './codes/salesforce-auth.js';
import * as secrets from './codes/secrets.js';
import * as store from './codes/store.js';
import * as tenant from './codes/tenant.js';
import * as replies from './codes/replies.js';
import * as bot from './codes/bot.js';
import * as mcp from './codes/mcp.js';
import * as chat from './codes/chat.js';
import * as internal from './codes/internal.js';
import { InvariantError } from './invariant-error.js';

/** Area modules, in the order docs/errors.md lists them. Add a new codes/<area>.ts here. */
export const ERROR_AREAS: readonly { title: string; codes: Record<string, ErrorDefinition> }[] = [
  { title: 'Configuration', codes: config },
  { title: 'Tenants', codes: tenant },
  { title: 'Store', codes: store },
  { title: 'Admin API and CLI', codes: admin },
  { title: 'Salesforce authentication', codes: salesforceAuth },
  { title: 'Salesforce API', codes: salesforceApi },
  { title: 'Secrets and the master key', codes: secrets },
  { title: 'Keys and certificates', codes: keys },
  { title: 'Notifications and webhooks', codes: notify },
  { title: 'Background jobs', codes: jobs },
  { title: 'Knowledge search', codes: knowledge },
  { title: 'Knowledge sync', codes: knowledgeSync },
  { title: 'Replies', codes: replies },
  { title: 'Bot API', codes: bot },
  { title: 'MCP tool server', codes: mcp },
  { title: 'Web chat', codes: chat },
  { title: 'Internal', codes: internal },
];

function collect(): ReadonlyMap<string, ErrorDefinition> {
  const byCode = new Map<string, ErrorDefinition>();
  for (const area of ERROR_AREAS) {
    for (const [exportName, definition] of Object.entries(area.codes)) {
      if (exportName !== definition.code)
        throw new InvariantError(`export ${exportName} must be named after its code ${definition.code}`);
      if (byCode.has(definition.code))
        throw new InvariantError(`error code ${definition.code} is defined twice`);
      byCode.set(definition.code, definition);
    }
  }
  return byCode;
}

export const ERROR_REGISTRY = collect();

/** The markdown table of docs/errors.md, generated so the page can never drift from the code. */
export function renderErrorDocs(): string {
  const lines = [
    '# Error codes',
    '',
    'Every error casebridge reports carries one of these stable codes, in API responses as',
    '`{ "error": { "code", "message", "fix", "details" } }` and on the command line as `error CODE: message` followed',
    'by the fix. This page is generated from `packages/connector/src/errors/codes/` by `npm run docs:errors`;',
    'a unit test fails when the two differ.',
    '',
    'CLI exit codes: 0 success, 1 failure, 2 usage or configuration, 3 Salesforce authentication, 4 Salesforce access',
    '(a permission or setting the integration needs is missing), 5 store busy or unreachable, 6 not found.',
  ];
  for (const area of ERROR_AREAS) {
    lines.push(
      '',
      `## ${area.title}`,
      '',
      '| code | HTTP | exit | meaning | how to fix |',
      '|---|---|---|---|---|',
    );
    for (const definition of Object.values(area.codes)) {
      const cell = (text: string): string => text.replace(/\|/g, '\\|');
      lines.push(
        `| \`${definition.code}\` | ${definition.httpStatus} | ${definition.exitCode} | ${cell(definition.message)} | ${cell(definition.fix)} |`,
      );
    }
  }
  lines.push(
    '',
    '## Not raised on purpose',
    '',
    '| code | HTTP | exit | meaning | how to fix |',
    '|---|---|---|---|---|',
    '| `UNEXPECTED` | 500 (`ADMIN_INTERNAL`) | 1 | An error casebridge did not raise on purpose (a bug or an unrecognised environment problem); the CLI prints its message. | Run again with CASEBRIDGE_LOG_LEVEL=debug and report the message. |',
  );
  return `${lines.join('\n')}\n`;
}
