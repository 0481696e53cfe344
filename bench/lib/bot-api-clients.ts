// The bot-api bench's 50 employees, in a process of their own (forked by bench/bot-api.ts), so their CPU is not
// counted as casebridge's. Over IPC: `setup` (the API's URL, the key, one session per employee), then one `run` per
// case, answered with every measured request's latency and the Salesforce time and calls the server reported for it.
// Two models: `paced` (each employee at a fixed rate, staggered: latency at a known load) and `closed` (every
// employee sends its next request when the last is answered: the most the server does, for CPU per request).

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { KeepAliveClient } from './keep-alive-client.js';

export type ClientCase = 'search' | 'search-new' | 'list' | 'list-uncached' | 'file';

export interface ClientSetup {
  type: 'setup';
  base: string;
  apiKey: string;
  employees: { session: string; contactId: string }[];
}

export interface ClientRun {
  type: 'run';
  id: number;
  kind: ClientCase;
  mode: 'paced' | 'closed';
  /** paced: requests per second of all employees together */
  ratePerSec: number;
  warmupMs: number;
  durationMs: number;
}

/** One measured request: latency, and the Salesforce ms and calls the server counted for it. */
export type Sample = [tookMs: number, salesforceMs: number, salesforceCalls: number];

export type ClientMessage =
  | { type: 'ready' }
  | { type: 'measuring'; id: number }
  | { type: 'done'; id: number; samples: Sample[]; errors: number; firstError: string | null };

export const SF_HEADER = 'x-bench-salesforce';
export const FORGET_HEADER = 'x-bench-forget-reads';

const QUERIES = ['vpn', 'password reset', 'printer', 'expense report', 'laptop', 'wifi', 'mfa', 'holiday'];
/** words of the demo knowledge base: three of them make a question asked once in the whole run */
const WORDS = [
  'vpn',
  'password',
  'printer',
  'laptop',
  'wifi',
  'expense',
  'holiday',
  'parking',
  'mfa',
  'email',
  'badge',
  'monitor',
  'benefits',
  'payroll',
  'travel',
  'onboarding',
  'software',
  'install',
  'access',
  'account',
  'reset',
  'network',
  'phone',
  'calendar',
  'meeting',
  'room',
  'desk',
  'security',
  'policy',
  'leave',
  'sick',
  'insurance',
  'pension',
  'training',
  'certificate',
  'car',
  'bike',
  'office',
  'kitchen',
  'visitor',
];
let asked = 0;
function newQuestion(): string {
  const n = asked++;
  const w = (k: number): string => WORDS[k % WORDS.length] ?? 'vpn';
  return `${w(n)} ${w(Math.floor(n / WORDS.length) + 1)} ${w(Math.floor(n / WORDS.length ** 2) + 2)}`;
}

let setup: ClientSetup | null = null;
let http: KeepAliveClient | null = null;

async function call(kind: ClientCase, i: number): Promise<{ ok: boolean; sample: Sample; error: string }> {
  if (setup === null || http === null) throw new Error('not set up');
  const employee = setup.employees[i % setup.employees.length];
  if (employee === undefined) throw new Error('no employees');
  const headers: Record<string, string> = {
    'x-api-key': setup.apiKey,
    authorization: `Bearer ${employee.session}`,
  };
  const json = (body: unknown): string => {
    headers['content-type'] = 'application/json';
    return JSON.stringify(body);
  };
  let method = 'GET';
  let path = '/v1/tickets';
  let body: string | undefined;
  let expected = 200;
  switch (kind) {
    case 'search':
      method = 'POST';
      path = '/v1/knowledge/search';
      body = json({ query: QUERIES[i % QUERIES.length], limit: 5 });
      break;
    case 'search-new':
      method = 'POST';
      path = '/v1/knowledge/search';
      body = json({ query: newQuestion(), limit: 5 });
      break;
    case 'list':
      break;
    case 'list-uncached':
      headers[FORGET_HEADER] = employee.contactId;
      break;
    case 'file':
      method = 'POST';
      path = '/v1/tickets';
      headers['idempotency-key'] = randomUUID();
      body = json({ subject: `Load ${i}`, description: 'Filed by the benchmark.' });
      expected = 201;
      break;
  }
  const started = performance.now();
  const answer = await http.send(method, path, headers, body);
  const took = performance.now() - started;
  const reported = answer.headers[SF_HEADER];
  const [sfMs, sfCalls] = (typeof reported === 'string' ? reported : '-1;-1').split(';').map(Number);
  const ok = answer.status === expected && sfMs !== undefined && sfMs >= 0;
  return {
    ok,
    sample: [took, sfMs ?? 0, sfCalls ?? 0],
    error: ok ? '' : `${answer.status} ${answer.body.slice(0, 300)}`,
  };
}

async function run(spec: ClientRun): Promise<void> {
  const send = (message: ClientMessage): void => {
    process.send?.(message);
  };
  const employees = setup?.employees.length ?? 0;
  const started = performance.now();
  const measureFrom = started + spec.warmupMs;
  const until = measureFrom + spec.durationMs;
  const samples: Sample[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const measuring = setTimeout(() => send({ type: 'measuring', id: spec.id }), spec.warmupMs);
  // paced: each employee every `interval` ms, the employees staggered across it; a late answer delays that
  // employee's next request (it has one in flight at most), never the others'
  const interval = spec.mode === 'paced' ? (employees / spec.ratePerSec) * 1000 : 0;
  const employee = async (e: number): Promise<void> => {
    let next = started + (interval * e) / Math.max(1, employees);
    let round = 0;
    for (;;) {
      if (interval > 0) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        next += interval;
      }
      const now = performance.now();
      if (now >= until) return;
      const index = e + employees * round++;
      const result = await call(spec.kind, index).catch((err: unknown) => ({
        ok: false,
        sample: [0, 0, 0] as Sample,
        error: String(err),
      }));
      if (now < measureFrom) continue;
      if (result.ok) samples.push(result.sample);
      else {
        errors += 1;
        firstError ??= result.error;
      }
    }
  };
  await Promise.all(Array.from({ length: employees }, (_, e) => employee(e)));
  clearTimeout(measuring);
  send({ type: 'done', id: spec.id, samples, errors, firstError });
}

process.on('message', (message: ClientSetup | ClientRun | { type: 'stop' }) => {
  if (message.type === 'setup') {
    setup = message;
    http = new KeepAliveClient(message.base, message.employees.length);
    process.send?.({ type: 'ready' } satisfies ClientMessage);
  } else if (message.type === 'run') void run(message);
  else {
    http?.close();
    process.exit(0);
  }
});
