-- The charter's practice terms carried out (issue 13).
-- Scheduled acts this node did: a ping exercise slot, a reminder to re-confirm our points of contact. One row per
-- (channel, act, slot): whoever inserts it first does the act, so a restart or several instances sharing one
-- database do each slot once.
CREATE TABLE scheduled_acts (
    channel       TEXT   NOT NULL,
    act           TEXT   NOT NULL,
    slot          BIGINT NOT NULL,
    claimed_at    BIGINT NOT NULL,
    envelope_hash TEXT,
    PRIMARY KEY (channel, act, slot)
);

-- Each member's newest signed re-confirmation of its points of contact per channel: a projection of its case-less
-- update envelopes that say contacts_confirmed, which stay the truth.
CREATE TABLE contact_confirmations (
    channel       TEXT   NOT NULL,
    origin        TEXT   NOT NULL,
    confirmed_at  BIGINT NOT NULL,
    envelope_hash TEXT   NOT NULL,
    card_sha256   TEXT,
    PRIMARY KEY (channel, origin)
);
