// An outbox worker process for the multi-worker outbox test: opens the PostgreSQL store named by its arguments and
// runs the one dispatcher, delivering each 'work' message to the receiver URL with its event id, until killed or
// until nothing has been due for a while.

import { silentLogger } from '../../src/logging/logger.js';
import { OutboxDispatcher } from '../../src/jobs/outbox-dispatcher.js';
import { openStore } from '../../src/store/open-store.js';

const [url, schema, worker, receiver, leaseText] = process.argv.slice(2);
if (!url || !schema || !worker || !receiver || !leaseText)
  throw new Error('usage: url schema worker receiverUrl leaseMs');
const leaseMs = Number(leaseText);
const clock = { now: () => new Date() };
const store = await openStore(
  { dataDir: '/nonexistent', store: { kind: 'postgres', url } },
  {
    log: silentLogger(),
    clock,
    schema,
    outboxPolicy: { backoffBaseMs: 100, backoffMaxMs: 1_000, maxAttempts: 5, leaseMs },
  },
);
const dispatcher = new OutboxDispatcher({
  outbox: store.outbox,
  log: silentLogger(),
  clock,
  batchSize: 5,
  leaseMs,
  idleMs: 100,
  handlers: {
    work: async (delivery) => {
      const response = await fetch(receiver, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eventId: delivery.eventId, worker }),
      });
      if (!response.ok) throw new Error(`receiver answered ${response.status}`);
    },
  },
});
const controller = new AbortController();
let idleSince = Date.now();
const stopWhenIdle = setInterval(() => {
  if (Date.now() - idleSince > leaseMs * 3) controller.abort();
}, 250);
const poll = async (): Promise<void> => {
  while (!controller.signal.aborted) {
    const report = await dispatcher.drainOnce(controller.signal);
    if (report.claimed > 0) idleSince = Date.now();
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
await poll();
clearInterval(stopWhenIdle);
await store.close();
process.stdout.write(`${JSON.stringify({ worker, stopped: 'idle' })}\n`);
