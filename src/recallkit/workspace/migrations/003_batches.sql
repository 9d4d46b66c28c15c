-- recallkit workspace schema, migration 3: filing batches.
-- State recalls are verified as sections arrive (EC 11104): each batch of sections is
-- verified in turn, and a batch on which verification has begun cannot change. A line is
-- "examined" once it has any determination or a review-queue item; a batch with an
-- examined line is verified (closed). Views only: nothing is stored twice.

-- Per batch: sections, transcribed lines, lines examined, lines with a current decision.
CREATE VIEW batches AS
WITH examined AS (
    SELECT line_id FROM determinations
    UNION
    SELECT line_id FROM review_queue
)
SELECT x.batch,
       count(DISTINCT x.section_id)                                         AS sections,
       count(s.line_id)                                                     AS lines,
       count(s.line_id) FILTER (WHERE s.line_id IN (SELECT line_id FROM examined))
                                                                            AS examined,
       count(s.line_id) FILTER (WHERE s.line_id IN
             (SELECT line_id FROM current_determinations))                  AS decided,
       count(s.line_id) FILTER (WHERE s.line_id IN (SELECT line_id FROM examined)) > 0
                                                                            AS verified,
       min(x.date_filed)                                                    AS first_filed,
       max(x.date_filed)                                                    AS last_filed
FROM sections x LEFT JOIN signatures s USING (section_id)
GROUP BY x.batch;

-- Raw-count lines (not struck) that have no current determination in mode 'full', with
-- their batch (NULL when the section is not filed): what a full count still has to examine.
CREATE VIEW unverified_lines AS
SELECT s.line_id, s.section_id, s.page, s.line, x.batch
FROM signatures s LEFT JOIN sections x USING (section_id)
WHERE NOT s.struck
  AND s.line_id NOT IN (SELECT line_id FROM current_determinations WHERE mode = 'full');
