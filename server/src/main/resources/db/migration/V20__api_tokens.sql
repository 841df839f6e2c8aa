-- Scoped, expiring, revocable bearer tokens for the API, the CLI and TAXII (issue 11). Only the SHA-256 of a
-- token's secret is kept; the id is public and names the token in lists, revocation and the audit trail.
CREATE TABLE api_tokens (
    id            TEXT   NOT NULL PRIMARY KEY,
    secret_sha256 TEXT   NOT NULL UNIQUE,
    username      TEXT   NOT NULL,
    label         TEXT   NOT NULL,
    scope         TEXT   NOT NULL,  -- 'read' or 'write'
    channels      TEXT   NOT NULL,  -- JSON array of channel ids, or ["*"]
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    revoked_by    TEXT,
    last_used_at  BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (username);

-- TAXII tokens from before (no expiry, TAXII only) become read tokens on every channel that expire 90 days after the
-- upgrade: they keep reading TAXII, but no longer add objects, and a forgotten one dies on its own.
INSERT INTO api_tokens (id, secret_sha256, username, label, scope, channels, created_at, expires_at)
SELECT 'taxii-' || substr(token_sha256, 1, 12), token_sha256, username, COALESCE(label, 'TAXII token'), 'read', '["*"]',
       created_at, ${now_millis} + 7776000000
FROM taxii_tokens;

DROP TABLE taxii_tokens;
