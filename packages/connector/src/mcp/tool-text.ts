// The text half of each tool result: short, plain sentences a model can quote to the employee as they are. The
// structured half is the bot API's own answer.

import type { KnowledgeSearchResult } from '../domain/knowledge/search-result.js';
import type { TicketDetail, TicketSummary } from '../services/bot/bot-tickets.js';
import type { CodedFailure } from './coded-error.js';
import type { CommentResult } from './employee-desk.js';

const subjectOf = (ticket: TicketSummary): string => ticket.subject ?? '(no subject)';

function ticketLine(ticket: TicketSummary): string {
  return `#${ticket.number} "${subjectOf(ticket)}": ${ticket.label} (last changed ${ticket.updatedAt})`;
}

export function searchText(result: KnowledgeSearchResult): string {
  if (result.hits.length === 0)
    return `No knowledge article matched "${result.query}"${result.reason ? `: ${result.reason.message}` : '.'}`;
  const lines = [
    `${result.hits.length} knowledge article${result.hits.length === 1 ? '' : 's'} for "${result.query}" (${result.language}), best first:`,
  ];
  result.hits.forEach((hit, i) => {
    lines.push(
      '',
      `${i + 1}. ${hit.title} (article ${hit.articleNumber}${hit.section === null ? '' : `, section "${hit.section}"`})`,
      `   ${hit.snippet.text}`,
    );
    if (hit.link !== null) lines.push(`   ${hit.link}`);
  });
  return lines.join('\n');
}

export function listText(tickets: TicketSummary[]): string {
  if (tickets.length === 0) return 'You have no support tickets.';
  return [
    `Your ${tickets.length} support ticket${tickets.length === 1 ? '' : 's'}, open ones first, each most recently changed first:`,
    ...tickets.map((t) => `- ${ticketLine(t)}`),
  ].join('\n');
}

export function showText(ticket: TicketDetail): string {
  const lines = [
    `Ticket #${ticket.number} "${subjectOf(ticket)}"`,
    `State: ${ticket.label}: ${ticket.meaning}`,
    `Opened ${ticket.createdAt}, last changed ${ticket.updatedAt}.`,
    '',
    'Description:',
    ticket.description ?? '(none)',
    '',
  ];
  if (ticket.comments.length === 0) lines.push('No comments yet.');
  else {
    lines.push(`${ticket.comments.length} comment${ticket.comments.length === 1 ? '' : 's'}:`);
    for (const c of ticket.comments)
      lines.push(`- ${c.createdAt}, ${c.fromAgent ? 'support team' : 'you'}: ${c.body}`);
  }
  return lines.join('\n');
}

export function filedText(ticket: TicketSummary): string {
  return `Filed ticket #${ticket.number} "${subjectOf(ticket)}". State: ${ticket.label}: ${ticket.meaning}`;
}

export function commentText(result: CommentResult): string {
  if (result.replayed)
    return `This comment was already posted to ticket #${result.number} (same idempotencyKey); nothing was sent again.`;
  return `Comment added to ticket #${result.number}${result.parts > 1 ? ` (as ${result.parts} comments)` : ''}.`;
}

export function stateText(ticket: TicketSummary): string {
  return `Ticket #${ticket.number} "${subjectOf(ticket)}" is now ${ticket.label}: ${ticket.meaning}`;
}

export function failureText(failure: CodedFailure): string {
  return `${failure.code}: ${failure.message}\nFix: ${failure.fix}`;
}
