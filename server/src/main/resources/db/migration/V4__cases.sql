-- Cases (issue "Hotline workflow"). Every column is derived from signed envelopes by io.parley.cases.CaseTimeline
-- and can be rebuilt from them; the table is a projection for listing and for the deadline clock.
CREATE TABLE cases (
    id           TEXT PRIMARY KEY,
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
    updated_at   BIGINT NOT NULL
);
CREATE INDEX cases_channel ON cases (channel, opened_at);
CREATE INDEX cases_state ON cases (state);

-- Escalation rungs this node fired (one per case, deadline and rung), with the escalate envelope it sent.
CREATE TABLE escalations (
    case_id       TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    rung          INTEGER NOT NULL,
    fired_at      BIGINT NOT NULL,
    envelope_hash TEXT,
    PRIMARY KEY (case_id, deadline, rung)
);

-- Local notifications (webhook, e-mail, log) and whether they went out.
CREATE TABLE notifications (
    id      ${autoinc},
    case_id TEXT,
    channel TEXT,
    at      BIGINT NOT NULL,
    method  TEXT NOT NULL,
    target  TEXT,
    subject TEXT NOT NULL,
    status  TEXT NOT NULL,
    detail  TEXT
);
