// Migration 0060: the live feed of the web chat. Every ticket notification an employee should see, in one global
// order (seq, a sequence every worker shares), so a page that reconnects with the last id it saw (SSE
// Last-Event-ID) gets exactly what came after, once; what arrived while the page was closed is read from here too.

export const sql = `
CREATE TABLE chat_feed (
  seq          bigserial PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  employee_id  text NOT NULL,
  event_id     text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  UNIQUE (tenant_id, event_id)
);
CREATE INDEX chat_feed_by_employee ON chat_feed (tenant_id, employee_id, seq);
`;
