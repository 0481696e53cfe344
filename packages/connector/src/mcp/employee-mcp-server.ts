// The MCP server of one employee on the official SDK: tools/list from EMPLOYEE_TOOLS, tools/call validated with the
// bot API's schemas. The list and call handlers are ours (McpServer's `server`, as the SDK documents for custom
// handlers) because McpServer's own validation answers an uncoded "Input validation error"; ours answers
// BOT_BAD_REQUEST with the issues, and every failure is a tool result `isError` carrying { code, message, fix }.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

import { appError } from '../errors/app-error.js';
import { BOT_BAD_REQUEST } from '../errors/codes/bot.js';
import { MCP_TOOL_UNKNOWN } from '../errors/codes/mcp.js';
import type { Logger } from '../logging/logger.js';
import { failureOf } from './coded-error.js';
import type { EmployeeDesk } from './employee-desk.js';
import { failureText } from './tool-text.js';
import { EMPLOYEE_TOOLS, newIdempotencyKey, type EmployeeTool } from './tools.js';
import type { Clock } from '../domain/clock-ports.js';

export interface EmployeeMcpServerDeps {
  log: Logger;
  version: string;
  /** times each tool call for its log line */
  clock: Clock;
  /** a fresh idempotency key for a write called without one (tests may fix it) */
  newKey?: () => string;
}

const INSTRUCTIONS =
  "casebridge acts for one employee: the one whose session this server holds. It can search the company's support knowledge base and work that employee's own tickets (list, show, file, comment, close, reopen), nothing else. Search knowledge first when a question may already have an answer; file, comment, close or reopen only when the employee asks. Errors carry a code and a fix to follow.";

function inputSchemaOf(tool: EmployeeTool): Tool['inputSchema'] {
  // the dialect is left out: 2020-12 is what MCP assumes of a schema without `$schema`
  const schema = z.toJSONSchema(tool.input, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
  delete schema['$schema'];
  return { ...schema, type: 'object' };
}

function refused(err: unknown, log: Logger): CallToolResult {
  const failure = failureOf(err, log);
  return {
    content: [{ type: 'text', text: failureText(failure) }],
    structuredContent: { error: failure },
    isError: true,
  };
}

export function createEmployeeMcpServer(desk: () => EmployeeDesk, deps: EmployeeMcpServerDeps): McpServer {
  const log = deps.log.child({ component: 'mcp' });
  const newKey = deps.newKey ?? newIdempotencyKey;
  const mcp = new McpServer(
    { name: 'casebridge', title: 'casebridge employee support', version: deps.version },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );
  const tools: Tool[] = EMPLOYEE_TOOLS.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputSchemaOf(tool),
    annotations: { title: tool.title, ...tool.annotations },
  }));
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const name = request.params.name;
    const tool = EMPLOYEE_TOOLS.find((t) => t.name === name);
    const started = deps.clock.now().getTime();
    const done = (result: CallToolResult): CallToolResult => {
      const code = (result.structuredContent?.['error'] as { code?: string } | undefined)?.code ?? null;
      // which tool and how it ended: never its arguments or its answer (tickets and comments are employee data)
      log.info(
        { tool: tool?.name ?? null, code, durationMs: deps.clock.now().getTime() - started },
        'mcp tool call',
      );
      return result;
    };
    if (tool === undefined)
      return done(
        refused(
          appError(MCP_TOOL_UNKNOWN, {
            params: { tool: name.slice(0, 100), tools: EMPLOYEE_TOOLS.map((t) => t.name).join(', ') },
          }),
          log,
        ),
      );
    const parsed = tool.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      return done(
        refused(
          appError(BOT_BAD_REQUEST, {
            params: { summary: issues.map((i) => `${i.path || '(arguments)'}: ${i.message}`).join('; ') },
            details: { issues },
          }),
          log,
        ),
      );
    }
    try {
      const outcome = await tool.run(desk(), parsed.data, newKey);
      return done({ content: [{ type: 'text', text: outcome.text }], structuredContent: outcome.structured });
    } catch (err) {
      return done(refused(err, log));
    }
  });
  return mcp;
}
