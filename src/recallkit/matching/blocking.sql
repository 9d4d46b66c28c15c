-- Candidate generation: several blocking passes, unioned and deduplicated.
-- {S} = normalized entries (id, orient, ...), {V} = normalized voters.
-- Each pass is a plain equi-join, portable to any SQL engine. Lines and voters are
-- joined by their row numbers (sid, vid), not by their ids: integer keys made blocking,
-- comparing and deciding a quarter faster than text ones.

-- (rk_vkey and rk_vkey_n, the voters' keys, come from blocking_voters.sql.)

-- The earlier addresses of voters (rk_vh) by the voters' row numbers.
CREATE OR REPLACE TEMP TABLE rk_vhv AS
SELECT v.vid, h.house, h.street_key FROM rk_vh h JOIN {V} v USING (voter_id);

CREATE OR REPLACE TEMP TABLE rk_skey AS
SELECT DISTINCT sid, orient, tok, root, zip, house
FROM (SELECT sid, orient, unnest(last_toks) AS tok, roots, zip, house FROM {S})
CROSS JOIN LATERAL (SELECT unnest(roots) AS root);

-- here: the pair is somebody of the line's surname and a compatible first name at the
-- written house number (a housemate with another first name, the household rule, does
-- not count). Pass 4 searches the county only for lines with no such pair; the flag is
-- set where each pass has the two rows at hand, not by joining the pairs back.
CREATE OR REPLACE TEMP MACRO rk_here(s, v) AS
    s.house = v.house AND list_has_any(s.last_toks, v.last_toks)
    AND (list_has_any(s.roots, v.roots) OR jaro_winkler_similarity(s.first, v.first) >= 0.9);

-- list_has_any(a, b) for a short list a (a line's few roots or surname tokens) against
-- the voters' lists: list_contains per element, a third of list_has_any's cost on the
-- million pairs of pass 2 (CASE-free ORs evaluate every term on every row).
CREATE OR REPLACE TEMP MACRO rk_shares(a, b) AS
    list_contains(b, a[1]) OR list_contains(b, a[2]) OR list_contains(b, a[3])
    OR (len(a) > 3 AND list_has_any(a, b));

CREATE OR REPLACE TEMP TABLE rk_pairs AS
-- 1. surname token + first-name root + ZIP (token and root shared by construction)
SELECT s.sid, s.orient, v.vid, 1 AS pass, bool_or(s.house = v.house) AS here
FROM rk_skey s JOIN rk_vkey v USING (tok, root, zip)
GROUP BY ALL
UNION ALL
-- 2. house number + street name key, any ZIP (missing or wrong ZIP, nicknames the table
--    does not know, misspelt surnames at the right address). Residents whose names share
--    nothing with the entry's (no initial, nickname root, surname token or sound, name
--    in either order) are left out: they could only be excluded as different people,
--    and they were two thirds of all pairs. A resident whose surname is the line's first
--    word is paired with the line read surname first too (orient 1: CHAN TAI MAN for
--    TAI MAN CHAN, LEE JI-EUN), which only this pass looks for at the address.
SELECT s.sid,
       unnest(CASE WHEN list_contains(v.last_toks, s.first) THEN [0, 1] ELSE [0] END),
       v.vid, 2, coalesce(rk_here(s, v), FALSE)
FROM {S} s JOIN {V} v ON s.house = v.house AND s.street_key = v.street_key
WHERE s.orient = 0
  AND (left(s.first, 1) = left(v.first, 1) OR s.last_ph = v.last_ph
       OR rk_shares(s.roots, v.roots) OR rk_shares(s.last_toks, v.last_toks)
       OR list_contains(v.last_toks, s.first) OR list_contains(s.last_toks, v.first)
       OR list_contains(v.given, s.first)
       -- last: an OR tests a term only on the rows the terms before it left undecided
       OR jaro_winkler_similarity(s.first, v.first) >= 0.8)
UNION ALL
-- 2b. house number + street key of an earlier address of the voter (voter_history):
--     movers who write the address they left
SELECT s.sid, s.orient, v.vid, 5, coalesce(rk_here(s, v), FALSE)
FROM {S} s JOIN rk_vhv h ON s.house = h.house AND s.street_key = h.street_key
JOIN {V} v ON v.vid = h.vid
WHERE s.orient = 0
UNION ALL
-- 3. phonetic surname + first two letters of the first name + ZIP (spelling variants)
SELECT s.sid, s.orient, v.vid, 3,
       CASE WHEN s.house = v.house THEN coalesce(rk_here(s, v), FALSE) ELSE FALSE END
FROM {S} s JOIN {V} v
  ON s.last_ph = v.last_ph AND left(s.first, 2) = left(v.first, 2) AND s.zip = v.zip;

-- Lines with somebody of their name at the written address (see rk_here).
CREATE OR REPLACE TEMP TABLE rk_found_here AS
SELECT DISTINCT sid FROM rk_pairs WHERE here;

-- Entries that could not be searched county-wide because their name is too common:
-- "nobody found" is not evidence for them, so they go to a person (decide.py).
CREATE OR REPLACE TEMP TABLE rk_unsearched AS
SELECT DISTINCT s.sid FROM rk_skey s
WHERE NOT EXISTS (SELECT 1 FROM rk_found_here f WHERE f.sid = s.sid)
  AND (s.tok, s.root) IN (SELECT (tok, root) FROM rk_vkey_n WHERE n > {WIDE_CAP});

-- The lines' keys that few enough voters share: a key of very many voters (JOSE GARCIA
-- county-wide) cannot identify anybody without an address (rk_unsearched above). The
-- filter runs on the lines' side, the small one.
CREATE OR REPLACE TEMP TABLE rk_skey_wide AS
SELECT s.* FROM rk_skey s JOIN rk_vkey_n n USING (tok, root) WHERE n.n <= {WIDE_CAP};

