// Migration 0026: the open waiting period of each watched case that waits for its employee: when it started (the
// reminders' event ids carry it, so it never moves while the period lasts) and the reminders sent in it. A row
// goes with its case snapshot: a case no longer watched has no period.

export const sql = `
CREATE TABLE case_nudges (
  tenant_id         text NOT NULL,
  case_id           text NOT NULL,
  waiting_since     text NOT NULL,
  reminders_sent    integer NOT NULL DEFAULT 0,
  last_reminder_at  timestamptz,
  PRIMARY KEY (tenant_id, case_id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES case_snapshots (tenant_id, case_id) ON DELETE CASCADE
);
CREATE INDEX write_intents_replies ON write_intents (tenant_id, case_id) WHERE kind = 'reply';
`;
