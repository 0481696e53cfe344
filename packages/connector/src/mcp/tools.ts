// The tools an assistant gets for one employee, as data: name, title, description, annotations, the input schema
// (tool-schemas.ts, from the bot API's contract) and what a call does on the employee's desk. The descriptions say
// when to use a tool and what its answer means, because a model reads nothing else before calling it.

import { randomUUID } from 'node:crypto';

import type { z } from 'zod';

import type { EmployeeDesk } from './employee-desk.js';
import { commentText, filedText, listText, searchText, showText, stateText } from './tool-text.js';
import {
  CommentOnTicketInput,
  FileTicketInput,
  ListMyTicketsInput,
  SearchKnowledgeInput,
  ShowTicketInput,
  StateChangeInput,
} from './tool-schemas.js';

export interface ToolOutcome {
  text: string;
  structured: Record<string, unknown>;
}

export interface EmployeeTool {
  name: string;
  title: string;
  description: string;
  input: z.ZodType;
  annotations: {
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
  run(desk: EmployeeDesk, args: unknown, newKey: () => string): Promise<ToolOutcome>;
}

function tool<S extends z.ZodType>(definition: {
  name: string;
  title: string;
  description: string;
  input: S;
  annotations: EmployeeTool['annotations'];
  run(desk: EmployeeDesk, args: z.output<S>, newKey: () => string): Promise<ToolOutcome>;
}): EmployeeTool {
  return { ...definition, run: (desk, args, newKey) => definition.run(desk, args as z.output<S>, newKey) };
}

const asRecord = (value: object): Record<string, unknown> => ({ ...value });

const read = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

export const EMPLOYEE_TOOLS: readonly EmployeeTool[] = [
  tool({
    name: 'search_knowledge',
    title: 'Search the knowledge base',
    description:
      "Search the company's support knowledge base (its help articles) for what the employee asks. Use it before filing a ticket whenever the question may already have an answer, and quote the article's title and link when it helps. Returns the best articles first, each with the section that matched and a snippet; when nothing matches, the reason (no words left after stop words, a language without articles, no articles yet).",
    input: SearchKnowledgeInput,
    annotations: read,
    run: async (desk, args) => {
      const result = await desk.search(args);
      return { text: searchText(result), structured: asRecord(result) };
    },
  }),
  tool({
    name: 'list_my_tickets',
    title: 'List my tickets',
    description:
      'List the employee\'s own support tickets, every open one and those closed in the last 30 days, open first, each most recently changed first (200 at most): number, subject, state in plain words (e.g. "Waiting for you") and updatedAt. Only this employee\'s tickets are ever visible. Takes no arguments.',
    input: ListMyTicketsInput,
    annotations: read,
    run: async (desk) => {
      const tickets = await desk.list();
      return { text: listText(tickets), structured: { tickets } };
    },
  }),
  tool({
    name: 'show_ticket',
    title: 'Show a ticket',
    description:
      "Show one of the employee's tickets by its number: subject, description, state and what it means for the employee, and its public comments oldest first (fromAgent true: the support team; false: the employee). Internal notes are never shown. A number that is not one of the employee's tickets answers BOT_TICKET_NOT_FOUND, exactly like a number that does not exist.",
    input: ShowTicketInput,
    annotations: read,
    run: async (desk, args) => {
      const ticket = await desk.show(args.number);
      return { text: showText(ticket), structured: asRecord(ticket) };
    },
  }),
  tool({
    name: 'file_ticket',
    title: 'File a ticket',
    description:
      'File a new support ticket for the employee, only when they ask for one or agree to it. Write the subject and description from what the employee said; do not invent details. Returns the new ticket with its number and state. To retry a call whose answer was lost without filing twice, send the same idempotencyKey.',
    input: FileTicketInput,
    annotations: write,
    run: async (desk, args, newKey) => {
      const ticket = await desk.file(
        { subject: args.subject, description: args.description, priority: args.priority },
        args.idempotencyKey ?? newKey(),
      );
      return { text: filedText(ticket), structured: asRecord(ticket) };
    },
  }),
  tool({
    name: 'comment_on_ticket',
    title: 'Comment on a ticket',
    description:
      "Add a comment to one of the employee's tickets for the support team to read (an answer to their question, new information). Send only what the employee wants sent. A ticket waiting for the employee goes back to the support team and a resolved one is reopened; a closed one may be refused with REPLY_CASE_CLOSED (then file a new ticket). Send the same idempotencyKey to retry without posting twice.",
    input: CommentOnTicketInput,
    annotations: write,
    run: async (desk, args, newKey) => {
      const result = await desk.comment(args.number, args.text, args.idempotencyKey ?? newKey());
      return { text: commentText(result), structured: asRecord(result) };
    },
  }),
  tool({
    name: 'close_ticket',
    title: 'Close a ticket',
    description:
      "Close (resolve) one of the employee's tickets when they say the problem is solved or they no longer need help. Pass lastSeenUpdatedAt, the ticket's updatedAt as the employee saw it: if the support team changed the ticket since, nothing is changed and the answer is BOT_TICKET_CHANGED (show the ticket again and ask). A ticket already resolved or closed stays as it is.",
    input: StateChangeInput,
    annotations: { ...write, idempotentHint: true },
    run: async (desk, args) => {
      const ticket = await desk.setState(args.number, 'close', args.lastSeenUpdatedAt);
      return { text: stateText(ticket), structured: asRecord(ticket) };
    },
  }),
  tool({
    name: 'reopen_ticket',
    title: 'Reopen a ticket',
    description:
      "Reopen one of the employee's resolved or closed tickets when the problem came back. A ticket in any other state answers BOT_TICKET_STATE_REFUSED (comment on it instead). lastSeenUpdatedAt works as for close_ticket.",
    input: StateChangeInput,
    annotations: write,
    run: async (desk, args) => {
      const ticket = await desk.setState(args.number, 'reopen', args.lastSeenUpdatedAt);
      return { text: stateText(ticket), structured: asRecord(ticket) };
    },
  }),
];

export const newIdempotencyKey = (): string => `mcp-${randomUUID()}`;
