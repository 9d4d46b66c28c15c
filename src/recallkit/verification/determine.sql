-- Reasons for every examined line, in the precedence of data-formats.md.
-- Inputs: rk_lines(line_id), rk_match (identity decision per line), rk_top (its listed
-- candidates with their posteriors), rk_s (normalized entries), rk_vh (normalized voter
-- history), rk_wd (withdrawn voters with dates; `sure` false for each plausible voter of
-- a withdrawal tied to none), rk_sig (signature similarity per matched line;
-- {SIG_THRESHOLD} chosen from its distribution), {EPSILON} (the run's ε), {MATERIAL_P}
-- (the smallest posterior that can change a decision, determine.material_p).
-- rk_det carries no candidates (wide values, slow to carry through the joins):
-- write_results reads them from rk_top.
CREATE OR REPLACE TEMP TABLE rk_det AS
WITH p AS (
    SELECT format_approved, circulation_deadline,
           list_transform(counties, lambda c: upper(trim(regexp_replace(c, '(?i)\s+county$', ''))))
               AS counties
    FROM petition WHERE id = 1
), l0 AS (
    SELECT s.line_id, s.section_id, s.page, s.line, s.has_signature,
           upper(trim(regexp_replace(coalesce(sec.county, ''), '(?i)\s+county$', '')))
               AS sec_county,
           sec.declaration_signed, sec.circulated_from, sec.circulated_to, sec.date_filed,
           coalesce(sec.defects, []) AS defects, sec.section_id IS NOT NULL AS has_section,
           e.name_unreadable, e.addr_missing, e.house AS s_house, e.street_key AS s_street,
           e.zip AS s_zip,
           m.voter_id, m.score, m.p_best, m.p_none, m.status, m.candidates,
           coalesce(m.doubtful, FALSE) AS doubtful, m.doubt AS match_doubt,
           sg.similarity AS sig_similarity,
           CASE WHEN NOT s.has_signature THEN NULL
                ELSE coalesce(sg.state, 'no_image') END AS sig_state
    FROM rk_lines x
    JOIN signatures s ON s.line_id = x.line_id
    LEFT JOIN sections sec ON sec.section_id = s.section_id
    LEFT JOIN (SELECT * FROM rk_s WHERE orient = 0) e ON e.id = s.line_id
    -- not the candidate lists (c0 reads them): lists carried through joins are costly
    LEFT JOIN (SELECT id, voter_id, score, p_best, p_none, status, candidates, doubtful,
                      doubt FROM rk_match) m ON m.id = s.line_id
    LEFT JOIN rk_sig sg ON sg.line_id = s.line_id
), c0 AS (
    -- every listed candidate that was not excluded, with its posterior
    SELECT id AS line_id, voter_id, rank, c.first, c.last, c.house, c.street, c.loc,
           p AS pc
    FROM rk_top
    WHERE c.excluded IS NULL AND voter_id IS NOT NULL
      AND id IN (SELECT line_id FROM rk_lines)
), mv AS (
    -- 2 CCR 20931: a voter who moved during circulation may sign at the address he or
    -- she was registered at when signing.
    SELECT DISTINCT c0.line_id, c0.voter_id
    FROM c0 JOIN l0 USING (line_id) JOIN rk_vh h ON h.voter_id = c0.voter_id
    WHERE h.house = l0.s_house AND h.street_key = l0.s_street
      AND (h.valid_to IS NULL OR l0.circulated_from IS NULL
           OR h.valid_to >= l0.circulated_from)
      AND (h.valid_from IS NULL OR l0.circulated_to IS NULL
           OR h.valid_from <= l0.circulated_to)
), wd AS (
    -- EC 11303: a withdrawal request filed before the day the section is filed. One the
    -- engine could not tie to one voter (not sure) withdraws nobody; when it may be a
    -- plausible candidate's, a person decides the line (wq).
    SELECT c0.line_id, c0.voter_id, min(w.date_received) FILTER (WHERE w.sure) AS received,
           bool_or(NOT w.sure AND c0.pc >= {MATERIAL_P}) AS unsure
    FROM c0 JOIN l0 USING (line_id) JOIN rk_wd w ON w.voter_id = c0.voter_id
    WHERE w.date_received < l0.date_filed
    GROUP BY ALL
), wq AS (
    SELECT DISTINCT line_id FROM wd WHERE unsure
), c AS (
    -- the reasons that depend on who the signer is, for each candidate
    SELECT c0.*, mv.voter_id IS NOT NULL AS moved_ok, wd.received AS withdrawal_received,
        list_filter([
            CASE WHEN NOT list_contains(p.counties, v.county)
                 THEN 'OUT_OF_JURISDICTION' END,
            CASE WHEN l0.has_section AND list_contains(p.counties, l0.sec_county)
                      AND v.county <> l0.sec_county AND list_contains(p.counties, v.county)
                 THEN 'WRONG_COUNTY_SECTION' END,
            CASE WHEN v.status = 'cancelled'
                      AND (v.status_date IS NULL OR l0.circulated_from IS NULL
                           OR v.status_date < l0.circulated_from)
                 THEN 'CANCELLED' END,
            CASE WHEN v.registration_date > l0.circulated_to THEN 'REGISTERED_LATE' END,
            -- the same house number on another street of the ZIP is another address:
            -- the street must agree (or be missing with the ZIP agreeing)
            CASE WHEN NOT (c0.house = 2 AND (c0.street >= 1
                                             OR (c0.street = -1 AND c0.loc = 2)))
                      AND mv.voter_id IS NULL
                 THEN 'ADDRESS_MISMATCH' END
        ], lambda x: x IS NOT NULL) AS id_reasons
    FROM c0 JOIN l0 USING (line_id) CROSS JOIN p
    -- rk_v's county is already upper case without "County" (normalize.build_voters)
    LEFT JOIN (SELECT voter_id, coalesce(county, '') AS county, status, status_date,
                      registration_date FROM rk_v) v ON v.voter_id = c0.voter_id
    LEFT JOIN mv ON mv.line_id = c0.line_id AND mv.voter_id = c0.voter_id
    LEFT JOIN wd ON wd.line_id = c0.line_id AND wd.voter_id = c0.voter_id
), co AS (
    SELECT *, coalesce(id_reasons[1], CASE WHEN withdrawal_received IS NOT NULL
                                           THEN 'WITHDRAWN' END, 'valid') AS outcome,
           -- strong: both names agree well (an initial or a loose first name never
           -- settles an identity, see MIN_AUTO_FIRST in matching/decide.py)
           first >= 2 AND last >= 2 AS strong,
           -- material: strong and likely enough to change a decision (a namesake
           -- elsewhere in the ZIP, 2^-30 as likely, is not)
           first >= 2 AND last >= 2 AND pc >= {MATERIAL_P} AS material
    FROM c
), og AS (
    -- How sure is each outcome? Candidates whose names agree well (two records of one
    -- person, a father and son without JR/SR) may leave the identity open while they
    -- lead to the same determination and reason: then their posteriors add up.
    -- (at most 1, whatever the floating-point sum)
    SELECT line_id, outcome, least(sum(pc), 1.0) AS p_outcome,
           arg_min(voter_id, rank) AS voter_id
    FROM co WHERE strong GROUP BY ALL
), shared AS (
    -- An identity left open must not meet another line: two lines whose candidates
    -- overlap may be one person signing twice (DUPLICATE) or two namesakes signing once
    -- each, and which it is only a person can tell. Only candidates that are material
    -- to both lines count.
    SELECT DISTINCT a.line_id
    FROM co a JOIN co b ON b.voter_id = a.voter_id AND b.line_id <> a.line_id
    WHERE a.material AND b.material
    UNION
    SELECT a.line_id
    FROM co a JOIN current_determinations d ON d.voter_id = a.voter_id
                                            AND d.line_id <> a.line_id
    WHERE a.material
), how AS (
    SELECT l0.line_id, l0.voter_id, og.voter_id AS og_voter, og.p_outcome,
        CASE
            WHEN l0.status = 'match' THEN 'score'
            WHEN l0.status <> 'review' THEN NULL
            -- A name that agrees well and an address the voter had during circulation
            -- settle an identity the current address alone left in doubt.
            WHEN t.moved_ok AND t.first >= 3 AND t.last >= 3 THEN 'history'
            WHEN NOT l0.doubtful AND og.p_outcome >= 1 - {EPSILON} AND sh.line_id IS NULL
                 -- the signature was compared with the top candidate's only: another
                 -- record chosen here is checked by a person when there are images
                 AND (og.voter_id = l0.voter_id OR l0.sig_state IS DISTINCT FROM 'compared')
                 THEN 'outcome'
            -- The best candidate's names agree well and the signature is like the one on
            -- file (2 CCR 20960 ff.: the comparison is how an identity is established):
            -- the signer is that voter, whatever the address says. Positive evidence of
            -- identity, like a decisive score: the duplicate rule then sees it as usual.
            WHEN NOT l0.doubtful AND t.strong AND l0.sig_similarity >= {SIG_LIKE}
                 THEN 'signature'
        END AS settled_by,
        -- an outcome certain but for another line that may be the same voter's
        NOT l0.doubtful AND og.p_outcome >= 1 - {EPSILON} AND sh.line_id IS NOT NULL
            AS shared_voter
    FROM l0
    LEFT JOIN co t ON t.line_id = l0.line_id AND t.rank = 1
    LEFT JOIN (SELECT * FROM og QUALIFY row_number() OVER (
                   PARTITION BY line_id ORDER BY p_outcome DESC, outcome) = 1) og
           ON og.line_id = l0.line_id
    LEFT JOIN shared sh ON sh.line_id = l0.line_id
), pick AS (
    SELECT line_id, p_outcome, settled_by, coalesce(shared_voter, FALSE) AS shared_voter,
           CASE WHEN settled_by = 'outcome' THEN og_voter ELSE voter_id END AS chosen
    FROM how
), l AS (
    SELECT l0.* REPLACE (pick.chosen AS voter_id),
        t.moved_ok, t.withdrawal_received, t.id_reasons, pick.p_outcome, pick.settled_by,
        pick.shared_voter,
        t.house AS c_house,
        CASE WHEN l0.status = 'review' AND pick.settled_by IS NOT NULL THEN 'match'
             ELSE l0.status END AS status2
    FROM l0 JOIN pick USING (line_id)
    LEFT JOIN co t ON t.line_id = l0.line_id
                  AND t.voter_id = pick.chosen
), r AS (
    SELECT l.* EXCLUDE (status, status2, id_reasons, c_house), l.status2 AS status,
        -- the voter's own house number on another street of the town: more likely a
        -- street written another way (MLK for MARTIN LUTHER KING JR, a renamed street)
        -- than a move to the same number, so a person looks before it is rejected
        coalesce(l.c_house = 2, FALSE) AS same_house,
        -- what a line left to a person would be if its likeliest voter signed it (the
        -- queue's hint): ADDRESS_MISMATCH for a mover, not "valid"
        CASE WHEN l.status2 <> 'match' THEN coalesce(l.id_reasons[1], CASE WHEN
                  l.withdrawal_received IS NOT NULL THEN 'WITHDRAWN' END) END AS lean_reason,
        coalesce(l.moved_ok, FALSE) AS moved_ok,
        list_filter([
            CASE WHEN l.circulated_from < p.format_approved
                      OR list_contains(l.defects, 'SIGNED_BEFORE_APPROVAL')
                 THEN 'SIGNED_BEFORE_APPROVAL' END,
            CASE WHEN l.date_filed > p.circulation_deadline
                      OR list_contains(l.defects, 'SECTION_FILED_LATE')
                 THEN 'SECTION_FILED_LATE' END,
            CASE WHEN NOT coalesce(l.declaration_signed, FALSE)
                      OR list_contains(l.defects, 'CIRCULATOR_DECLARATION_DEFECT')
                 THEN 'CIRCULATOR_DECLARATION_DEFECT' END,
            CASE WHEN list_contains(l.defects, 'SECTION_FORMAT_DEFECT')
                 THEN 'SECTION_FORMAT_DEFECT' END,
            CASE WHEN (l.has_section AND NOT list_contains(p.counties, l.sec_county))
                      OR list_contains(l.defects, 'WRONG_COUNTY_SECTION')
                 THEN 'WRONG_COUNTY_SECTION' END,
            CASE WHEN len(list_filter(l.defects, lambda d: d NOT IN (
                      'SIGNED_BEFORE_APPROVAL', 'SECTION_FILED_LATE',
                      'CIRCULATOR_DECLARATION_DEFECT', 'SECTION_FORMAT_DEFECT',
                      'WRONG_COUNTY_SECTION'))) > 0
                 THEN 'SECTION_FORMAT_DEFECT' END,
            CASE WHEN NOT l.has_signature THEN 'NO_SIGNATURE' END,
            CASE WHEN l.name_unreadable THEN 'ILLEGIBLE' END,
            CASE WHEN l.addr_missing THEN 'NO_ADDRESS' END,
            CASE WHEN l.status2 = 'none' THEN 'NOT_REGISTERED' END
        ] || CASE WHEN l.status2 = 'match' THEN coalesce(l.id_reasons, []) ELSE [] END || [
            -- 2 CCR 20960: only a person finds a signature mismatch; a low similarity
            -- is a hint that sends the line to review (see route), never a rejection.
            CASE WHEN l.status2 = 'match' AND l.sig_similarity < {SIG_THRESHOLD}
                 THEN 'SIGNATURE_MISMATCH' END,
            CASE WHEN l.status2 = 'match' AND l.withdrawal_received IS NOT NULL
                 THEN 'WITHDRAWN' END
        ], lambda x: x IS NOT NULL) AS reasons
    FROM l CROSS JOIN p
), f AS (
    SELECT *,
        -- Reasons that need no identity decision settle the line even when the matcher
        -- is unsure; otherwise an unsure match goes to a person.
        CASE WHEN len(reasons) > 0 AND reasons[1] IN (
                  'SIGNED_BEFORE_APPROVAL', 'SECTION_FILED_LATE',
                  'CIRCULATOR_DECLARATION_DEFECT', 'SECTION_FORMAT_DEFECT',
                  'WRONG_COUNTY_SECTION', 'NO_SIGNATURE', 'ILLEGIBLE', 'NO_ADDRESS')
             THEN 'auto'
             WHEN status = 'review' OR wq.line_id IS NOT NULL THEN 'review'
             WHEN reasons[1] = 'SIGNATURE_MISMATCH' THEN 'review'
             WHEN reasons[1] = 'ADDRESS_MISMATCH' AND same_house THEN 'review'
             ELSE 'auto' END AS route0,
        wq.line_id IS NOT NULL AS wq_line,
        row_number() OVER (ORDER BY date_filed, section_id, page, line) AS filed_rank
    FROM r LEFT JOIN wq USING (line_id)
), dep AS (
    -- A line found valid is not final while an earlier-filed line that waits for a
    -- person leans to the same voter: if that line is the voter's, this one is the
    -- DUPLICATE (the first otherwise-valid occurrence counts).
    SELECT DISTINCT a.line_id
    FROM f a JOIN f b ON b.voter_id = a.voter_id AND b.line_id <> a.line_id
    WHERE a.route0 = 'auto' AND len(a.reasons) = 0 AND a.status = 'match'
      AND b.route0 = 'review' AND b.p_best > b.p_none AND b.filed_rank < a.filed_rank
)
SELECT f.* EXCLUDE (route0, filed_rank, match_doubt, shared_voter, wq_line),
    CASE WHEN dep.line_id IS NOT NULL THEN 'review' ELSE f.route0 END AS route,
    CASE WHEN len(reasons) = 0 THEN 'valid' ELSE 'invalid' END AS determination,
    reasons[1] AS reason,
    -- why a person is asked (matching.decide.DOUBTS)
    CASE WHEN dep.line_id IS NOT NULL THEN 'earlier_line'
         WHEN f.route0 <> 'review' THEN NULL
         WHEN f.wq_line THEN 'withdrawal_unsure'
         WHEN f.status = 'match' AND f.reasons[1] = 'SIGNATURE_MISMATCH' THEN 'signature'
         WHEN f.status = 'match' AND f.reasons[1] = 'ADDRESS_MISMATCH' AND f.same_house
              THEN 'street_differs'
         WHEN f.shared_voter THEN 'shared_voter'
         WHEN f.match_doubt = 'unsure' AND f.lean_reason = 'ADDRESS_MISMATCH'
              THEN 'moved_or_namesake'
         ELSE coalesce(f.match_doubt, 'unsure') END AS doubt
FROM f LEFT JOIN dep ON dep.line_id = f.line_id;
