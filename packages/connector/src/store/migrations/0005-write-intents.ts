// Migration 0005: idempotency keys of Salesforce writes, recorded before the write so a retry (after a crash or a
// dropped connection) reconciles what the first attempt made instead of writing again.

export const sql = `
CREATE TABLE write_intents (
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  idempotency_key  text NOT NULL,
  kind             text NOT NULL,
  record_id        text,
  started_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX write_intents_age ON write_intents (started_at);
`;
