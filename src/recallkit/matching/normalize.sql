-- Normalization macros shared by the voter side and the petition side.
-- Both sides go through the SAME macros so that a key built for a voter and a key built
-- for a signature line can only differ when the people wrote different things.
-- Requires the reference tables of reference.py (rk_street_words) to be loaded first;
-- {STREET_MAP} is replaced by a MAP literal built from that table.

-- Upper case, accents stripped, apostrophes and periods dropped (O'BRIEN -> OBRIEN),
-- hyphens and other punctuation -> space (GARCIA-LOPEZ -> GARCIA LOPEZ). Commas are kept
-- by rk_clean_keep_comma for "LAST, FIRST" writing.
-- Most names and addresses are already clean (voter files are upper case, one space
-- between words): a string that only has the characters the cleaning keeps, single-spaced,
-- comes out unchanged, so one full-match test (a DFA pass, no copy) skips the four
-- regexp_replace passes. The *_u macros take upper(strip_accents(coalesce(s, ''))).
CREATE OR REPLACE TEMP MACRO rk_clean_keep_comma_u(u) AS
    CASE WHEN regexp_full_match(u, '[A-Z0-9,/#]+( [A-Z0-9,/#]+)*') THEN u
         ELSE trim(regexp_replace(
             regexp_replace(regexp_replace(u, '[''`\.]', '', 'g'), '[^A-Z0-9,/# ]', ' ', 'g'),
             '\s+', ' ', 'g')) END;

CREATE OR REPLACE TEMP MACRO rk_clean_keep_comma(s) AS
    rk_clean_keep_comma_u(upper(strip_accents(coalesce(s, ''))));

-- Commas -> spaces on a string already cleaned by rk_clean_keep_comma (single-spaced and
-- trimmed, so without a comma there is nothing to do).
CREATE OR REPLACE TEMP MACRO rk_drop_commas(k) AS
    CASE WHEN contains(k, ',') THEN trim(regexp_replace(replace(k, ',', ' '), '\s+', ' ', 'g'))
         ELSE k END;

CREATE OR REPLACE TEMP MACRO rk_clean(s) AS rk_drop_commas(rk_clean_keep_comma(s));

CREATE OR REPLACE TEMP MACRO rk_tokens(s) AS
    list_filter(string_split(rk_clean(s), ' '), lambda t: t <> '' AND t <> '/' AND t <> '#');

-- Generational suffixes are not part of a surname.
CREATE OR REPLACE TEMP MACRO rk_is_suffix(t) AS
    t IN ('JR', 'SR', 'II', 'III', 'IV', '2ND', '3RD', 'JNR', 'SNR');

-- Surname particles: kept in the concatenated key (DE LA CRUZ = DELACRUZ), dropped from
-- the token set so that CRUZ alone still overlaps.
CREATE OR REPLACE TEMP MACRO rk_is_particle(t) AS
    t IN ('DE', 'LA', 'DEL', 'LOS', 'LAS', 'VAN', 'VON', 'DER', 'DEN', 'DOS', 'DAS',
          'Y', 'E', 'ST', 'SAINT', 'MC', 'MAC');
-- Not particles: LE, DA, DU, DI, AL, BEN … are whole surnames in Vietnamese, Chinese,
-- Arabic and Hebrew names (LE VAN ANH is Mr. Le).

-- Surname tokens without particles; when only particles remain, all tokens are kept.
CREATE OR REPLACE TEMP MACRO rk_surname_tokens(toks) AS
    coalesce(nullif(list_filter(toks, lambda t: NOT rk_is_particle(t) AND NOT rk_is_suffix(t)
                                               AND length(t) > 1), []),
             list_filter(toks, lambda t: NOT rk_is_suffix(t) AND length(t) > 1));

-- Marks a transcriber uses for what could not be read.
CREATE OR REPLACE TEMP MACRO rk_unreadable(s) AS
    s IS NULL OR trim(s) = ''
    OR regexp_matches(upper(s), '^\W*(ILLEGIBLE|UNREADABLE|UNKNOWN|N/?A|\?+)\W*$');

-- A post office box is no place of residence (EC 100(b), EC 105(a)). Written with a
-- street address (2 CCR 20931(a)(4): counted when the street address matches) the box is
-- dropped and the street address checked as usual; written alone (a city or ZIP may
-- follow) the line gives no residence address.
CREATE OR REPLACE TEMP MACRO rk_po_box_re() AS
    '(?i)\b(?:P\s*\.?\s*O\s*\.?\s*|POST\s+OFFICE\s+)BOX\s*#?\s*[A-Z0-9-]+\s*,?';

-- only a box: no number followed by a word (a street) is left once the box is dropped
CREATE OR REPLACE TEMP MACRO rk_po_box_only(a) AS
    regexp_matches(a, rk_po_box_re())
    AND NOT regexp_matches(regexp_replace(a, rk_po_box_re(), ' ', 'g'), '\b\d+\S*\s+[A-Za-z]');

-- the address without its box ('' when only a box, and what followed it, was written)
CREATE OR REPLACE TEMP MACRO rk_drop_po_box(a) AS
    CASE WHEN NOT regexp_matches(a, rk_po_box_re()) THEN a
         WHEN rk_po_box_only(a) THEN ''
         ELSE trim(regexp_replace(a, rk_po_box_re(), ' ', 'g'), ' ,') END;

-- Addresses ------------------------------------------------------------------------
-- One-line address -> parts. Unit designators (APT, UNIT, #, STE, SPC, ...) are cut off
-- first; a leading house number may be a range (1234-1236) and may carry a fraction (1/2).
CREATE OR REPLACE TEMP MACRO rk_addr_clean_u(u) AS
    CASE WHEN regexp_full_match(u, '[A-Z0-9/#]+( [A-Z0-9/#]+)*') THEN u
         ELSE trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
             regexp_replace(regexp_replace(regexp_replace(u, '[''`\.,]', '', 'g'),
                 '[^A-Z0-9/#\- ]', ' ', 'g'), '(\d)-([A-Z])', '\1\2', 'g'),
                 '([A-Z])-(\d)', '\1\2', 'g'), '([A-Z])-', '\1 ', 'g'),
             '-([A-Z])', ' \1', 'g'), '\s+', ' ', 'g')) END;

