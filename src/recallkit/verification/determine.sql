-- Reasons for every examined line, in the precedence of data-formats.md.
-- Inputs: rk_lines(line_id), rk_match (identity decision per line), rk_s (normalized
-- entries), rk_vh (normalized voter history), rk_wd (withdrawn voters with dates),
-- rk_sig (signature similarity per matched line; {SIG_THRESHOLD} chosen from its
-- distribution). rk_det carries no candidate list (a wide value, slow to carry through
-- the joins): write_results reads the candidates from rk_match.
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
           v.county AS v_county, v.status AS v_status, v.status_date, v.registration_date,
           m.c_house, m.c_street, m.c_loc, m.c_first, m.c_last,
           sg.similarity AS sig_similarity,
           CASE WHEN NOT s.has_signature THEN NULL
                ELSE coalesce(sg.state, 'no_image') END AS sig_state
    FROM rk_lines x
    JOIN signatures s ON s.line_id = x.line_id
    LEFT JOIN sections sec ON sec.section_id = s.section_id
    LEFT JOIN (SELECT * FROM rk_s WHERE orient = 0) e ON e.id = s.line_id
    -- the best candidate's agreement levels, taken out of the list before the joins
    LEFT JOIN (SELECT id, voter_id, score, p_best, p_none, status, candidates,
                      top[1].house AS c_house, top[1].street AS c_street, top[1].loc AS c_loc,
                      top[1].first AS c_first, top[1].last AS c_last
               FROM rk_match) m ON m.id = s.line_id
    LEFT JOIN rk_v v ON v.voter_id = m.voter_id
    LEFT JOIN rk_sig sg ON sg.line_id = s.line_id
), h AS (
    -- 2 CCR 20931: a voter who moved during circulation may sign at the address he or
    -- she was registered at when signing.
    SELECT DISTINCT l0.line_id
    FROM l0 JOIN rk_vh h ON h.voter_id = l0.voter_id
    WHERE h.house = l0.s_house AND h.street_key = l0.s_street
      AND (h.valid_to IS NULL OR l0.circulated_from IS NULL
           OR h.valid_to >= l0.circulated_from)
      AND (h.valid_from IS NULL OR l0.circulated_to IS NULL
           OR h.valid_from <= l0.circulated_to)
), l AS (
    -- A name that agrees well and an address the voter had during circulation settle an
    -- identity the current address alone left in doubt.
    SELECT l0.* REPLACE (
        CASE WHEN l0.status = 'review' AND h.line_id IS NOT NULL
                  AND l0.c_first >= 3 AND l0.c_last >= 3
             THEN 'match' ELSE l0.status END AS status)
    FROM l0 LEFT JOIN h ON h.line_id = l0.line_id
), w AS (
    -- EC 11303: a withdrawal request filed before the day the section is filed.
    SELECT DISTINCT l.line_id, min(wd.date_received) AS received
    FROM l JOIN rk_wd wd ON wd.voter_id = l.voter_id
    WHERE wd.date_received < l.date_filed
    GROUP BY l.line_id
), r AS (
    SELECT l.*, h.line_id IS NOT NULL AS moved_ok, w.received AS withdrawal_received,
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
            CASE WHEN l.status = 'none' THEN 'NOT_REGISTERED' END,
            CASE WHEN l.status = 'match' AND NOT list_contains(p.counties,
                      upper(trim(regexp_replace(coalesce(l.v_county, ''), '(?i)\s+county$', ''))))
                 THEN 'OUT_OF_JURISDICTION' END,
            CASE WHEN l.status = 'match' AND l.has_section
                      AND list_contains(p.counties, l.sec_county)
                      AND upper(trim(regexp_replace(coalesce(l.v_county, ''),
                              '(?i)\s+county$', ''))) <> l.sec_county
                      AND list_contains(p.counties, upper(trim(regexp_replace(
                              coalesce(l.v_county, ''), '(?i)\s+county$', ''))))
                 THEN 'WRONG_COUNTY_SECTION' END,
            CASE WHEN l.status = 'match' AND l.v_status = 'cancelled'
                      AND (l.status_date IS NULL OR l.circulated_from IS NULL
                           OR l.status_date < l.circulated_from)
                 THEN 'CANCELLED' END,
            CASE WHEN l.status = 'match' AND l.registration_date > l.circulated_to
                 THEN 'REGISTERED_LATE' END,
            -- the same house number on another street of the ZIP is another address:
            -- the street must agree (or be missing with the ZIP agreeing)
            CASE WHEN l.status = 'match' AND NOT (
                      (l.c_house = 2 AND (l.c_street >= 1 OR (l.c_street = -1
                                                               AND l.c_loc = 2))))
                      AND h.line_id IS NULL
                 THEN 'ADDRESS_MISMATCH' END,
            -- 2 CCR 20960: only a person finds a signature mismatch; a low similarity
            -- is a hint that sends the line to review (see route), never a rejection.
            CASE WHEN l.status = 'match' AND l.sig_similarity < {SIG_THRESHOLD}
                 THEN 'SIGNATURE_MISMATCH' END,
            CASE WHEN l.status = 'match' AND w.received IS NOT NULL THEN 'WITHDRAWN' END
        ], lambda x: x IS NOT NULL) AS reasons
    FROM l CROSS JOIN p
    LEFT JOIN h ON h.line_id = l.line_id
    LEFT JOIN w ON w.line_id = l.line_id
)
SELECT *,
    -- Reasons that need no identity decision settle the line even when the matcher
    -- is unsure; otherwise an unsure match goes to a person.
    CASE WHEN len(reasons) > 0 AND reasons[1] IN (
              'SIGNED_BEFORE_APPROVAL', 'SECTION_FILED_LATE', 'CIRCULATOR_DECLARATION_DEFECT',
              'SECTION_FORMAT_DEFECT', 'WRONG_COUNTY_SECTION', 'NO_SIGNATURE', 'ILLEGIBLE',
              'NO_ADDRESS')
         THEN 'auto'
         WHEN status = 'review' THEN 'review'
         WHEN reasons[1] = 'SIGNATURE_MISMATCH' THEN 'review'
         ELSE 'auto' END AS route,
    CASE WHEN len(reasons) = 0 THEN 'valid' ELSE 'invalid' END AS determination,
    reasons[1] AS reason
FROM r;
