-- recallkit workspace schema, migration 1.
-- One DuckDB file per petition. Column names follow docs/formats (shared data-formats spec).
-- Real-world ids only: voter_id from the county, line_id = section_id:page:line.

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL
);

-- The petition itself: one row.
CREATE TABLE petition (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    rules               VARCHAR NOT NULL,          -- rule pack id or path
    jurisdiction        VARCHAR NOT NULL,
    office              VARCHAR NOT NULL,
    officer             VARCHAR NOT NULL,
    office_kind         VARCHAR,                   -- ca-state: statewide|legislative|judicial
    measure             BIGINT NOT NULL,           -- registered voters (local) or last vote (state)
    required            BIGINT NOT NULL,           -- valid signatures needed
    format_approved     DATE NOT NULL,
    circulation_deadline DATE NOT NULL,
    filed               DATE,                      -- date all sections were filed (local)
    counties            VARCHAR[] NOT NULL,        -- counties the jurisdiction covers
    stage               VARCHAR NOT NULL DEFAULT 'intake',  -- intake|sampled|verifying|certified
    created_at          TIMESTAMP NOT NULL,
    plan_json           JSON                       -- the timeline computed at init (deadlines, cites)
);

CREATE TABLE voters (
    voter_id             VARCHAR PRIMARY KEY,
    first_name           VARCHAR,
    middle_name          VARCHAR,
    last_name            VARCHAR,
    name_suffix          VARCHAR,
    residence_address    VARCHAR,                  -- one line, built from parts for split files
    house_number         VARCHAR,
    house_fraction       VARCHAR,
    street_predirection  VARCHAR,
    street_name          VARCHAR,
    street_type          VARCHAR,
    street_postdirection VARCHAR,
    unit_type            VARCHAR,
    unit_number          VARCHAR,
    city                 VARCHAR,
    zip                  VARCHAR,                  -- 5 digits
    county               VARCHAR,
    registration_date    DATE,
    status               VARCHAR,                  -- active|inactive|cancelled
    status_date          DATE,
    birth_year           INTEGER,
    party                VARCHAR,
    precinct             VARCHAR,
    mailing_address      VARCHAR,
    phone                VARCHAR,
    signature_image      VARCHAR,
    extra                JSON,                     -- columns not in the canonical layout
    source_row           BIGINT                    -- row number in the imported file
);

CREATE TABLE voter_history (
    voter_id          VARCHAR NOT NULL,
    residence_address VARCHAR,
    city              VARCHAR,
    zip               VARCHAR,
    county            VARCHAR,
    status            VARCHAR,
    valid_from        DATE,
    valid_to          DATE,
    extra             JSON,
    source_row        BIGINT
);

CREATE TABLE sections (
    section_id          VARCHAR PRIMARY KEY,       -- trimmed, upper case
    county              VARCHAR NOT NULL,
    pages               INTEGER NOT NULL,
    signature_lines     INTEGER NOT NULL,
    lines_per_page      INTEGER,
    circulator_name     VARCHAR,
    circulator_address  VARCHAR,
    declaration_signed  BOOLEAN NOT NULL,
    circulated_from     DATE,
    circulated_to       DATE,
    date_filed          DATE NOT NULL,
    defects             VARCHAR[],                 -- section-level reason codes
    batch               INTEGER NOT NULL DEFAULT 1,-- filing batch (state recalls file over time)
    extra               JSON,
    source_row          BIGINT
);

CREATE TABLE signatures (
    line_id           VARCHAR PRIMARY KEY,         -- section_id:page:line
    section_id        VARCHAR NOT NULL,
    page              INTEGER NOT NULL,
    line              INTEGER NOT NULL,
    printed_name      VARCHAR,
    residence_address VARCHAR,
    city              VARCHAR,
    zip               VARCHAR,
    has_signature     BOOLEAN NOT NULL,
    signature_image   VARCHAR,
    struck            BOOLEAN NOT NULL DEFAULT FALSE,
    notes             VARCHAR,
    extra             JSON,
    source_row        BIGINT
);

CREATE TABLE withdrawals (
    withdrawal_id     INTEGER PRIMARY KEY,
    printed_name      VARCHAR NOT NULL,
    residence_address VARCHAR,
    city              VARCHAR,
    zip               VARCHAR,
    date_received     DATE NOT NULL,
    signature_image   VARCHAR,
    notes             VARCHAR,
    extra             JSON,
    source_row        BIGINT
);

CREATE TABLE county_votes (
    county VARCHAR PRIMARY KEY,
    votes  BIGINT NOT NULL
);

