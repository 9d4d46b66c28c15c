-- The voters' blocking keys: they depend on the voter file alone, so a second match on
-- the same connection (withdrawals after the petition) reuses them.
-- Surname token x first name: the voter side keeps its own first name, the entry side
-- expands to its nickname roots (BOB -> ROBERT), so the big side does not multiply.
-- Compound surnames give one key per token, so GARCIA meets GARCIA LOPEZ.
-- (house: blocking.sql tells a key found at the written house number apart)
CREATE OR REPLACE TEMP TABLE rk_vkey AS
SELECT vid, unnest(last_toks) AS tok, first AS root, zip, house FROM {V}
WHERE first IS NOT NULL;

-- how many voters share each key
CREATE OR REPLACE TEMP TABLE rk_vkey_n AS
SELECT tok, root, count(*) AS n FROM rk_vkey GROUP BY ALL;
