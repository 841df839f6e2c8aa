-- The transparency log (DESIGN §3). Entries, tiles and the checkpoint that commits to them are written in one
-- transaction by the sequencer, so a checkpoint row exists only if everything it commits to is durable.

-- Appends waiting for the sequencer; written in the same transaction as the thing appended (e.g. an envelope).
CREATE TABLE log_queue (
    id          ${autoinc},
    data        ${blob} NOT NULL,
    ref         TEXT NOT NULL,
    enqueued_at BIGINT NOT NULL
);

CREATE TABLE log_entries (
    idx          BIGINT PRIMARY KEY,
    data         ${blob} NOT NULL,
    ref          TEXT NOT NULL,
    sequenced_at BIGINT NOT NULL
);
CREATE INDEX log_entries_ref ON log_entries (ref);

-- C2SP tlog-tiles hash tiles; a partial tile's row is rewritten as it grows (hashes are write-once, so a narrower
-- view of a wider row is still the right partial tile).
CREATE TABLE log_tiles (
    level INTEGER NOT NULL,
    idx   BIGINT NOT NULL,
    data  ${blob} NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE log_checkpoints (
    size       BIGINT PRIMARY KEY,
    root       ${blob} NOT NULL,
    note       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Cosignature lines peers returned for our checkpoints.
CREATE TABLE log_cosignatures (
    size        BIGINT NOT NULL,
    witness     TEXT NOT NULL,
    line        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (size, witness)
);

-- As a witness: the latest checkpoint we cosigned per peer log (C2SP tlog-witness).
CREATE TABLE witness_state (
    origin     TEXT PRIMARY KEY,
    size       BIGINT NOT NULL,
    root       ${blob} NOT NULL,
    note       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Checkpoints a peer log signed that contradict what we cosigned: proof of a split view.
CREATE TABLE witness_conflicts (
    id           ${autoinc},
    origin       TEXT NOT NULL,
    held_note    TEXT NOT NULL,
    offered_note TEXT NOT NULL,
    reason       TEXT NOT NULL,
    detected_at  BIGINT NOT NULL
);
