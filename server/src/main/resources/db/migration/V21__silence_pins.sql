-- Automatic pings this node sent to pin the chain of a party that let a deadline of one of our cases pass (provable
-- silence, io.parley.cases.SilencePins): one per case, deadline and party, claimed here before the ping is signed so
-- that neither a restart nor a second instance sharing the database ever sends a second one.
CREATE TABLE silence_pins (
    channel       TEXT NOT NULL,
    case_id       TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    party         TEXT NOT NULL,
    claimed_at    BIGINT NOT NULL,
    envelope_hash TEXT,
    PRIMARY KEY (channel, case_id, deadline, party)
);
