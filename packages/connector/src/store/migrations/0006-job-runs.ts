// Migration 0006: per (job, tenant) the last run, shared by every worker: a run claims its slot here first, so two
// workers that both queued a tenant's run (a new tenant seen by both at once) run it once, and any process (and
// the status API) sees the same last run and outcome.

export const sql = `
CREATE TABLE job_runs (
  job           text NOT NULL,
  tenant_id     text NOT NULL,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  outcome       text,
  last_error    text,
  runs          integer NOT NULL DEFAULT 0,
  failures      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (job, tenant_id)
);
`;
