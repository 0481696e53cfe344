// Benchmark: the bot API as served (API key, employee session, limits counted in the store) over the demo org, at
// 50 concurrent clients, each its own employee: knowledge search, listing and filing. Salesforce calls per request
// come from the API audit, beside the least each operation needs (search 0, list 1 query, file 1 composite). The
// emulator runs in this process, so listing's and filing's latency includes Salesforce's (the emulator's) time;
// search touches no Salesforce, so its figures are casebridge's own.

import { randomUUID } from 'node:crypto';

import { buildBotApp } from '../packages/connector/src/http/bot-app.js';
import { silentLogger } from '../packages/connector/src/logging/logger.js';
import { botCall, startBotStack } from '../packages/connector/test/helpers/bot-api-kit.js';
import type { BenchOptions, BenchReport, BenchRow, BenchmarkModule } from './lib/harness.js';
import { runLoad } from './lib/harness.js';

const CLIENTS = 50;
const QUERIES = ['vpn', 'password reset', 'printer', 'expense report', 'laptop', 'wifi', 'mfa', 'holiday'];

export const botApi: BenchmarkModule = {
  name: 'bot-api',
  description: `bot API search, list and file at ${CLIENTS} concurrent employees; Salesforce calls per request vs the minimum`,
  async run(options: BenchOptions): Promise<BenchReport> {
    const stack = await startBotStack(['acme'], { dailyApiLimit: 5_000_000 });
    const { runtime } = stack;
    try {
      await runtime.admin.updateTenant('acme', { settings: { apiBudgetShare: 1 } });
      await runtime.knowledgeSync.run('acme', () => undefined, { full: true });
      const apiKey = (await runtime.botKeys.create('acme', 'bench')).secret;
      const app = buildBotApp({
        ...runtime.bot,
        apiKeys: runtime.botKeys,
        log: silentLogger(),
        version: 'bench',
        employeeLimit: { max: 1_000_000, windowMs: 60_000 },
        keyLimit: { max: 10_000_000, windowMs: 60_000 },
      });
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const sessions: string[] = [];
        for (let i = 0; i < CLIENTS; i++) {
          const email = `bench.${i}@example.com`;
          stack.insert('Contact', { FirstName: 'Bench', LastName: `No${i}`, Email: email });
          const made = await botCall<{ session: string }>(base, 'POST', '/v1/sessions', {
            apiKey,
            body: { tenant: 'acme', identityToken: await stack.sign('acme', { sub: email }) },
          });
          if (made.status !== 201) throw new Error(`session ${i}: ${JSON.stringify(made.body)}`);
          sessions.push(made.body.session);
          // a ticket each, so listing returns something
          await botCall(base, 'POST', '/v1/tickets', {
            apiKey,
            session: made.body.session,
            idempotencyKey: randomUUID(),
            body: { subject: `Bench ${i}`, description: 'A benchmark ticket.' },
          });
        }
        const common = { concurrency: CLIENTS, durationMs: options.durationMs, warmupMs: options.warmupMs };
        const calls = async (): Promise<number> =>
          (await runtime.store.audit.summary('acme', new Date(0))).calls;
        const rows: BenchRow[] = [];
        const perCall: string[][] = [];
        const measure = async (
          name: string,
          minimum: number,
          op: (i: number) => Promise<boolean>,
        ): Promise<void> => {
          rows.push(await runLoad({ ...common, name, op }));
          // counted apart from the load (whose warm-up is not in its ops): 20 operations one after another
          const before = await calls();
          for (let i = 0; i < 20; i++) await op(i);
          perCall.push([name, ((await calls()) - before) / 20 + '', String(minimum)]);
        };
        const session = (i: number): string => sessions[i % CLIENTS] ?? '';
        await measure('search', 0, async (i) => {
          const res = await botCall(base, 'POST', '/v1/knowledge/search', {
            apiKey,
            session: session(i),
            body: { query: QUERIES[i % QUERIES.length], limit: 5 },
          });
          return res.status === 200;
        });
        await measure('list my tickets', 1, async (i) => {
          const res = await botCall(base, 'GET', '/v1/tickets', { apiKey, session: session(i) });
          return res.status === 200;
        });
        await measure('file a ticket', 1, async (i) => {
          const res = await botCall(base, 'POST', '/v1/tickets', {
            apiKey,
            session: session(i),
            idempotencyKey: randomUUID(),
            body: { subject: `Load ${i}`, description: 'Filed by the benchmark.' },
          });
          return res.status === 201;
        });
        return {
          title: `Bot API at ${CLIENTS} concurrent employees (PGlite store in process, emulator in process)`,
          rows,
          tables: [
            {
              title: 'Salesforce calls per request',
              columns: ['operation', 'measured', 'minimum'],
              rows: perCall,
            },
          ],
          notes: [
            'Each request also makes store round trips: the key (cached 10 s per worker), the session read (its idle timer written at most once a minute), and one rate-count statement for both buckets.',
            'Search answers from casebridge’s index only. Listing and filing include the in-process emulator’s time; the 100,000-article search figure is the search-speed bench’s.',
          ],
        };
      } finally {
        await app.close();
      }
    } finally {
      await stack.close();
    }
  },
};
