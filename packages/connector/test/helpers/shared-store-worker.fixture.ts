// A casebridge worker process for the shared-store multi-worker tests (chat feed, knowledge): opens the runtime on
// the PostgreSQL store named by its arguments, serves the bot API with the web chat (port 0) and follows the
// knowledge changes, as a serving worker does; then takes one command a line on stdin and answers on stdout:
//   append <eventId> <employeeId>   adds a notification to the chat feed  → stored <eventId> <epoch ms after commit>
//   put <articleId> <title>         writes an article through the search  → put <articleId> <epoch ms after commit>
//   search <words>                  searches tenant acme                   → found <epoch ms> <article ids, comma-separated>
//   cpu                             → cpu <user + system µs since start>
// The feed mode argument: `notify` (the follower with the store's signals as served, but its safety-net poll pushed
// out to an hour, so within a test only a signal delivers) or `poll` (the follower without signals, every 500 ms:
// the behaviour before migration 0061). Prints `ready <bot URL>` once listening.

import { createInterface } from 'node:readline';

import { loadConfig } from '../../src/config/load-config.js';
import type { TicketNotification } from '../../src/domain/tickets/notification-rules.js';
import { buildBotApp } from '../../src/http/bot-app.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime } from '../../src/main.js';
import { LiveFeed } from '../../src/notify/live/live-feed.js';

const [url, schema, masterKey, mode] = process.argv.slice(2);
if (!url || !schema || !masterKey || (mode !== 'notify' && mode !== 'poll'))
  throw new Error('usage: url schema masterKey notify|poll');

const log = silentLogger();
const runtime = await openRuntime(
  loadConfig({ CASEBRIDGE_DATABASE_URL: url, CASEBRIDGE_MASTER_KEY: masterKey }),
  { log, schema },
);
const live = new LiveFeed({
  feed: runtime.store.chatFeed,
  log,
  ...(mode === 'notify' ? { signals: runtime.store.chatFeedSignals, safetyEveryMs: 3_600_000 } : {}),
});
const app = buildBotApp({
  sessions: runtime.bot.sessions,
  tickets: runtime.bot.tickets,
  conversation: runtime.bot.conversation,
  clock: runtime.clock,
  log,
  version: 'test',
  chat: { ...runtime.chat, live },
});
const botUrl = await app.listen({ host: '127.0.0.1', port: 0 });
runtime.knowledge.follow();
const started = process.cpuUsage();
process.stdout.write(`ready ${botUrl}\n`);

const notification = (eventId: string, employeeId: string): TicketNotification => ({
  eventId,
  kind: 'agent-comment',
  tenantId: 'acme',
  caseId: '500000000000001AAA',
  caseNumber: '00001001',
  employeeId,
  state: 'IN_PROGRESS',
  occurredAt: runtime.clock.now().toISOString(),
  comment: {
    id: '00a000000000001AAA',
    body: `comment ${eventId}`,
    createdAt: runtime.clock.now().toISOString(),
  },
});

const answer = (line: string): void => void process.stdout.write(`${line}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, first = '', ...rest] = line.trim().split(' ');
  if (command === 'append') {
    await runtime.store.chatFeed.append(notification(first, rest[0] ?? ''));
    answer(`stored ${first} ${Date.now()}`);
  } else if (command === 'put') {
    await runtime.knowledge.put({
      tenantId: 'acme',
      articleId: first,
      language: 'en_US',
      versionId: `ka0${first}`,
      articleNumber: '000001001',
      versionNumber: 1,
      title: rest.join(' '),
      urlName: first.toLowerCase(),
      bodyHtml: `<p>${rest.join(' ')}</p>`,
      lastPublishedAt: runtime.clock.now().toISOString(),
    });
    answer(`put ${first} ${Date.now()}`);
  } else if (command === 'search') {
    const result = await runtime.knowledge.search('acme', [first, ...rest].join(' '));
    answer(`found ${Date.now()} ${result.hits.map((h) => h.articleId).join(',')}`);
  } else if (command === 'cpu') {
    const used = process.cpuUsage(started);
    answer(`cpu ${used.user + used.system}`);
  }
}
await app.close();
await live.stop();
await runtime.close();
