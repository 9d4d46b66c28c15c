-- recallkit workspace schema, migration 7: an index on match_candidates.line_id.
-- The review screen shows a line's candidate voters and a decision keeps the engine's best
-- one as evidence; at Los Angeles scale (716,000 lines, about 2.1M candidate rows) each of
-- those lookups was a scan of the whole table (5-10 ms, on every review action). With the
-- index it is a point lookup (under 1 ms). Building it here takes under a second at that
-- scale; afterwards the engine's bulk insert of a run's candidates maintains it (measured:
-- +0.4 to +1.2 s on 2.1M rows, against a verification of minutes).
CREATE INDEX IF NOT EXISTS match_candidates_line_id ON match_candidates (line_id);
