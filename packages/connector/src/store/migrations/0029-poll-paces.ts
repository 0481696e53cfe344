// Migration 0029: each tenant's poll pace as last decided (interval, why, the polling allowance), for `status`.

export const sql = `
CREATE TABLE poll_paces (
  tenant_id           text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  interval_ms         integer NOT NULL,
  why                 text NOT NULL,
  reason              text NOT NULL,
  allowance_per_day   integer,
  calls_per_day       integer NOT NULL,
  decided_at          timestamptz NOT NULL
);
`;
