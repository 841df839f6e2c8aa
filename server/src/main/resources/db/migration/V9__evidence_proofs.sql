-- Issue 10, items 11 and 12. Times are epoch milliseconds.

-- A sender named a bundle by hash in a signed envelope, then served (and signed that it served) other bytes for it:
-- kept whole as proof against the sender, like an equivocation. The served bytes are never stored as evidence.
CREATE TABLE evidence_mismatches (
    id            ${autoinc},
    envelope_hash TEXT NOT NULL,
    ref_sha256    TEXT NOT NULL,  -- the hash the signed envelope names
    sender        TEXT NOT NULL,  -- who signed the envelope, served the bytes and signed the statement
    envelope      TEXT NOT NULL,  -- the signed envelope, canonical form
    served        TEXT NOT NULL,  -- base64 of the exact bytes received
    served_sha256 TEXT NOT NULL,  -- SHA-256 of those bytes
    bundle_sha256 TEXT,           -- SHA-256 of their RFC 8785 form, when they are JSON
    statement     TEXT NOT NULL,  -- the text the sender signed (ServedEvidence), naming both hashes and the requester
    signature     TEXT NOT NULL,  -- base64 Ed25519 signature of the statement by the sender's log key
    served_at     TEXT NOT NULL,  -- the time in the statement
    detected_at   BIGINT NOT NULL,
    UNIQUE (envelope_hash, ref_sha256)
);

-- Envelopes whose evidence the indexer could not handle (any error, even a stack overflow): skipped so they never
-- block the envelopes behind them, and listed here so an operator can see what was not indexed and why.
CREATE TABLE evidence_index_failures (
    envelope_hash TEXT PRIMARY KEY,
    detail        TEXT NOT NULL,
    failed_at     BIGINT NOT NULL
);
