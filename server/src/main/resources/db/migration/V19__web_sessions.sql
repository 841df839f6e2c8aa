-- Sign-in for people (issue 11): server-side web sessions, TOTP second factors and recovery codes.

-- A session is found by the SHA-256 of its cookie value only: a database dump does not give anyone a live session.
-- stage: 'code' while the second factor is awaited (short-lived, few attempts), 'full' once signed in.
-- credential: a digest of the account's password hash and role at sign-in; a session whose account has since
-- changed either stops working.
CREATE TABLE web_sessions (
    id_hash       TEXT    NOT NULL PRIMARY KEY,
    username      TEXT    NOT NULL,
    stage         TEXT    NOT NULL,
    credential    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    last_seen     BIGINT  NOT NULL,
    code_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX web_sessions_user ON web_sessions (username);

-- A user's TOTP secret, encrypted (AES-256-GCM) under the node's totp.key file; confirmed once a code was entered.
-- last_step: the time step of the last accepted code, so a code is never accepted twice.
-- failures / locked_until: wrong codes since the last right one, and until when the code step is closed (the throttle
-- of the second step, per account, shared by every instance).
CREATE TABLE user_totp (
    username     TEXT    NOT NULL PRIMARY KEY,
    secret       TEXT    NOT NULL,
    confirmed    INTEGER NOT NULL DEFAULT 0,
    last_step    BIGINT  NOT NULL DEFAULT -1,
    created_at   BIGINT  NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT  NOT NULL DEFAULT 0
);

-- Single-use recovery codes, as SHA-256 hex of 80 random bits each.
CREATE TABLE user_recovery_codes (
    username  TEXT   NOT NULL,
    code_hash TEXT   NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (username, code_hash)
);
