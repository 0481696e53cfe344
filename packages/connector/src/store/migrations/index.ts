// The ordered list of migrations. Append only: a migration that has run anywhere is never edited or reordered.

import { sql as initial } from './0001-initial.js';
import { sql as loginLeasesOutboxClaims } from './0002-login-leases-outbox-claims.js';
import { sql as masterKeyChecks } from './0003-master-key-checks.js';
import { sql as outboxOrderEvents } from './0004-outbox-order-events.js';
import { sql as writeIntents } from './0005-write-intents.js';
import { sql as jobRuns } from './0006-job-runs.js';
import { sql as knowledgeArticles } from './0010-knowledge-articles.js';
import { sql as tenantWebhooks } from './0030-tenant-webhooks.js';
import { sql as replyIntents } from './0025-reply-intents.js';
import { sql as caseSnapshots } from './0020-case-snapshots.js';
import { sql as caseStateSettings } from './0021-case-state-settings.js';
import { sql as pollLeases } from './0022-poll-leases.js';
import { sql as knowledgeSyncState } from './0011-knowledge-sync-state.js';
import { sql as jobs } from './0007-jobs.js';
import { sql as botIdentity } from './0040-bot-identity.js';
import { sql as closedSnapshotPurge } from './0023-closed-snapshot-purge.js';
import { sql as caseNudges } from './0026-case-nudges.js';
import { sql as employeeZones } from './0027-employee-zones.js';
import { sql as pollPaces } from './0029-poll-paces.js';
import { sql as consoleTables } from './0080-console.js';
import { sql as conversations } from './0050-conversations.js';
import { sql as caseResolutions } from './0051-case-resolutions.js';
import { sql as botApiKeys } from './0041-bot-api-keys.js';
import { sql as botRateWindows } from './0042-bot-rate-windows.js';
import { sql as chatFeed } from './0060-chat-feed.js';
import { sql as chatFeedNotify } from './0061-chat-feed-notify.js';
import { sql as consoleSessions } from './0081-console-sessions.js';
import { sql as knowledgeSectionsText } from './0090-knowledge-sections-text.js';
import { sql as apiAllocations } from './0031-api-allocations.js';
import { sql as pollPaceAllocation } from './0032-poll-pace-allocation.js';

export interface Migration {
  /** unique and sortable; recorded in schema_migrations */
  id: string;
  /** plain SQL that both PGlite and PostgreSQL accept */
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { id: '0001-initial', sql: initial },
  { id: '0002-login-leases-outbox-claims', sql: loginLeasesOutboxClaims },
  { id: '0003-master-key-checks', sql: masterKeyChecks },
  { id: '0004-outbox-order-events', sql: outboxOrderEvents },
  { id: '0005-write-intents', sql: writeIntents },
  { id: '0006-job-runs', sql: jobRuns },
  { id: '0010-knowledge-articles', sql: knowledgeArticles },
  { id: '0025-reply-intents', sql: replyIntents },
  { id: '0030-tenant-webhooks', sql: tenantWebhooks },
  { id: '0020-case-snapshots', sql: caseSnapshots },
  { id: '0021-case-state-settings', sql: caseStateSettings },
  { id: '0022-poll-leases', sql: pollLeases },
  { id: '0011-knowledge-sync-state', sql: knowledgeSyncState },
  // numbered before 0010 but added after it: ids are unique, and a store that ran 0010 runs this one next
  { id: '0007-jobs', sql: jobs },
  { id: '0040-bot-identity', sql: botIdentity },
  { id: '0023-closed-snapshot-purge', sql: closedSnapshotPurge },
  { id: '0026-case-nudges', sql: caseNudges },
  { id: '0027-employee-zones', sql: employeeZones },
  { id: '0029-poll-paces', sql: pollPaces },
  { id: '0031-api-allocations', sql: apiAllocations },
  { id: '0041-bot-api-keys', sql: botApiKeys },
  { id: '0042-bot-rate-windows', sql: botRateWindows },
  { id: '0050-conversations', sql: conversations },
  { id: '0051-case-resolutions', sql: caseResolutions },
  { id: '0060-chat-feed', sql: chatFeed },
  { id: '0080-console', sql: consoleTables },
  { id: '0032-poll-pace-allocation', sql: pollPaceAllocation },
  { id: '0061-chat-feed-notify', sql: chatFeedNotify },
  { id: '0081-console-sessions', sql: consoleSessions },
  { id: '0090-knowledge-sections-text', sql: knowledgeSectionsText },
];
