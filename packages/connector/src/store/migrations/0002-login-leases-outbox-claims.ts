// Migration 0002: the tenant login lease (a row, not a held connection) and the outbox claim token.

export const sql = `
-- One row while a worker logs a tenant in; others wait until it is deleted or, if its holder died, until it expires.
CREATE TABLE tenant_login_leases (
  tenant_id  text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  owner      text NOT NULL,
  until      timestamptz NOT NULL
);

-- Set by each claim: only the claim's holder may complete or fail the message.
ALTER TABLE outbox ADD COLUMN claim_token text;
`;
