-- Federation (DESIGN §4): charters signed by every member, store-and-forward outbox, link history.

-- A proposed charter or amendment waiting for members' signatures; the charter in force stays in "charter".
ALTER TABLE channels ADD COLUMN pending_charter TEXT;

-- Which member signed which charter (by hash), with the charter envelope that carries the signature.
CREATE TABLE charter_signatures (
    channel       TEXT NOT NULL,
    charter_hash  TEXT NOT NULL,
    origin        TEXT NOT NULL,
    envelope_hash TEXT NOT NULL,
    signed_at     BIGINT NOT NULL,
    PRIMARY KEY (channel, charter_hash, origin)
);

-- One row per (envelope, recipient): queued until the recipient returns a receipt that verifies.
CREATE TABLE outbox (
    id              ${autoinc},
    envelope_hash   TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_attempt_at BIGINT,
    last_error      TEXT,
    failed_since    BIGINT,
    delivered_at    BIGINT,
    receipt         TEXT,
    UNIQUE (envelope_hash, recipient)
);
CREATE INDEX outbox_due ON outbox (recipient, state, id);

-- The state of the line to each peer, and every outage ("the line was frozen from T1 to T2").
CREATE TABLE peer_links (
    peer          TEXT PRIMARY KEY,
    last_success  BIGINT,
    last_failure  BIGINT,
    down_since    BIGINT,
    total_down_ms BIGINT NOT NULL DEFAULT 0,
    attempts      BIGINT NOT NULL DEFAULT 0,
    failures      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE outages (
    id          ${autoinc},
    peer        TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT,
    first_error TEXT NOT NULL
);
CREATE INDEX outages_peer ON outages (peer, started_at);

CREATE TABLE delivery_attempts (
    id        ${autoinc},
    peer      TEXT NOT NULL,
    at        BIGINT NOT NULL,
    envelopes INTEGER NOT NULL,
    ok        INTEGER NOT NULL,
    detail    TEXT
);
CREATE INDEX delivery_attempts_peer ON delivery_attempts (peer, id);
