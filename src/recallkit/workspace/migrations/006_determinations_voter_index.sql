-- recallkit workspace schema, migration 6: an index on determinations.voter_id.
-- After one review decision, the duplicates pass reconsiders only that line's voters
-- (verification/duplicates.py); finding their other lines among 700,000+ determinations
-- is a lookup with this index instead of a scan. determinations is append-only, so the
-- index costs little on the engine's bulk inserts.
CREATE INDEX IF NOT EXISTS determinations_voter_id ON determinations (voter_id);
