-- recallkit workspace schema, migration 8: why the engine asks a person about a line.
-- review_queue.reason_hint says what the engine leans to ("ADDRESS_MISMATCH voter:…");
-- doubt says why it did not decide alone (a code of matching.decide.DOUBTS: a mover or a
-- namesake, a housemate who may be the signer, a first name only loosely alike …), so a
-- reviewer knows what to look at and an office can take the queue by kind.
ALTER TABLE review_queue ADD COLUMN IF NOT EXISTS doubt VARCHAR;
