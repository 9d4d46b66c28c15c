-- recallkit workspace schema, migration 4: one definition of "which determinations count".
--
-- determinations is append-only. Three rows kinds exist by `mode`:
--   'sample'  decided while the sample was examined (engine, reviewer, duplicates pass)
--   'full'    decided during the full count (engine, reviewer, duplicates pass)
--   'undone'  a reviewer's undo: a marker superseding their decision, never a decision
-- Every writer supersedes the line's current row, so each line has one chain; the views
-- below are the only places that say how to read it. Views only: nothing stored twice.

-- The line's current decision: the row nothing supersedes, unless it is an undo marker
-- (a line whose decision was undone has no current determination until decided again).
CREATE OR REPLACE VIEW current_determinations AS
SELECT d.* FROM determinations d
WHERE d.mode <> 'undone'
  AND NOT EXISTS (SELECT 1 FROM determinations n WHERE n.supersedes = d.determination_id);

-- What the projection reads (2 CCR 20530-20532: V and D of the sample): for each sampled
-- line, its latest sample-mode determination. Later full-count rows (e.g. a sampled line
-- found to repeat a voter elsewhere in the petition) do not change the sample's figures;
-- an undo of a sample decision does (the line is undecided again).
CREATE OR REPLACE VIEW sample_determinations AS
SELECT * EXCLUDE (k) FROM (
    SELECT d.*, row_number() OVER (PARTITION BY d.line_id
                                   ORDER BY d.determination_id DESC) AS k
    FROM determinations d
    WHERE d.mode IN ('sample', 'undone')
      AND d.line_id IN (SELECT line_id FROM sample)
) WHERE k = 1 AND mode = 'sample';

-- What the full count reads (EC 11224): every raw-count line (not struck) with its current
-- determination, whatever stage made it. A sampled line is examined once and counts in the
-- full count as decided then; DUPLICATE is petition-wide (the duplicates pass in full mode
-- reconsiders sampled lines too).
CREATE OR REPLACE VIEW full_count_determinations AS
SELECT d.* FROM current_determinations d
WHERE d.line_id IN (SELECT line_id FROM signatures WHERE NOT struck);

-- What a full count still has to examine: raw-count lines with no current determination.
CREATE OR REPLACE VIEW unverified_lines AS
SELECT s.line_id, s.section_id, s.page, s.line, x.batch
FROM signatures s LEFT JOIN sections x USING (section_id)
WHERE NOT s.struck
  AND s.line_id NOT IN (SELECT line_id FROM current_determinations);
