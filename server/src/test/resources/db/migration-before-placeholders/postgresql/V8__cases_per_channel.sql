-- Issue 10 item 8: a case id is chosen by its opener, so the same id can exist in two channels (by accident or
-- by a hostile member's design). A case is keyed by (channel, case id) everywhere; nothing in one channel ever
-- moves a case of another.
ALTER TABLE cases DROP CONSTRAINT cases_pkey;
ALTER TABLE cases ADD PRIMARY KEY (channel, id);
CREATE INDEX cases_id ON cases (id);

ALTER TABLE escalations ADD COLUMN channel TEXT;
UPDATE escalations e SET channel = COALESCE((SELECT MIN(c.channel) FROM cases c WHERE c.id = e.case_id), '');
ALTER TABLE escalations ALTER COLUMN channel SET NOT NULL;
ALTER TABLE escalations DROP CONSTRAINT escalations_pkey;
ALTER TABLE escalations ADD PRIMARY KEY (channel, case_id, deadline, rung);

CREATE INDEX envelopes_channel_case ON envelopes (channel, case_id) WHERE case_id IS NOT NULL;
