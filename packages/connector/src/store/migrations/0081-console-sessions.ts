// Migration 0081: the operator console's one-time links and sessions, shared by every worker, so a link minted by
// one worker is redeemed on another and its session cookie works on any of them. Only SHA-256 digests of the tokens
// are kept; a session ends when idle too long, at its expiry, or when revoked (signing out), on every worker at once.

export const sql = `
CREATE TABLE console_links (
  token_hash  text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);

CREATE TABLE console_sessions (
  token_hash    text PRIMARY KEY,
  actor         text NOT NULL,
  started_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
`;
