// Migration 0011: per tenant the newest knowledge sync (running or finished): its progress, counts and first
// warnings, so the status API of any worker, and `casebridge status` without a service, show the same run.

export const sql = `
CREATE TABLE knowledge_sync_state (
  tenant_id      text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  state          text NOT NULL,
  full_load      boolean NOT NULL,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz,
  done           integer NOT NULL,
  total          integer NOT NULL,
  read           integer NOT NULL,
  written        integer NOT NULL,
  removed        integer NOT NULL,
  id_scans       integer NOT NULL,
  warning_count  integer NOT NULL,
  warnings       text NOT NULL,
  error          text,
  updated_at     timestamptz NOT NULL
);
`;
