// Migration 0041: the bot platform's API keys, per tenant and by name. Only the SHA-256 of a key is kept; the public
// id in front of the secret finds the row, so the hash is compared in constant time rather than looked up. A name has
// at most one active key, plus the one it replaced while a rotation runs (retiring_at set, still accepted).

export const sql = `
CREATE TABLE bot_api_keys (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name          text NOT NULL,
  secret_hash   text NOT NULL,
  created_at    timestamptz NOT NULL,
  retiring_at   timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE UNIQUE INDEX bot_api_keys_active_name ON bot_api_keys (tenant_id, name)
  WHERE revoked_at IS NULL AND retiring_at IS NULL;
CREATE UNIQUE INDEX bot_api_keys_retiring_name ON bot_api_keys (tenant_id, name)
  WHERE revoked_at IS NULL AND retiring_at IS NOT NULL;
`;
