// Migration 0031: each tenant's daily API allocation as /limits last reported it (or that the service user may not
// read /limits, or that the read failed), so the poll pacer reads /limits no more often than it needs to.

export const sql = `
CREATE TABLE api_allocations (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  outcome     text NOT NULL CHECK (outcome IN ('read', 'refused', 'failed')),
  daily_max   integer,
  remaining   integer,
  read_at     timestamptz NOT NULL
);
`;
