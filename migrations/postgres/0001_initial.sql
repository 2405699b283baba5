-- Stocklens schema, Postgres dialect. The SQLite twin is ../sqlite/0001_initial.sql: keep the
-- two in step (same tables, columns, constraints and indexes; only types and identity differ).
--
-- Conventions: timestamps are Unix milliseconds (BIGINT) taken from the store's clock, so both
-- backends compare them the same way and tests can move time; money is integer micros, never a
-- float; JSON is stored as TEXT and only the application reads it.

-- Plans and their quotas, editable by the operator.
CREATE TABLE plans (
    name          TEXT PRIMARY KEY,
    -- Analyses allowed in any window of `period_days` days.
    analyses      INTEGER NOT NULL CHECK (analyses >= 0),
    period_days   INTEGER NOT NULL CHECK (period_days > 0),
    -- How long a grant of this plan lasts (NULL: until the operator changes it).
    duration_days INTEGER CHECK (duration_days IS NULL OR duration_days > 0),
    updated_at    BIGINT NOT NULL
);

INSERT INTO plans (name, analyses, period_days, duration_days, updated_at) VALUES
    ('FREE', 0, 30, NULL, 0),
    ('TEST_PRO', 1, 14, 14, 0),
    ('PRO', 1, 30, NULL, 0),
    ('ULTRA', 2, 30, NULL, 0);

CREATE TABLE users (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    telegram_id BIGINT NOT NULL UNIQUE,
    language    TEXT NOT NULL,
    plan        TEXT NOT NULL REFERENCES plans (name) ON UPDATE CASCADE,
    -- When the plan lapses back to FREE (NULL: never).
    plan_until  BIGINT,
    -- Banned by the operator.
    blocked     BOOLEAN NOT NULL DEFAULT FALSE,
    admin       BOOLEAN NOT NULL DEFAULT FALSE,
    -- False once the contributor has blocked the bot; true again when they come back.
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE uploads (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       BIGINT NOT NULL CHECK (size >= 0),
    bytes      BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX uploads_by_user ON uploads (user_id, created_at);
CREATE INDEX uploads_by_hash ON uploads (user_id, sha256);

CREATE TABLE analyses (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    answers      TEXT NOT NULL,
    filters      TEXT NOT NULL,
    error_kind   TEXT,
    error_detail TEXT,
    created_at   BIGINT NOT NULL,
    started_at   BIGINT,
    finished_at  BIGINT,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX analyses_by_user ON analyses (user_id, created_at);

CREATE TABLE analysis_uploads (
    analysis_id BIGINT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
    upload_id   BIGINT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (analysis_id, upload_id)
);
CREATE INDEX analysis_uploads_by_upload ON analysis_uploads (upload_id);

-- One entry per analysis: reserved when requested, then consumed (report delivered) or released
-- (analysis failed). Reserved and consumed entries count against the plan.
CREATE TABLE quota_ledger (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    analysis_id BIGINT NOT NULL UNIQUE REFERENCES analyses (id) ON DELETE CASCADE,
    plan        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('reserved', 'consumed', 'released')),
    reserved_at BIGINT NOT NULL,
    settled_at  BIGINT
);
CREATE INDEX quota_ledger_by_user ON quota_ledger (user_id, reserved_at);

CREATE TABLE jobs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'dead')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
    run_at      BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- The claim looks only at these two small partial indexes, however many finished jobs pile up.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_by_state ON jobs (state, updated_at);

-- Normalized sales history. `time` and `license` are '' when unknown so that the natural key
-- below can be UNIQUE (NULLs never conflict); `ordinal` numbers truly identical rows within one
-- upload, so two identical sales on one day are both kept while a re-upload adds nothing.
CREATE TABLE sales (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    upload_id       BIGINT REFERENCES uploads (id) ON DELETE SET NULL,
    marketplace     TEXT NOT NULL,
    asset_id        TEXT NOT NULL,
    date            TEXT NOT NULL CHECK (date ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'),
    time            TEXT NOT NULL DEFAULT '',
    title           TEXT,
    file_name       TEXT,
    media           TEXT NOT NULL,
    license         TEXT NOT NULL DEFAULT '',
    units           INTEGER NOT NULL,
    earnings_micros BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    country         TEXT,
    ordinal         INTEGER NOT NULL CHECK (ordinal >= 0),
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX sales_natural_key ON sales
    (user_id, marketplace, asset_id, date, time, license, units, earnings_micros, currency, ordinal);
CREATE INDEX sales_by_user_date ON sales (user_id, date);
-- Deleting an upload sets its sales' upload_id to NULL; without this it would scan the history.
CREATE INDEX sales_by_upload ON sales (upload_id);

CREATE TABLE reports (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    analysis_id     BIGINT NOT NULL UNIQUE REFERENCES analyses (id) ON DELETE CASCADE,
    html            TEXT NOT NULL,
    summary         TEXT NOT NULL,
    plugin_versions TEXT NOT NULL,
    token           TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT,
    delivered_at    BIGINT
);

CREATE TABLE plugins (
    id           TEXT NOT NULL,
    version      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    sha256       TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
    installed_by TEXT,
    installed_at BIGINT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE dialogue_states (
    chat_id    BIGINT PRIMARY KEY,
    state      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX dialogue_states_by_expiry ON dialogue_states (expires_at);
