// The bot API's OpenAPI 3.1 document, generated from the operations' zod schemas (zod's own JSON Schema output:
// OpenAPI 3.1 schemas are JSON Schema 2020-12), served at /v1/openapi.json and rendered into
// docs/bot-api-reference.md (reference.ts).

import { z } from 'zod';

import { DEFAULT_BODY_LIMIT } from '../create-server.js';
import { BOT_OPERATIONS, type BotOperation } from './contracts.js';

const ANSWERS_200 = new Set(['searchKnowledge', 'closeTicket', 'reopenTicket']);

const ErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    fix: z.string(),
    details: z.unknown().optional(),
  }),
});

const schemaOf = (schema: z.ZodType): unknown =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** What the listener answers before an operation with a body sees it (http/error-handler.ts, BOT_LISTENER_CODES). */
const BODY_REFUSALS = {
  '413': {
    description: `BOT_BODY_TOO_LARGE: the body is larger than ${DEFAULT_BODY_LIMIT} bytes`,
    content: errorContent,
  },
  '415': {
    description: 'BOT_UNSUPPORTED_MEDIA_TYPE: the body is not sent as application/json',
    content: errorContent,
  },
};

function pathOf(op: BotOperation): string {
  return op.path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function operationObject(op: BotOperation): Record<string, unknown> {
  const parameters: unknown[] = [];
  if (op.params !== undefined) {
    const shape = (schemaOf(op.params) as { properties?: Record<string, unknown> }).properties ?? {};
    for (const [name, schema] of Object.entries(shape))
      parameters.push({ name, in: 'path', required: true, schema });
  }
  if (op.query !== undefined) {
    const shape = (schemaOf(op.query) as { properties?: Record<string, unknown> }).properties ?? {};
    for (const [name, schema] of Object.entries(shape))
      parameters.push({ name, in: 'query', required: false, schema });
  }
  if (op.idempotencyKey === true)
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description: 'a new random key per request; the same key on a retry',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  return {
    operationId: op.id,
    summary: op.summary,
    // every operation needs the platform's API key; employee-scoped ones the session too (both at once)
    security: [op.session ? { apiKey: [], session: [] } : { apiKey: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } }),
    responses: {
      // search, close and reopen answer 200: they create nothing
      [op.method === 'POST' && !ANSWERS_200.has(op.id) ? '201' : op.method === 'DELETE' ? '204' : '200']: {
        description: 'success',
        ...(op.response === undefined
          ? {}
          : {
              content: {
                'application/json': {
                  schema: z.toJSONSchema(op.response, { target: 'draft-2020-12', io: 'output' }),
                },
              },
            }),
      },
      ...(op.body === undefined ? {} : BODY_REFUSALS),
      default: {
        description: `a coded error${op.errors.length > 0 ? `: ${op.errors.join(', ')}` : ''}`,
        content: errorContent,
      },
    },
  };
}

export function botOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of BOT_OPERATIONS) {
    const path = (paths[pathOf(op)] ??= {});
    path[op.method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'casebridge bot API', version },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', description: 'the session POST /v1/sessions returned' },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description:
            "the calling platform's key for its tenant (`casebridge bot keys create`), shown once when made",
        },
      },
      schemas: { Error: schemaOf(ErrorBody) },
    },
  };
}
