-- Issue 10 (hostile peers): what an outsider or a dishonest peer can make this node store is bounded and proven.

-- A split view is recorded only with its proof (both signed checkpoints, and the consistency path when the sizes
-- differ), once per offered checkpoint body: replaying an accusation adds nothing.
ALTER TABLE witness_conflicts ADD COLUMN proof TEXT;
ALTER TABLE witness_conflicts ADD COLUMN offered_sha256 TEXT;
CREATE UNIQUE INDEX witness_conflicts_offered ON witness_conflicts (origin, offered_sha256);

-- Refusals keep the envelope's text only when its signature verified under a member's key (verified = 1); the rest
-- keep a bounded summary (hash and size) and are capped to the newest rows (see EnvelopeStore).
ALTER TABLE rejections ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rejections ADD COLUMN envelope_sha256 TEXT;
ALTER TABLE rejections ADD COLUMN envelope_bytes BIGINT;
-- Rows written before this migration were never told apart: keep their summary, drop their unchecked text.
UPDATE rejections SET envelope = NULL;
CREATE INDEX rejections_capped ON rejections (verified, id);
CREATE INDEX rejections_by_sender ON rejections (verified, sender, id);

-- Nonces of signed peer requests (RFC 9421 shape) seen until their signature expires: a request is served once,
-- even when several instances share this database, because the insert of its (keyid, nonce) is what admits it.
CREATE TABLE peer_request_nonces (
    keyid      TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (keyid, nonce)
);
CREATE INDEX peer_request_nonces_expiry ON peer_request_nonces (expires_at);

-- Equivocation proofs are capped per (channel, sender) (see EnvelopeStore); delivery attempts per peer use the
-- existing (peer, id) index.
CREATE INDEX equivocations_sender ON equivocations (channel, sender);