-- 4. surname token + first-name root anywhere in the county, only for entries nobody of
--    that surname was found for at the written address (movers, wrong or no address).
INSERT INTO rk_pairs (sid, orient, vid, pass)
SELECT DISTINCT s.sid, s.orient, v.vid, 4
FROM rk_skey_wide s JOIN rk_vkey v USING (tok, root)
WHERE NOT EXISTS (SELECT 1 FROM rk_found_here f WHERE f.sid = s.sid);

-- 6. lines still without a namesake anywhere: a typo in one of the two names of a mover
--    (SANRA RICHEY, FRANCISCO CASTILO) — surname sound + first-name root, or surname
--    token + first two letters, county-wide (keys capped like pass 4). Without this such
--    a line would be decided NOT_REGISTERED with nobody looked at.
CREATE OR REPLACE TEMP TABLE rk_lonely AS
SELECT DISTINCT sid FROM {S}
EXCEPT SELECT sid FROM rk_pairs WHERE pass IN (1, 4)
EXCEPT SELECT sid FROM rk_found_here;

-- the lonely lines' keys, and those of them shared by at most {FUZZY_CAP} voters
CREATE OR REPLACE TEMP TABLE rk_skey_fuzzy AS
SELECT DISTINCT sid, orient, last_ph, unnest(roots) AS root, NULL::VARCHAR AS tok,
       NULL::VARCHAR AS f2
FROM {S} WHERE sid IN (SELECT sid FROM rk_lonely) AND last_ph IS NOT NULL
UNION ALL
SELECT DISTINCT sid, orient, NULL, NULL, unnest(last_toks), left(first, 2)
FROM {S} WHERE sid IN (SELECT sid FROM rk_lonely) AND first IS NOT NULL;

CREATE OR REPLACE TEMP TABLE rk_fz_ph AS (
    SELECT vid, last_ph, root
    FROM (SELECT vid, last_ph, unnest(roots) AS root FROM {V}
          WHERE last_ph IN (SELECT last_ph FROM rk_skey_fuzzy))
    WHERE (last_ph, root) IN (SELECT (last_ph, root) FROM rk_skey_fuzzy)
);

CREATE OR REPLACE TEMP TABLE rk_fz_tk AS (
    SELECT vid, tok, f2 FROM (
        SELECT vid, unnest(last_toks) AS tok, left(first, 2) AS f2 FROM {V}
        WHERE first IS NOT NULL)
    WHERE (tok, f2) IN (SELECT (tok, f2) FROM rk_skey_fuzzy)
);

-- Lonely lines whose fuzzy keys were too common to search: "nobody found" is not evidence
-- for them either (decide.py sends them to a person, like rk_unsearched above).
INSERT INTO rk_unsearched
SELECT DISTINCT s.sid FROM rk_skey_fuzzy s
WHERE (s.last_ph, s.root) IN (SELECT (last_ph, root) FROM rk_fz_ph GROUP BY ALL
                              HAVING count(*) > {FUZZY_CAP})
   OR (s.tok, s.f2) IN (SELECT (tok, f2) FROM rk_fz_tk GROUP BY ALL
                        HAVING count(*) > {FUZZY_CAP});

CREATE OR REPLACE TEMP TABLE rk_vkey_fuzzy AS
SELECT vid, last_ph, root, NULL::VARCHAR AS tok, NULL::VARCHAR AS f2 FROM rk_fz_ph
WHERE (last_ph, root) IN (SELECT (last_ph, root) FROM rk_fz_ph GROUP BY ALL
                          HAVING count(*) <= {FUZZY_CAP})
