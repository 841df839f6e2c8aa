-- Reminders this node sent before a preservation hold ends (issue 13): one row per hold end and lead time, so each
-- reminder goes out once, across restarts and across instances sharing the database (the insert decides who sends).
CREATE TABLE hold_reminders (
    channel     TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    hold_until  BIGINT NOT NULL,
    days_before INTEGER NOT NULL,
    sent_at     BIGINT NOT NULL,
    PRIMARY KEY (channel, case_id, hold_until, days_before)
);