CREATE OR REPLACE TEMP MACRO rk_addr_clean(a) AS
    rk_addr_clean_u(upper(strip_accents(coalesce(a, ''))));

-- A designator is followed by a space or # (APT B, STE 200, # 5) or directly by a digit
-- (UNIT101): never by a letter, or the last word of a street written without its type
-- would be read as a unit (NO+RMANDIE in 4403 S NORMANDIE, FL+ORENCE in W FLORENCE).
-- SP, the mobile-home space (10300 GARVEY AVE SP 14), counts only before a number: as a
-- word it may be part of a street name.
CREATE OR REPLACE TEMP MACRO rk_unit_re() AS
    '\s(?:(?:{UNIT_DESIGNATORS})(?:[\s#]+([A-Z0-9-]+)|(\d[A-Z0-9-]*))|SP[\s#]*(\d[A-Z0-9-]*))$';

-- The macros below take an address already passed through rk_addr_clean (ac) or with
-- the unit cut off (nu); callers compute those once per row in a CTE, because a macro
-- that repeats its argument would repeat the whole cleaning.
-- (one regex match: the three group extractions are the same expression, which DuckDB
-- evaluates once; the groups are alternatives, so at most one is not empty)
CREATE OR REPLACE TEMP MACRO rk_addr_unit(ac) AS
    nullif(coalesce(nullif(concat(regexp_extract(ac, rk_unit_re(), ['a', 'b', 'c']).a,
                                  regexp_extract(ac, rk_unit_re(), ['a', 'b', 'c']).b,
                                  regexp_extract(ac, rk_unit_re(), ['a', 'b', 'c']).c), ''),
                    regexp_extract(ac, '#\s*([A-Z0-9-]+)$', 1)), '');

