// Migration 0080: what the operator console reads beyond the status report: each tenant's last doctor report (every
// check, so the failed ones can be shown with their fix), the last full and the last incremental knowledge sync,
// and the operator actions taken in the console (the console's own audit trail).

export const sql = `
CREATE TABLE doctor_reports (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  checked_at  timestamptz NOT NULL,
  ok          boolean NOT NULL,
  report      jsonb NOT NULL
);

CREATE TABLE knowledge_sync_runs (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  mode         text NOT NULL CHECK (mode IN ('full', 'incremental')),
  state        text NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  PRIMARY KEY (tenant_id, mode)
);

CREATE TABLE operator_actions (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  tenant_id  text,
  target     text,
  outcome    text NOT NULL,
  detail     text
);
CREATE INDEX operator_actions_at ON operator_actions (at);
`;
