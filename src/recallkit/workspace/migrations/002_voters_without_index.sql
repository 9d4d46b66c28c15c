-- recallkit workspace schema, migration 2.
-- voters.voter_id stays unique, but by the import's own checks (duplicates in the file and
-- ids already loaded are rejected with the row they repeat) rather than by a primary-key
-- index: maintaining that index was most of the time of a 5.7M-row import. Same columns.
CREATE TABLE voters_v2 AS SELECT * FROM voters;
DROP TABLE voters;
ALTER TABLE voters_v2 RENAME TO voters;
