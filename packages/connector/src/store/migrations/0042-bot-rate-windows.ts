// Migration 0042: the bot API's request counts per API key and per employee, shared by every worker: one row per
// bucket holding the current fixed window's start and count (a new window resets it in the same statement).

export const sql = `
CREATE TABLE bot_rate_windows (
  bucket        text PRIMARY KEY,
  window_start  timestamptz NOT NULL,
  window_ms     integer NOT NULL,
  hits          integer NOT NULL
);
CREATE INDEX bot_rate_windows_start ON bot_rate_windows (window_start);
`;