CREATE OR REPLACE TEMP MACRO rk_addr_nounit(ac) AS
    trim(regexp_replace(regexp_replace(ac, rk_unit_re(), ''), '\s*#\s*[A-Z0-9-]+$', ''));

CREATE OR REPLACE TEMP MACRO rk_addr_house(nu) AS
    nullif(regexp_extract(nu, '^(\d+)', 1), '');

CREATE OR REPLACE TEMP MACRO rk_addr_house_hi(nu) AS
    nullif(regexp_extract(nu, '^\d+\s*-\s*(\d+)\b', 1), '');

-- Street words after the house number (range, letter suffix and fraction removed),
-- each word standardised (AVENUE -> AVE, NORTH -> N, FIRST -> 1ST).
-- A lone letter after the number that is no direction and is followed by a street of
-- two words or more is the number's (1234 A MAPLE AVE = 1234A MAPLE AVE); before a type
-- alone it is the street's name (1234 B ST).
CREATE OR REPLACE TEMP MACRO rk_addr_street_part(nu) AS
    regexp_replace(regexp_replace(nu, '^\d+(\s*-\s*\d+)?[A-Z]?\b\s*(\d/\d\b)?\s*', ''),
                   '^[A-DF-MO-RT-VX-Z] (\S+ \S)', '\1');

-- A county has far fewer street parts than addresses (1M voters: 13,000 against 470,000),
-- so the word lists below are built once per distinct street part.
CREATE OR REPLACE TEMP MACRO rk_street_part_words(sp) AS
    list_transform(list_filter(string_split(sp, ' '), lambda t: t <> ''),
                   lambda t: coalesce({STREET_MAP}[t], t));

CREATE OR REPLACE TEMP MACRO rk_addr_street_words(nu) AS
    rk_street_part_words(rk_addr_street_part(nu));

-- The street name key: standardised words without a leading/trailing direction and
-- without the trailing street type, so that "N Main St", "Main Street" and "MAIN"
-- agree (2 CCR 20931: abbreviations are tolerated). Apply in three steps (one per CTE).
CREATE OR REPLACE TEMP MACRO rk_strip_dirs(w) AS
    CASE WHEN len(w) > 1 AND w[1] IN ('N','S','E','W','NE','NW','SE','SW') THEN w[2:]
         ELSE w END;

CREATE OR REPLACE TEMP MACRO rk_strip_tail(w) AS
    CASE WHEN len(w) > 1 AND w[-1] IN ('N','S','E','W','NE','NW','SE','SW')
         THEN w[1:len(w) - 1]
         ELSE w END;

CREATE OR REPLACE TEMP MACRO rk_strip_type(w) AS
    CASE WHEN len(w) > 1 AND list_contains({STREET_TYPES}, w[-1]) THEN w[1:len(w) - 1]
         ELSE w END;

-- A first name's spelling key: the letters that sound alike made one (PH = F, C = K,
-- Z = S, Y = I, V = F), H dropped, doubled letters single. Two real first names with one
-- key are one name spelt two ways (PHILIP, PHILLIP; KATHERINE, CATHERINE); with two keys
-- they are two names (ANTONIO, ANTONIA), see compare.sql.
CREATE OR REPLACE TEMP MACRO rk_spell_key(n) AS
    replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(
        translate(replace(n, 'PH', 'F'), 'CQZYVH', 'KKSIF'),
        'LL', 'L'), 'NN', 'N'), 'TT', 'T'), 'SS', 'S'), 'RR', 'R'), 'MM', 'M'),
        'PP', 'P'), 'FF', 'F'), 'DD', 'D'), 'KK', 'K'), 'BB', 'B'), 'GG', 'G'),
        'EE', 'E'), 'II', 'I'), 'AA', 'A'), 'OO', 'O');

CREATE OR REPLACE TEMP MACRO rk_zip5(z) AS
    nullif(regexp_extract(coalesce(z, ''), '(\d{5})', 1), '');

CREATE OR REPLACE TEMP MACRO rk_city(c) AS
    nullif(rk_clean(c), '');
