-- Times are epoch milliseconds (BIGINT) in both dialects so the same queries run everywhere.
CREATE TABLE parties (
    origin         TEXT PRIMARY KEY,
    verifier_key   TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    card           TEXT NOT NULL,
    flagged_reason TEXT,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE channels (
    id         TEXT PRIMARY KEY,
    charter    TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE envelopes (
    id          ${autoinc},
    hash        TEXT NOT NULL UNIQUE,
    channel     TEXT NOT NULL,
    sender      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    case_id     TEXT,
    created     TEXT NOT NULL,
    tlp         TEXT NOT NULL,
    canonical   TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    UNIQUE (channel, sender, seq)
);
CREATE INDEX envelopes_channel ON envelopes (channel, id);
CREATE INDEX envelopes_case ON envelopes (case_id) WHERE case_id IS NOT NULL;

CREATE TABLE equivocations (
    id               ${autoinc},
    channel          TEXT NOT NULL,
    sender           TEXT NOT NULL,
    seq              BIGINT NOT NULL,
    kept_hash        TEXT NOT NULL,
    conflicting_hash TEXT NOT NULL,
    conflicting      TEXT NOT NULL,
    detected_at      BIGINT NOT NULL,
    UNIQUE (conflicting_hash)
);

CREATE TABLE rejections (
    id          ${autoinc},
    received_at BIGINT NOT NULL,
    remote      TEXT,
    channel     TEXT,
    sender      TEXT,
    seq         BIGINT,
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    envelope    TEXT
);

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
