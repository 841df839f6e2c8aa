-- TLP:RED goes only to its named recipients (issue 10, item 2). Every other member of the channel is sent, in the
-- same outbox, the sender's signed "withheld" notice instead (the chain link without the message): when this column
-- is set, the row delivers that notice rather than the envelope.
ALTER TABLE outbox ADD COLUMN notice TEXT;

-- A member that is not a named recipient stores the notice in the envelopes table as a placeholder link of the
-- sender's chain (kind 'withheld', canonical = the signed notice, no case): the unique key (channel, sender, seq)
-- then settles races and equivocation between envelopes and notices alike.
