// The registry of benchmark modules: add a module here and `npm run bench` runs it (`-- --only <name>` runs one).

import { connectorOverhead, connectorTokens } from './connector-client.js';
import { emulatorThroughput } from './emulator-throughput.js';
import type { BenchmarkModule } from './lib/harness.js';
import { searchQuality } from './search/quality.js';
import { searchSpeed } from './search/speed.js';
import { replySplit } from './reply-split.js';
import { ticketMonitorPolls } from './ticket-monitor.js';
import { knowledgeSync } from './knowledge/sync.js';
import { bulkLoad } from './bulk-load.js';
import { pollBudget } from './poll-budget.js';
import { knowledgeBulk } from './knowledge/bulk.js';
import { resolutionThreshold } from './conversation/resolution-threshold.js';
import { botApi } from './bot-api.js';
import { chatPage } from './chat-page.js';
import { caseStream } from './case-stream.js';

export const BENCHMARKS: BenchmarkModule[] = [
  emulatorThroughput,
  connectorOverhead,
  connectorTokens,
  searchQuality,
  searchSpeed,
  replySplit,
  ticketMonitorPolls,
  knowledgeSync,
  bulkLoad,
  pollBudget,
  knowledgeBulk,
  resolutionThreshold,
  botApi,
  chatPage,
  caseStream,
];
