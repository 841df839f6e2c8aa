-- Issue 13: evidence a party withdrew by a signed retract envelope. The envelope itself (kept and logged like every
-- envelope) is the signed record; these rows say what it withdrew on this node. Times: retracted_at is the envelope's
-- signed created time (RFC 3339), recorded_at epoch milliseconds.
CREATE TABLE evidence_retractions (
    retract_hash    TEXT NOT NULL,   -- the retract envelope
    channel         TEXT NOT NULL,
    sender          TEXT NOT NULL,   -- who retracted: only evidence it shared itself is withdrawn
    case_id         TEXT,            -- the retract envelope's case (NULL: evidence named outside a case)
    ref_sha256      TEXT NOT NULL,   -- the bundle withdrawn, or '*' for everything the sender shared in the case
    retracted_at    TEXT NOT NULL,
    objects_revoked INTEGER NOT NULL,
    recorded_at     BIGINT NOT NULL,
    PRIMARY KEY (retract_hash, ref_sha256)
);
CREATE INDEX evidence_retractions_scope ON evidence_retractions (channel, sender);
