// Migration 0020: ticket monitoring's state. The last snapshot of each watched case (status and owner changes are
// computed against it, written in the same transaction as the cursors and the outbox messages), and the counts of
// each tenant's last poll for the status page.

export const sql = `
CREATE TABLE case_snapshots (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  case_id      text NOT NULL,
  snapshot     jsonb NOT NULL,
  employee     jsonb NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, case_id)
);
CREATE TABLE monitor_stats (
  tenant_id    text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  polled_at    timestamptz NOT NULL,
  lag_ms       bigint,
  watched      integer NOT NULL,
  notified     bigint NOT NULL DEFAULT 0,
  calls        integer NOT NULL,
  skipped      jsonb NOT NULL DEFAULT '{}'::jsonb
);
`;
