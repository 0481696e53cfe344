// Migration 0010: knowledge articles as search needs them after a restart, keyed by tenant, article and language
// (never the version id), and one change counter whose order is commit order.

export const sql = `
CREATE TABLE knowledge_articles (
  tenant_id          text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  article_id         text NOT NULL,
  language           text NOT NULL,
  version_id         text,
  article_number     text NOT NULL,
  version_number     integer NOT NULL,
  title              text NOT NULL,
  url_name           text NOT NULL,
  body_html          text NOT NULL,
  last_published_at  timestamptz,
  -- a removed article stays as a tombstone, so other workers learn of the removal from the change sequence
  removed            boolean NOT NULL DEFAULT false,
  change_seq         bigint NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, article_id, language)
);
CREATE INDEX knowledge_articles_change_seq ON knowledge_articles (change_seq);

-- One row. A writer takes the next value with UPDATE ... RETURNING inside its transaction, so the row lock orders
-- writers and a reader that has seen sequence n has seen every change below n (a SEQUENCE would not promise that).
CREATE TABLE knowledge_change_counter (
  id   integer PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL
);
INSERT INTO knowledge_change_counter (id, seq) VALUES (1, 0);
`;