-- Every import: what came in, and how it went (read = accepted + rejected).
CREATE TABLE imports (
    import_id     INTEGER PRIMARY KEY,
    kind          VARCHAR NOT NULL,               -- voters|sections|signatures|withdrawals|voter_history|county_votes
    file_name     VARCHAR NOT NULL,
    file_sha256   VARCHAR NOT NULL,
    profile       VARCHAR,
    read          BIGINT NOT NULL,
    accepted      BIGINT NOT NULL,
    rejected      BIGINT NOT NULL,
    rejects_file  VARCHAR,
    replaced      BOOLEAN NOT NULL DEFAULT FALSE,
    imported_at   TIMESTAMP NOT NULL,
    actor         VARCHAR NOT NULL
);

-- The public seed and every draw. The seed is recorded (and locked) before any draw.
CREATE TABLE sample_draws (
    draw_id     INTEGER PRIMARY KEY,
    seed        VARCHAR NOT NULL,
    seed_sha256 VARCHAR NOT NULL,
    universe    BIGINT NOT NULL,                  -- lines in the raw count when drawn
    size        BIGINT NOT NULL,                  -- cumulative sample size after this draw
    drawn_at    TIMESTAMP NOT NULL,
    actor       VARCHAR NOT NULL
);

CREATE TABLE sample (
    line_id   VARCHAR PRIMARY KEY,
    position  BIGINT NOT NULL,                    -- 1-based rank in the consistent order
    ticket    VARCHAR NOT NULL,                   -- 64 hex chars
    draw_id   INTEGER NOT NULL
);

-- A run of the matcher: its parameters and learned weights, kept with the results.
CREATE TABLE match_runs (
    run_id      INTEGER PRIMARY KEY,
    mode        VARCHAR NOT NULL,                 -- sample|full|batch
    params      JSON NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    lines       BIGINT
);

-- Candidate voters per examined line with score components (evidence for reviewers).
CREATE TABLE match_candidates (
    run_id      INTEGER NOT NULL,
    line_id     VARCHAR NOT NULL,
    voter_id    VARCHAR NOT NULL,
    rank        INTEGER NOT NULL,
    score       DOUBLE NOT NULL,
    components  JSON NOT NULL
);

-- Append-only: a correction is a new row that supersedes an earlier one.
CREATE SEQUENCE determination_seq START 1;
CREATE TABLE determinations (
    determination_id BIGINT PRIMARY KEY DEFAULT nextval('determination_seq'),
    line_id          VARCHAR NOT NULL,
    determination    VARCHAR NOT NULL CHECK (determination IN ('valid', 'invalid')),
    reason           VARCHAR,                     -- reason code when invalid
    voter_id         VARCHAR,                     -- matched voter, if any
    decided_by       VARCHAR NOT NULL,            -- 'engine:<run_id>' or 'reviewer:<user>'
    score            DOUBLE,
    evidence         JSON,                        -- other reasons, score components, notes
    supersedes       BIGINT,                      -- determination_id this one corrects
    decided_at       TIMESTAMP NOT NULL,
    mode             VARCHAR NOT NULL             -- sample|full
);

-- The current determination of each line (latest not superseded).
CREATE VIEW current_determinations AS
SELECT d.* FROM determinations d
WHERE NOT EXISTS (SELECT 1 FROM determinations n WHERE n.supersedes = d.determination_id);

-- Lines waiting for a person. A lease keeps two reviewers off the same line.
CREATE TABLE review_queue (
    line_id        VARCHAR PRIMARY KEY,
    mode           VARCHAR NOT NULL,
    reason_hint    VARCHAR,                       -- the engine's suggestion
    priority       DOUBLE NOT NULL DEFAULT 0,
    status         VARCHAR NOT NULL DEFAULT 'open', -- open|leased|decided
    lease_holder   VARCHAR,
    lease_expires  TIMESTAMP,
    determination_id BIGINT,
    queued_at      TIMESTAMP NOT NULL
);

-- Hash-chained, append-only audit log.
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    "at"         TIMESTAMP NOT NULL,       -- quoted: AT is a keyword in DuckDB 2
    actor        VARCHAR NOT NULL,
    action       VARCHAR NOT NULL,
    params       JSON NOT NULL,
    input_hashes JSON NOT NULL,
    prev_hash    VARCHAR NOT NULL,
    hash         VARCHAR NOT NULL
);

-- Web accounts (argon2 hashes only).
CREATE TABLE users (
    username      VARCHAR PRIMARY KEY,
    role          VARCHAR NOT NULL CHECK (role IN ('admin', 'supervisor', 'reviewer', 'observer')),
    password_hash VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE
);
