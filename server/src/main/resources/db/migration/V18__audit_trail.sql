-- The hash-chained audit trail (issue 11): each record names the hash of the one before it.
CREATE TABLE audit_log (
    seq       BIGINT  NOT NULL PRIMARY KEY,
    at        BIGINT  NOT NULL,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    from_addr TEXT    NOT NULL,
    ok        INTEGER NOT NULL,
    detail    TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
