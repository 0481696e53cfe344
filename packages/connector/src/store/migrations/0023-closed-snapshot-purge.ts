// Migration 0023: the maintenance job removes snapshots of closed cases untouched for its retention
// (services/tickets/monitor-maintenance.ts); this partial index finds them without reading every open case.

export const sql = `
CREATE INDEX case_snapshots_closed_by_age ON case_snapshots (updated_at) WHERE (snapshot->>'isClosed') = 'true';
`;