UNION ALL
SELECT vid, NULL, NULL, tok, f2 FROM rk_fz_tk
WHERE (tok, f2) IN (SELECT (tok, f2) FROM rk_fz_tk GROUP BY ALL
                    HAVING count(*) <= {FUZZY_CAP});

INSERT INTO rk_pairs (sid, orient, vid, pass)
SELECT DISTINCT p.sid, p.orient, p.vid, 6
FROM (SELECT s.sid, s.orient, v.vid FROM rk_skey_fuzzy s
      JOIN rk_vkey_fuzzy v USING (last_ph, root)
      UNION ALL
      SELECT s.sid, s.orient, v.vid FROM rk_skey_fuzzy s
      JOIN rk_vkey_fuzzy v USING (tok, f2)) p;

-- 8. lines still without a namesake after pass 6: one letter off in either name (a
--    letter dropped, added, changed, or two swapped: LRARY BURNS, MANUEL MOFALES), with
--    the other name agreeing, county-wide. Two names are one edit apart when deleting
--    (at most) one letter from each makes them equal, so each side's names are expanded
--    to their one-deletion variants and joined on those — for the distinct names only.
--    Keys shared by more than {FUZZY_CAP} voters are not searched.
CREATE OR REPLACE TEMP MACRO rk_del1(x) AS
    list_append(list_transform(range(1, length(x) + 1), lambda i: x[1:i - 1] || x[i + 1:]), x);

CREATE OR REPLACE TEMP TABLE rk_l8 AS
SELECT sid, orient, first, roots, last_toks FROM {S} s
WHERE sid IN (SELECT sid FROM rk_lonely)
  AND NOT EXISTS (SELECT 1 FROM rk_pairs p WHERE p.sid = s.sid AND p.pass = 6)
  AND first IS NOT NULL AND len(last_toks) > 0;

-- the voter file's surname tokens and first names one edit from a lonely line's: token
-- by token, so that a middle name written in full does not hide a misspelt surname
-- (SHEILA CINDI FLIRES for SHEILA CINDI FLORES)
CREATE OR REPLACE TEMP TABLE rk_near8 AS
WITH e AS (
    SELECT sid, orient, 'last' AS kind, unnest(rk_del1(tok)) AS var
    FROM (SELECT sid, orient, unnest(last_toks) AS tok FROM rk_l8) WHERE length(tok) >= 4
    UNION ALL
    SELECT sid, orient, 'first', unnest(rk_del1(first)) FROM rk_l8 WHERE length(first) >= 4
), vv AS (
    SELECT 'last' AS kind, name, unnest(rk_del1(name)) AS var
    FROM (SELECT DISTINCT tok AS name FROM rk_vkey_n WHERE length(tok) >= 4)
    UNION ALL
    SELECT 'first', name, unnest(rk_del1(name))
    FROM (SELECT DISTINCT first AS name FROM {V} WHERE length(first) >= 4)
)
SELECT DISTINCT e.sid, e.orient, e.kind, vv.name FROM e JOIN vv USING (kind, var);

-- keys (surname token, first name): a near surname token with the line's first-name
-- roots, or a near first name with the line's surname tokens
CREATE OR REPLACE TEMP TABLE rk_k8 AS
SELECT DISTINCT n.sid, n.orient, n.name AS tok, unnest(l.roots) AS root
FROM rk_near8 n JOIN rk_l8 l USING (sid, orient) WHERE n.kind = 'last'
UNION
SELECT DISTINCT n.sid, n.orient, unnest(l.last_toks) AS tok, n.name AS root
FROM rk_near8 n JOIN rk_l8 l USING (sid, orient) WHERE n.kind = 'first';

-- A near name borne by too many voters to search: "nobody found" is no evidence either.
INSERT INTO rk_unsearched
SELECT DISTINCT k.sid FROM rk_k8 k JOIN rk_vkey_n n USING (tok, root)
WHERE n.n > {FUZZY_CAP};

INSERT INTO rk_pairs (sid, orient, vid, pass)
SELECT DISTINCT k.sid, k.orient, v.vid, 8
FROM rk_k8 k JOIN rk_vkey v USING (tok, root)
WHERE (k.tok, k.root) IN (SELECT (tok, root) FROM rk_vkey_n WHERE n <= {FUZZY_CAP});

-- 7. house number + ZIP + first initial or a surname token: a street written otherwise
--    at the right address (SANTA OSA PL for SANTA ROSA PL, CESAR CHAVEZ for CESAR E
--    CHAVEZ), for lines nobody was found for at the address. The surname catches a voter
--    who goes by a middle name (CARMEN RODRIGUEZ for MARIA DEL CARMEN RODRIGUEZ), and a
--    resident whose surname is the line's first word is paired with the line read
--    surname first (PARK SUNG MIN), as pass 2 does at the address.
INSERT INTO rk_pairs (sid, orient, vid, pass)
WITH s AS MATERIALIZED (
    SELECT sid, orient, house, zip, street_key, first, last_toks FROM {S} s
    WHERE orient = 0 AND NOT EXISTS (SELECT 1 FROM rk_found_here f WHERE f.sid = s.sid)
)
SELECT s.sid,
       unnest(CASE WHEN NOT list_contains(v.last_toks, s.first) THEN [0]
                   WHEN left(s.first, 1) = left(v.first, 1) THEN [0, 1] ELSE [1] END),
       v.vid, 7
