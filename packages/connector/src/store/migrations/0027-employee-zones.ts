// Migration 0027: an employee's own time zone (IANA name), stored when the bot knows it (the identity token's
// `zoneinfo`); quiet hours are judged by it, else by the tenant's `nudges.timeZone`.

export const sql = `
CREATE TABLE employee_zones (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  employee_id  text NOT NULL,
  zone         text NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, employee_id)
);
`;
