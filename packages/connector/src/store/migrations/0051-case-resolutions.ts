// Migration 0051: autonomous resolution. One row per monitored case the bot considered: whether it was eligible,
// offered (with the articles and the case's LastModifiedDate after the offer), and how the employee answered. The
// funnel in `status` is counted from these rows.

export const sql = `
CREATE TABLE case_resolutions (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  case_id      text NOT NULL,
  case_number  text NOT NULL,
  employee     text NOT NULL,
  status       text NOT NULL,
  reason       text,
  articles     jsonb NOT NULL DEFAULT '[]'::jsonb,
  confidence   double precision,
  offered_at   timestamptz,
  offer_stamp  timestamptz,
  answered_at  timestamptz,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, case_id)
);
CREATE INDEX case_resolutions_status ON case_resolutions (tenant_id, status, offered_at);
CREATE INDEX case_resolutions_number ON case_resolutions (tenant_id, case_number);
`;