FROM s JOIN {V} v ON s.house = v.house AND s.zip = v.zip
WHERE (left(s.first, 1) = left(v.first, 1) OR list_contains(v.last_toks, s.first))
  AND s.street_key IS DISTINCT FROM v.street_key
UNION ALL
SELECT s.sid, s.orient, v.vid, 7
FROM (SELECT sid, orient, house, zip, street_key, unnest(last_toks) AS tok FROM s) s
JOIN rk_vkey k ON k.house = s.house AND k.zip = s.zip AND k.tok = s.tok
JOIN (SELECT vid, street_key FROM {V}) v ON v.vid = k.vid
WHERE s.street_key IS DISTINCT FROM v.street_key;

-- A written first name that no voter bears and the nickname table does not know, one
-- letter from a nickname of a candidate's first name (LAEX for ALEX, for ALEJANDRO;
-- LPUE for LUPE, for GUADALUPE): likely that voter under a misspelt nickname, so the
-- household rule does not settle such a candidate alone (decide.py: doubtful). A real
-- name one letter from another (MARY, MARK) is not a typo and does not count.
CREATE OR REPLACE TEMP TABLE rk_nick_typo AS
WITH f AS (SELECT DISTINCT first FROM {S} WHERE length(first) >= 3),
u AS (SELECT first FROM f
      WHERE NOT EXISTS (SELECT 1 FROM {V} v WHERE v.first = f.first)
        AND NOT EXISTS (SELECT 1 FROM rk_nick_roots n WHERE n.name = f.first)),
near AS (
    SELECT DISTINCT u.first, unnest(n.roots) AS root
    FROM (SELECT first, unnest(rk_del1(first)) AS var FROM u) u
    JOIN (SELECT name, roots, unnest(rk_del1(name)) AS var FROM rk_nick_roots
          WHERE length(name) >= 3) n USING (var)
), s AS MATERIALIZED (
    SELECT s.sid, s.orient, near.root FROM {S} s JOIN near USING (first)
), p AS MATERIALIZED (
    SELECT p.sid, p.vid, s.root FROM rk_pairs p
    JOIN s ON s.sid = p.sid AND s.orient = p.orient
)
SELECT DISTINCT p.sid, p.vid
FROM p JOIN (SELECT vid, roots FROM {V}) v ON v.vid = p.vid
WHERE list_contains(v.roots, p.root);

CREATE OR REPLACE TEMP TABLE rk_cand AS
-- passes as a bit mask (bit p set = found by pass p): cheaper to group than a list
SELECT sid, orient, vid, bit_or(1 << pass) AS passes
FROM rk_pairs GROUP BY ALL;

-- Candidates whose earlier address (voter_history) is the one written on the line.
CREATE OR REPLACE TEMP TABLE rk_cand_hist AS
SELECT DISTINCT c.sid, c.vid
FROM rk_cand c JOIN {S} s ON s.sid = c.sid AND s.orient = 0
JOIN rk_vhv h ON h.vid = c.vid AND h.house = s.house
            AND h.street_key = s.street_key;

-- Training pairs for the name fields' m (score.fit): entries × residents of the written
-- address, unfiltered, for one entry in TRAIN_EVERY (the candidate pairs above leave out
-- the residents whose names share nothing, and EM needs the non-matches too).
CREATE OR REPLACE TEMP TABLE rk_train_addr AS
SELECT s.sid, s.orient, v.vid, 4 AS passes
FROM {S} s JOIN {V} v ON s.house = v.house AND s.street_key = v.street_key
WHERE s.orient = 0 AND hash(s.id) % {TRAIN_EVERY} = 0;

-- Training pairs for the address fields' m: entries × voters of the same surname token
-- and first-name root anywhere in the county (not only in the written ZIP: pass 1 is
-- blocked on the ZIP, so on it a wrong or missing ZIP would look like a non-match).
CREATE OR REPLACE TEMP TABLE rk_train_name AS
SELECT DISTINCT s.sid, s.orient, v.vid, 2 AS passes
FROM rk_skey_wide s JOIN rk_vkey v USING (tok, root)
WHERE s.orient = 0
  AND s.sid IN (SELECT sid FROM {S} WHERE orient = 0 AND hash(id) % {TRAIN_EVERY} = 0);
