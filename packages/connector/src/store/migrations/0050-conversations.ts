// Migration 0050: the bot's conversations. One row per employee of a tenant with what the dialogue waits for (its
// state, JSON), and the turns: the employee's input and the bot's structured answer, with the request's
// Idempotency-Key (unique per employee, so a retried message answers its first turn). Kept for
// CASEBRIDGE_CONVERSATION_RETENTION_DAYS; exported and deleted per employee.

export const sql = `
CREATE TABLE conversations (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  employee    text NOT NULL,
  state       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, employee)
);

CREATE TABLE conversation_turns (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL,
  employee         text NOT NULL,
  idempotency_key  text,
  input            jsonb,
  messages         jsonb NOT NULL,
  case_number      text,
  created_at       timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, employee) REFERENCES conversations(tenant_id, employee) ON DELETE CASCADE
);
CREATE INDEX conversation_turns_employee ON conversation_turns (tenant_id, employee, id);
CREATE UNIQUE INDEX conversation_turns_key ON conversation_turns (tenant_id, employee, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX conversation_turns_created ON conversation_turns (created_at);
`;
