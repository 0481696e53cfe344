// Migration 0022: a lease per (tenant, poller), taken with one statement and held by no connection, so two workers
// never poll one tenant at the same time even when a poll outlasts the job runner's duplicate-start gap; a holder
// that died blocks the tenant only until its lease expires.

export const sql = `
CREATE TABLE poll_leases (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        text NOT NULL,
  owner       text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
`;
