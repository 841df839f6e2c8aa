-- A case bundle carries only the case's envelopes in full; a TLP:RED envelope of another conversation that sits in a
-- sender's chain stretch is carried as its sender's signed withheld notice instead. So a node keeps that notice for
-- every RED envelope it holds in full: its own (signed when it sent it) and those it received as a named recipient
-- (which the sender now delivers alongside the envelope). NULL: no notice held (not RED, or received before this).
ALTER TABLE envelopes ADD COLUMN sender_notice TEXT;

-- For a named recipient of our RED envelope, the signed notice delivered right after the envelope in the same batch.
ALTER TABLE outbox ADD COLUMN companion TEXT;
