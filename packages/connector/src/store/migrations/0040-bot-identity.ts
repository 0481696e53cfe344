// Migration 0040: the bot API's identity. Per tenant, how identity tokens are checked (issuer, audience, a public
// key or a JWKS URL); every accepted token id until its expiry, so no identity token is accepted twice across
// workers; and employee sessions, kept only as a hash of their token.

export const sql = `
CREATE TABLE bot_identity_settings (
  tenant_id       text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  issuer          text NOT NULL,
  audience        text NOT NULL,
  public_key_pem  text,
  jwks_url        text,
  updated_at      timestamptz NOT NULL,
  CHECK ((public_key_pem IS NULL) <> (jwks_url IS NULL))
);

CREATE TABLE bot_token_ids (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  jti         text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, jti)
);

CREATE TABLE bot_sessions (
  token_hash    text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email         text NOT NULL,
  contact_id    text,
  name          text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX bot_sessions_tenant ON bot_sessions (tenant_id);
`;
