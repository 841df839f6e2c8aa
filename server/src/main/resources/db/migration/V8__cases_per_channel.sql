-- Issue 10 item 8: a case id is chosen by its opener, so the same id can exist in two channels (by accident or
-- by a hostile member's design). A case is keyed by (channel, case id) everywhere; nothing in one channel ever
-- moves a case of another. SQLite cannot change a primary key in place: rebuild both tables.
CREATE TABLE cases_v8 (
    id           TEXT NOT NULL,
    channel      TEXT NOT NULL,
    opened_by    TEXT NOT NULL,
    opening_hash TEXT NOT NULL,
    kind         TEXT NOT NULL,
    request_type TEXT,
    priority     TEXT NOT NULL,
    tlp          TEXT NOT NULL,
    summary      TEXT,
    state        TEXT NOT NULL,
    opened_at    BIGINT NOT NULL,
    ack_due      BIGINT NOT NULL,
    answer_due   BIGINT NOT NULL,
    acked_at     BIGINT,
    answered_at  BIGINT,
    closed_at    BIGINT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (channel, id)
);
INSERT INTO cases_v8 SELECT id, channel, opened_by, opening_hash, kind, request_type, priority, tlp, summary, state, opened_at,
    ack_due, answer_due, acked_at, answered_at, closed_at, updated_at FROM cases;
DROP TABLE cases;
ALTER TABLE cases_v8 RENAME TO cases;
CREATE INDEX cases_channel ON cases (channel, opened_at);
CREATE INDEX cases_state ON cases (state);
CREATE INDEX cases_id ON cases (id);

CREATE TABLE escalations_v8 (
    channel       TEXT NOT NULL,
    case_id       TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    rung          INTEGER NOT NULL,
    fired_at      BIGINT NOT NULL,
    envelope_hash TEXT,
    PRIMARY KEY (channel, case_id, deadline, rung)
);
INSERT INTO escalations_v8 SELECT COALESCE((SELECT MIN(c.channel) FROM cases c WHERE c.id = e.case_id), ''), e.case_id, e.deadline,
    e.rung, e.fired_at, e.envelope_hash FROM escalations e;
DROP TABLE escalations;
ALTER TABLE escalations_v8 RENAME TO escalations;

CREATE INDEX envelopes_channel_case ON envelopes (channel, case_id) WHERE case_id IS NOT NULL;
