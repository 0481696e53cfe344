// Migration 0003: a check value per master key id, so a worker started with another key is refused at start
// (instead of sealing secrets the other workers cannot open), and so key ids are never handed out twice.

export const sql = `
CREATE TABLE master_key_checks (
  key_id       text PRIMARY KEY,
  -- HMAC-SHA256 of a fixed label under the key, truncated: proves which key an id names, reveals nothing of it
  check_value  text NOT NULL,
  first_seen   timestamptz NOT NULL,
  -- set when a rotation dropped the key from the ring: it may open old backups but must never seal again
  retired_at   timestamptz
);
`;
