// Migration 0030: each tenant's webhook URL. Its signing secrets are sealed in tenant_secrets (webhook_secret, and
// webhook_previous_secret while a rotation runs), so master-key rotation re-seals them with the rest.

export const sql = `
CREATE TABLE tenant_webhooks (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  url         text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
-- status counts the outbox by tenant, kind and state
CREATE INDEX outbox_open_by_tenant ON outbox (tenant_id, kind, status) WHERE status <> 'done';
`;
