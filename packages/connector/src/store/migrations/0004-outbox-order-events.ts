// Migration 0004: the outbox's stable event id, ordering key and done time (for purging); the processed-event
// ledger keyed per kind, with the source event's own time so a purge never forgets what an overlap re-reads.

export const sql = `
ALTER TABLE outbox ADD COLUMN event_id text;
UPDATE outbox SET event_id = gen_random_uuid()::text WHERE event_id IS NULL;
ALTER TABLE outbox ALTER COLUMN event_id SET NOT NULL;
ALTER TABLE outbox ALTER COLUMN event_id SET DEFAULT gen_random_uuid()::text;
-- Messages sharing an ordering key (e.g. one case) are delivered one at a time, in enqueue order.
ALTER TABLE outbox ADD COLUMN ordering_key text;
ALTER TABLE outbox ADD COLUMN done_at timestamptz;
CREATE INDEX outbox_ordering ON outbox (tenant_id, ordering_key, id) WHERE ordering_key IS NOT NULL;
CREATE INDEX outbox_done ON outbox (done_at) WHERE status = 'done';

ALTER TABLE processed_events DROP CONSTRAINT processed_events_pkey;
ALTER TABLE processed_events ADD PRIMARY KEY (tenant_id, kind, source_id);
ALTER TABLE processed_events ADD COLUMN event_at timestamptz;
CREATE INDEX processed_events_age ON processed_events (tenant_id, processed_at);
`;
