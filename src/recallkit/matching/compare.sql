-- Field comparisons for every candidate pair, as agreement levels (-1 = a side is blank,
-- which carries no evidence either way; 0 = disagree; higher = closer agreement).
-- {S} entries, {V} voters, {PAIRS} (sid, orient, vid, passes as a bit mask; each
-- (sid, orient, vid) once). Joins are on the row numbers sid and vid; the ids (id,
-- voter_id) are carried along for the decisions and their evidence.
-- Per entry and voter only the reading of the name (as written / swapped) that agrees
-- best is kept; 'as written' wins ties.
--
-- Written for speed (it runs on every candidate pair and on the training pairs):
-- * d: the (entry, voter) pairs found in both readings (orient 0 = as written, 1 =
--   swapped; a few per thousand). Only those need ranking; a window over every pair cost
--   more than the comparisons themselves.
-- * pv: the pairs are joined to the voters first, with the pairs as the (narrow) hash
--   side and the voters' lists streamed through; then to the entries, the smaller table
--   as the hash side. Materializing pv keeps that order.
-- * The similarity of equal non-empty strings is 1 (jaro_winkler_similarity('', '') is
--   0, hence the length test), and a one-token surname whose key is that token compares
--   as the keys do, so the costly functions run only where they can change the result;
--   CASE evaluates a branch only for the rows that reach it.
-- * list_has_any(a, b) is len(list_intersect(a, b)) > 0 without building the list; two
--   lists sort equal only if they have the same length, and one-element lists if their
--   elements are not distinct (nested comparison takes NULL = NULL).
CREATE OR REPLACE TEMP TABLE {OUT} AS
WITH d AS (
    SELECT sid, vid FROM {PAIRS} WHERE orient = 1
    INTERSECT SELECT sid, vid FROM {PAIRS} WHERE orient = 0
), pv AS MATERIALIZED (
    SELECT p.sid, p.orient, p.vid, p.passes, ch.sid IS NOT NULL AS hist,
           d.sid IS NOT NULL AS dup, v.voter_id,
           v.first AS v_first, v.first_real AS v_first_real, v.roots AS v_roots,
           v.given AS v_given, v.mids AS v_mids,
           v.last_toks AS v_last, v.last_key AS v_key, v.last_ph AS v_ph,
           v.mid_initial AS v_mid, v.suffix AS v_sfx, v.house AS v_house,
           v.house_hi AS v_house_hi, v.street_key AS v_street,
           v.street_alts AS v_street_alts, v.zip AS v_zip,
           v.city AS v_city, v.unit AS v_unit
    FROM {PAIRS} p
    JOIN {V} v ON v.vid = p.vid
    LEFT JOIN rk_cand_hist ch ON ch.sid = p.sid AND ch.vid = p.vid
    LEFT JOIN d ON d.sid = p.sid AND d.vid = p.vid
), j AS (
    SELECT pv.*, s.id, s.first AS s_first, s.first_real AS s_first_real,
           s.first_joined AS s_first_joined, s.roots AS s_roots,
           s.last_toks AS s_last,
           s.last_key AS s_key, s.last_ph AS s_ph, s.mid_initial AS s_mid,
           s.suffix AS s_sfx, s.house AS s_house, s.street_key AS s_street,
           s.zip AS s_zip, s.city AS s_city, s.unit AS s_unit
    FROM pv JOIN {S} s ON s.sid = pv.sid AND s.orient = pv.orient
), c AS (
    SELECT *,
        CASE WHEN s_key = v_key AND length(s_key) > 0 THEN 1.0::DOUBLE
             WHEN len(s_last) = 1 AND len(v_last) = 1 AND s_last[1] = s_key
                  AND v_last[1] = v_key THEN coalesce(jaro_winkler_similarity(s_key, v_key), 0)
             ELSE greatest(coalesce(jaro_winkler_similarity(s_key, v_key), 0),
                 coalesce(list_max(list_transform(s_last, lambda a:
                     list_max(list_transform(v_last, lambda b:
                         jaro_winkler_similarity(a, b))))), 0)) END AS last_jw,
        CASE WHEN s_first = v_first AND length(s_first) > 0 THEN 1.0::DOUBLE
             ELSE coalesce(jaro_winkler_similarity(s_first, v_first), 0) END AS first_jw,
        CASE WHEN s_street = v_street AND length(s_street) > 0 THEN 1.0::DOUBLE
             ELSE coalesce(jaro_winkler_similarity(s_street, v_street), 0) END AS street_jw,
        -- one word written, the whole name of a voter registered without a first name
        -- (a mononym: the voter file has it as the surname)
        v_first IS NULL AND s_key IS NULL AND len(s_last) = 0 AND s_first = v_key AS mono,
        -- three or more names written, all of the voter's and no other, in another
        -- order: the voter's full name as some write it (PHAM NGOC ANH, family name first,
        -- for NGOC ANH PHAM; YOON SOO YOUNG). v_given ends with its names joined when
        -- there are two or more.
        CASE WHEN len(s_last) >= 2 AND s_first IS NOT NULL
             THEN list_sort(list_prepend(s_first, s_last))
                  = list_sort(list_concat(CASE WHEN len(v_given) > 1
                                               THEN v_given[1:len(v_given) - 1]
                                               ELSE v_given END, v_last))
             ELSE FALSE END AS full_name
    FROM j
), l AS MATERIALIZED (
    SELECT sid, id, orient, vid, voter_id, passes,
    CASE WHEN mono THEN 4
         WHEN s_first IS NULL OR v_first IS NULL THEN -1
         WHEN s_first = v_first THEN 4
         WHEN full_name THEN 3
         -- a voter registered with an initial for a first name goes by the middle name
         -- (J ROBERT PEMBROKE signs ROBERT PEMBROKE)
         WHEN length(v_first) = 1 AND length(s_first) > 1 AND v_mids[1] = s_first THEN 3
         -- a nickname of the voter's name or the reverse (BOB for ROBERT), a given name
         -- of the voter's first name (CARMEN of MARIA DEL CARMEN, LUIS of JOSE LUIS), the
         -- voter's first name written as two (MARY ANN for MARYANN), or two short forms
         -- of one name that start alike (BOBBY for BOB)
         WHEN length(s_first) > 1 AND ((list_contains(v_given, s_first)
                                        AND NOT list_contains(v_mids, s_first))
              OR s_first_joined = v_first
              OR list_contains(s_roots, v_first) OR list_contains(v_roots, s_first)
              OR (list_has_any(s_roots, v_roots) AND left(s_first, 1) = left(v_first, 1)))
              THEN 3
         -- the voter's middle name as first name: the voter going by it, or a son or
         -- daughter of that name (TIMOTHY at ERIC TIMOTHY's address); a person decides
         WHEN length(s_first) > 1 AND list_contains(v_mids, s_first) THEN 1
         -- a near spelling; but two real names a letter apart are two names (ANTONIO
         -- and ANTONIA, father and daughter), only loosely alike (level 1), unless they
         -- are one name spelt two ways (PHILIP, PHILLIP: rk_spell_key)
         WHEN length(s_first) > 2 AND first_jw >= 0.90
              AND (NOT (s_first_real AND v_first_real)
                   OR rk_spell_key(s_first) = rk_spell_key(v_first)) THEN 2
         WHEN length(s_first) = 1 AND s_first = left(v_first, 1) THEN 1
         -- two short forms of one long name that do not start alike (ROSE and LINDA, both
         -- for ROSALINDA; PEGGY and MAGGIE, both for MARGARET) are usually two people
         WHEN length(s_first) > 1 AND list_has_any(s_roots, v_roots) THEN 1
         WHEN length(s_first) > 2 AND first_jw >= 0.80 THEN 1
         ELSE 0 END AS first,
    CASE WHEN mono THEN 4
         WHEN (len(s_last) = 0 AND s_key IS NULL) OR v_key IS NULL THEN -1
         -- a given name of the voter's written before the surname (ROSA MARIA DE LA O:
         -- MARIA + DELAO)
         WHEN s_key = v_key OR full_name
              OR (length(s_key) > length(v_key)
                  AND list_contains(list_transform(v_given, lambda g: g || v_key), s_key))
              THEN 4
         WHEN len(s_last) > 0 AND len(s_last) = len(v_last)
              AND CASE WHEN len(s_last) = 1 THEN s_last[1] IS NOT DISTINCT FROM v_last[1]
                       ELSE list_sort(s_last) = list_sort(v_last) END THEN 4
         -- FIRST MIDDLE LAST written in full: the written surname tokens minus the
         -- voter's own given names (KENNETH DANIEL AGARWAL; SUNG HO KIM for first name
         -- SUNG HO) are the voter's surname
         WHEN len(s_last) > len(v_last) AND len(v_last) > 0
              AND list_sort(list_filter(s_last, lambda x: NOT list_contains(v_given, x)))
                  = list_sort(v_last) THEN 4
         WHEN list_has_any(s_last, v_last) THEN 3
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
              -- the street's former name (2 CCR 20931: old or new name)
              OR list_contains(v_street_alts, s_street)
              THEN 2
         -- a near spelling, or at the written house number one letter off in a name of
         -- five letters or more (the similarity of one typo falls to 0.84-0.88:
         -- HSTHAWAY for HATHAWAY)
         WHEN street_jw >= 0.88
              OR (length(s_street) >= 5 AND abs(length(s_street) - length(v_street)) <= 1
                  AND s_house = v_house
                  AND damerau_levenshtein(s_street, v_street) <= 1)
              THEN 1
         ELSE 0 END AS street,
    CASE WHEN s_zip IS NOT NULL AND s_zip = v_zip THEN 2
         WHEN s_city IS NOT NULL AND s_city = v_city THEN 1
         WHEN s_zip IS NULL AND s_city IS NULL THEN -1
         ELSE 0 END AS loc,
    (s_sfx IS NOT NULL AND v_sfx IS NOT NULL AND s_sfx <> v_sfx) AS suffix_conflict,
    -- a generational suffix written for a voter registered without one: the voter, or
    -- the voter's unregistered son (JOSE GARCIA JR where JOSE GARCIA lives)
    (s_sfx IS NOT NULL AND v_sfx IS NULL) AS suffix_added,
    -- two surnames each, the first shared and a later written one not alike (JOSE
    -- GARCIA HERNANDEZ for JOSE GARCIA LOPEZ: a son, a brother); a word before the
    -- shared surname may be a middle name (DAVE ALEJANDRO BARAJAS for DAVID
    -- BARAJAS-RUIZ), and the voter's given names written in full do not count
    CASE WHEN len(s_last) >= 2 AND len(v_last) >= 2 AND list_contains(v_last, s_last[1])
         THEN coalesce(list_max(list_transform(
                  list_filter(s_last[2:], lambda a: NOT list_contains(v_last, a)
                                                    AND NOT list_contains(v_given, a)),
                  lambda a: list_max(list_transform(
                      list_filter(v_last, lambda b: NOT list_contains(s_last, b)),
                      lambda b: jaro_winkler_similarity(a, b))))), 1.0) < 0.85
         ELSE FALSE END AS surname_conflict,
    CASE WHEN s_unit IS NULL OR v_unit IS NULL THEN -1
         WHEN s_unit = v_unit THEN 1 ELSE 0 END AS unit,
    hist,
    round(first_jw, 3) AS first_jw, round(last_jw, 3) AS last_jw,
    round(street_jw, 3) AS street_jw,
    left(s_first, 1) = left(v_first, 1) AS first_initial_same,
    v_first AS v_first_name, v_key AS v_last_key, dup
    FROM c
)
-- The better reading of the pairs found in both (score.compare cuts the query here when
-- every pair has one reading and only some of the levels are wanted).
SELECT * EXCLUDE (dup) FROM l WHERE NOT dup
UNION ALL
SELECT * EXCLUDE (dup) FROM l WHERE dup
QUALIFY row_number() OVER (PARTITION BY sid, vid
    ORDER BY greatest(first, 0) + greatest(last, 0) DESC, orient) = 1;
