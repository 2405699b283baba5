-- Installed plugins become a registry every process follows (issue 8).

-- The stored components. `state` moves to `plugin_changes`, which keeps the whole history;
-- `jobs` and `failures` count the analyses each version took part in and failed, for the
-- automatic rollback. No version was ever installed before this migration (nothing wrote the
-- table), but its rows are carried over all the same.
CREATE TABLE plugins_v2 (
    id           TEXT NOT NULL,
    version      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('parser', 'analyzer')),
    bytes        BYTEA NOT NULL,
    sha256       TEXT NOT NULL,
    wit_version  TEXT NOT NULL,
    installed_by TEXT,
    installed_at BIGINT NOT NULL,
    jobs         BIGINT NOT NULL DEFAULT 0,
    failures     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (id, version)
);
INSERT INTO plugins_v2 (id, version, kind, bytes, sha256, wit_version, installed_by, installed_at)
    SELECT id, version, kind, bytes, sha256, '1.0.0', installed_by, installed_at FROM plugins;
DROP TABLE plugins;
ALTER TABLE plugins_v2 RENAME TO plugins;

-- Every activation, disabling and rollback, per plugin id, as a chain: the newest row of an id
-- says what runs (an installed version, the built-in one, or nothing). `parent` is the row it was
-- made on (0 for an id's first), and UNIQUE (id, parent) makes two concurrent changes of one id
-- conflict instead of both applying. `back` is where a rollback of this row returns to (0: the
-- built-in). The largest `seq` is the registry's generation, which processes poll.
CREATE TABLE plugin_changes (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         TEXT NOT NULL,
    parent     BIGINT NOT NULL,
    back       BIGINT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('active', 'builtin', 'disabled')),
    version    TEXT,
    action     TEXT NOT NULL CHECK (action IN ('activate', 'disable', 'rollback', 'auto-rollback')),
    reason     TEXT,
    changed_by TEXT,
    changed_at BIGINT NOT NULL,
    UNIQUE (id, parent),
    CHECK ((state = 'active') = (version IS NOT NULL))
);

-- When the running attempt was claimed: which plugin versions a job ran with is decided then.
ALTER TABLE jobs ADD COLUMN started_at BIGINT;

-- Which registry generation a report's job ran with: with the history above, exactly which
-- activation was in force for it.
ALTER TABLE reports ADD COLUMN plugin_generation BIGINT;
