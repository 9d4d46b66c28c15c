-- Field comparisons for every candidate pair, as agreement levels (-1 = a side is blank,
-- which carries no evidence either way; 0 = disagree; higher = closer agreement).
-- {S} entries, {V} voters, {PAIRS} (id, orient, voter_id, passes as a bit mask).
-- Per entry and voter only the reading of the name (as written / swapped) that agrees
-- best is kept; 'as written' wins ties.
CREATE OR REPLACE TEMP TABLE {OUT} AS
WITH j AS (
    SELECT p.id, p.orient, p.voter_id, p.passes,
           s.first AS s_first, v.first AS v_first, s.roots AS s_roots, v.roots AS v_roots,
           v.given AS v_given, s.last_toks AS s_last, v.last_toks AS v_last,
           s.last_key AS s_key, v.last_key AS v_key, s.last_ph AS s_ph, v.last_ph AS v_ph,
           s.mid_initial AS s_mid, v.mid_initial AS v_mid,
           s.suffix AS s_sfx, v.suffix AS v_sfx,
           s.house AS s_house, v.house AS v_house, v.house_hi AS v_house_hi,
           s.street_key AS s_street, v.street_key AS v_street,
           s.zip AS s_zip, v.zip AS v_zip, s.city AS s_city, v.city AS v_city,
           s.unit AS s_unit, v.unit AS v_unit, ch.id IS NOT NULL AS hist
    FROM {PAIRS} p
    JOIN {S} s ON s.id = p.id AND s.orient = p.orient
    JOIN {V} v ON v.voter_id = p.voter_id
    LEFT JOIN rk_cand_hist ch ON ch.id = p.id AND ch.voter_id = p.voter_id
), c AS (
    SELECT *,
        greatest(coalesce(jaro_winkler_similarity(s_key, v_key), 0),
                 coalesce(list_max(list_transform(s_last, lambda a:
                     list_max(list_transform(v_last, lambda b:
                         jaro_winkler_similarity(a, b))))), 0)) AS last_jw,
        coalesce(jaro_winkler_similarity(s_first, v_first), 0) AS first_jw,
        coalesce(jaro_winkler_similarity(s_street, v_street), 0) AS street_jw
    FROM j
)
SELECT id, orient, voter_id, passes,
    CASE WHEN s_first IS NULL OR v_first IS NULL THEN -1
         WHEN s_first = v_first THEN 4
         WHEN length(s_first) > 1 AND (len(list_intersect(s_roots, v_roots)) > 0
              OR list_contains(v_given, s_first)) THEN 3
         WHEN length(s_first) > 2 AND first_jw >= 0.90 THEN 2
         WHEN length(s_first) = 1 AND s_first = left(v_first, 1) THEN 1
         WHEN length(s_first) > 2 AND first_jw >= 0.80 THEN 1
         ELSE 0 END AS first,
    CASE WHEN (len(s_last) = 0 AND s_key IS NULL) OR v_key IS NULL THEN -1
         WHEN s_key = v_key OR (len(s_last) > 0 AND list_sort(s_last) = list_sort(v_last))
              THEN 4
         WHEN len(list_intersect(s_last, v_last)) > 0 THEN 3
         WHEN last_jw >= 0.92 THEN 2
         WHEN last_jw >= 0.84 OR s_ph = v_ph THEN 1
         ELSE 0 END AS last,
    CASE WHEN s_mid IS NULL OR v_mid IS NULL THEN -1
         WHEN s_mid = v_mid THEN 1 ELSE 0 END AS mid,
    CASE WHEN s_house IS NULL OR v_house IS NULL THEN -1
         WHEN s_house = v_house THEN 2
         WHEN v_house_hi IS NOT NULL AND TRY_CAST(s_house AS BIGINT)
              BETWEEN TRY_CAST(v_house AS BIGINT) AND TRY_CAST(v_house_hi AS BIGINT) THEN 2
         WHEN jaro_winkler_similarity(s_house, v_house) >= 0.85
              AND length(s_house) = length(v_house) THEN 1
         ELSE 0 END AS house,
    CASE WHEN s_street IS NULL OR v_street IS NULL THEN -1
         WHEN s_street = v_street OR replace(s_street, ' ', '') = replace(v_street, ' ', '')
              THEN 2
         WHEN street_jw >= 0.88 THEN 1
         ELSE 0 END AS street,
    CASE WHEN s_zip IS NOT NULL AND s_zip = v_zip THEN 2
         WHEN s_city IS NOT NULL AND s_city = v_city THEN 1
         WHEN s_zip IS NULL AND s_city IS NULL THEN -1
         ELSE 0 END AS loc,
    (s_sfx IS NOT NULL AND v_sfx IS NOT NULL AND s_sfx <> v_sfx) AS suffix_conflict,
    CASE WHEN s_unit IS NULL OR v_unit IS NULL THEN -1
         WHEN s_unit = v_unit THEN 1 ELSE 0 END AS unit,
    hist,
    round(first_jw, 3) AS first_jw, round(last_jw, 3) AS last_jw,
    round(street_jw, 3) AS street_jw,
    left(s_first, 1) = left(v_first, 1) AS first_initial_same,
    v_first AS v_first_name, v_key AS v_last_key
FROM c
QUALIFY row_number() OVER (PARTITION BY id, voter_id
    ORDER BY greatest(first, 0) + greatest(last, 0) DESC, orient) = 1;
