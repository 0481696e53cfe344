// The bot API's reference page (docs/bot-api-reference.md), rendered from the OpenAPI document that /v1/openapi.json
// serves, which is itself generated from the zod schemas that validate every request (contracts.ts): the page, the
// document and the validation cannot disagree. `npm run docs:bot-api` writes it; reference.test.ts keeps it equal.

import { DEFAULT_BODY_LIMIT } from '../create-server.js';
import { BOT_OPERATIONS } from './contracts.js';
import { botOpenApiDocument } from './openapi.js';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface OperationObject {
  operationId: string;
  summary: string;
  security: Record<string, unknown>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;
const literal = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** A schema's type in a few words: `string`, `integer`, `one of: a, b`, `array of objects`, `string or null`. */
function typeOf(schema: JsonSchema): string {
  if (schema.enum !== undefined) return `one of ${schema.enum.map((v) => code(literal(v))).join(', ')}`;
  if (schema.const !== undefined) return code(literal(schema.const));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return [...new Set(alternatives.map(typeOf))].join(' or ');
  const types = schema.type === undefined ? [] : [schema.type].flat();
  const named = types.map((type) => {
    if (type === 'array') {
      const items = Array.isArray(schema.items) ? undefined : schema.items;
      if (schema.prefixItems !== undefined) return `[${schema.prefixItems.map(typeOf).join(', ')}]`;
      if (items === undefined) return 'array';
      const each = typeOf(items);
      return `array of ${each}${each === 'object' || each === 'string' ? 's' : ''}`;
    }
    if (
      type === 'object' &&
      schema.properties === undefined &&
      typeof schema.additionalProperties === 'object'
    )
      return `object of ${typeOf(schema.additionalProperties)}s`;
    return type;
  });
  return named.length === 0 ? 'any' : named.join(' or ');
}

/** The limits a schema puts on a value, as the validation applies them. */
function rulesOf(schema: JsonSchema): string {
  const rules: string[] = [];
  if (schema.minLength !== undefined && schema.maxLength !== undefined)
    rules.push(`${schema.minLength} to ${schema.maxLength} characters`);
  else if (schema.maxLength !== undefined) rules.push(`at most ${schema.maxLength} characters`);
  else if (schema.minLength !== undefined) rules.push(`at least ${schema.minLength} characters`);
  if (schema.minimum !== undefined) rules.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) rules.push(`≤ ${schema.maximum}`);
  // a format's own pattern (zod writes the date-time regex out) says less than the format's name
  if (schema.format !== undefined) rules.push(`format ${schema.format}`);
  else if (schema.pattern !== undefined) rules.push(`matches ${code(schema.pattern)}`);
  if (schema.propertyNames?.pattern !== undefined)
    rules.push(`names match ${code(schema.propertyNames.pattern)}`);
  if (typeof schema.additionalProperties === 'object') {
    const values = rulesOf(schema.additionalProperties);
    if (values !== '') rules.push(`values: ${values}`);
  }
  return rules.join('; ');
}

function fieldTable(schema: JsonSchema, withRules: boolean): string[] {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, field]) =>
    withRules
      ? `| ${code(name)} | ${cell(typeOf(field))} | ${required.has(name) ? 'yes' : 'no'} | ${cell(rulesOf(field))} | ${cell(field.description ?? '')} |`
      : `| ${code(name)} | ${cell(typeOf(field))} | ${cell(field.description ?? '')} |`,
  );
  const head = withRules
    ? ['| field | type | required | rules | meaning |', '|---|---|---|---|---|']
    : ['| field | type | meaning |', '|---|---|---|'];
  return [...head, ...rows];
}

function bodySection(schema: JsonSchema, title: string, withRules: boolean): string[] {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives === undefined) return [`${title}:`, '', ...fieldTable(schema, withRules), ''];
  return alternatives.flatMap((alternative, i) => [
    `${title}, form ${i + 1} of ${alternatives.length}:`,
    '',
    ...fieldTable(alternative, withRules),
    '',
  ]);
}

function operationSection(method: string, path: string, op: OperationObject): string[] {
  const errors = BOT_OPERATIONS.find((o) => o.id === op.operationId)?.errors ?? [];
  const credentials = op.security.flatMap((s) => Object.keys(s));
  const lines = [
    `## ${code(`${method.toUpperCase()} ${path}`)}`,
    '',
    `${op.summary}. Operation id ${code(op.operationId)}; sends ${credentials.includes('session') ? '`X-Api-Key` and `Authorization: Bearer <session>`' : '`X-Api-Key`'}.`,
    '',
  ];
  if (op.parameters !== undefined && op.parameters.length > 0)
    lines.push(
      '| parameter | in | type | required | rules | meaning |',
      '|---|---|---|---|---|---|',
      ...op.parameters.map(
        (p) =>
          `| ${code(p.name)} | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : 'no'} | ${cell(rulesOf(p.schema))} | ${cell(p.description ?? '')} |`,
      ),
      '',
    );
  const request = op.requestBody?.content['application/json']?.schema;
  if (request !== undefined)
    lines.push(...bodySection(request, 'Request body (JSON, no other fields)', true));
  const [status, answer] = Object.entries(op.responses).find(([s]) => s !== 'default') ?? ['200', {}];
  const response = answer.content?.['application/json']?.schema;
  if (response === undefined) lines.push(`Answers ${code(status)}.`, '');
  else lines.push(...bodySection(response, `Answers ${code(status)} with`, false));
  lines.push(
    errors.length === 0
      ? 'Errors: only those any operation may answer (above).'
      : `Errors: ${errors.map(code).join(', ')}, and those any operation may answer (above).`,
    '',
  );
  return lines;
}

export function renderBotApiReference(): string {
  const document = botOpenApiDocument('reference') as {
    paths: Record<string, Record<string, OperationObject>>;
  };
  const lines = [
    '# The bot API: reference',
    '',
    '<!-- generated by `npm run docs:bot-api` from packages/connector/src/http/bot/contracts.ts: do not edit -->',
    '',
    'Every operation of the bot API, rendered from the OpenAPI 3.1 document it serves at `GET /v1/openapi.json`,',
    'which is generated from the schemas that validate each request. What the operations mean, identity tokens,',
    'sessions, keys and limits: [bot-api.md](bot-api.md). Every error answers `{ "error": { "code", "message",',
    '"fix", "details"? } }` ([errors.md](errors.md)). Besides the codes listed per operation, any operation may answer',
    '`BOT_BAD_REQUEST` (400, input that fails the rules below), `BOT_API_KEY_INVALID` (401), `BOT_KEY_RATE_LIMITED`',
    '(429), and each one that sends a session `BOT_SESSION_INVALID` (401) and `BOT_RATE_LIMITED` (429). One with a',
    `request body answers \`BOT_UNSUPPORTED_MEDIA_TYPE\` (415) unless it is sent as \`application/json\`, and`,
    `\`BOT_BODY_TOO_LARGE\` (413) above ${DEFAULT_BODY_LIMIT} bytes; a method and path no operation has answers`,
    '`BOT_ROUTE_NOT_FOUND` (404).',
    '',
  ];
  for (const [path, methods] of Object.entries(document.paths))
    for (const [method, op] of Object.entries(methods)) lines.push(...operationSection(method, path, op));
  return `${lines.join('\n').trimEnd()}\n`;
}
