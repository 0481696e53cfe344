// Migration 0001: tenants and what they own (secrets, sessions, pauses, API audit, cursors, outbox, processed events).

export const sql = `
CREATE TABLE tenants (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  login_url     text NOT NULL,
  instance_url  text,
  consumer_key  text NOT NULL,
  username      text NOT NULL,
  settings      jsonb NOT NULL,
  active_key    jsonb,
  pending_key   jsonb,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE tenant_secrets (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        text NOT NULL,
  envelope    text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE tenant_sessions (
  tenant_id              text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  access_token_envelope  text NOT NULL,
  instance_url           text NOT NULL,
  identity_url           text NOT NULL,
  issued_at              timestamptz NOT NULL,
  generation             integer NOT NULL
);

CREATE TABLE tenant_pauses (
  tenant_id  text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  until      timestamptz NOT NULL,
  reason     text NOT NULL
);

-- No foreign key: calls are audited even for a tenant being set up or removed; tenant deletion removes rows itself.
CREATE TABLE api_audit (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL,
  at           timestamptz NOT NULL,
  method       text NOT NULL,
  path         text NOT NULL,
  status       integer,
  error_code   text,
  duration_ms  integer NOT NULL,
  api_used     integer,
  api_max      integer,
  attempt      integer NOT NULL,
  purpose      text
);
CREATE INDEX api_audit_tenant_at ON api_audit (tenant_id, at);
CREATE INDEX api_audit_at ON api_audit (at);

CREATE TABLE sync_cursors (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  stream      text NOT NULL,
  value       text NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, stream)
);

CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind             text NOT NULL,
  idempotency_key  text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending',
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  locked_until     timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  CONSTRAINT outbox_status CHECK (status IN ('pending', 'processing', 'done', 'dead')),
  -- Per tenant, so one tenant's key can never swallow another tenant's message.
  CONSTRAINT outbox_idempotency UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE processed_events (
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  source_id     text NOT NULL,
  kind          text NOT NULL,
  processed_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, source_id)
);
`;
