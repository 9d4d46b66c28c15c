-- recallkit workspace schema, migration 5: an index on voters.voter_id.
-- Review screens and the matcher look voters up one id at a time. The voters import drops
-- this index before loading and rebuilds it afterwards (see workspace/imports.py), which is
-- much cheaper than maintaining it row by row; here it is built once for workspaces whose
-- voters were imported before (a few seconds at Los Angeles scale, nothing when empty).
CREATE INDEX IF NOT EXISTS voters_voter_id ON voters (voter_id);
