// Migration 0007: on-demand jobs ("run job KIND for tenant T now"), one row per request, so the CLI, the status
// API and every worker read the same state and progress. The lease tells a live run from one whose worker died.

export const sql = `
CREATE TABLE jobs (
  id            text PRIMARY KEY,
  kind          text NOT NULL,
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  state         text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  progress      jsonb,
  summary       jsonb,
  error         jsonb,
  requested_at  timestamptz NOT NULL,
  started_at    timestamptz,
  finished_at   timestamptz,
  lease_until   timestamptz
);
CREATE INDEX jobs_recent ON jobs (tenant_id, requested_at DESC);
-- one active job per (kind, tenant): "sync now" twice runs one sync
CREATE UNIQUE INDEX jobs_one_active ON jobs (kind, tenant_id) WHERE state IN ('queued', 'running');
`;
