-- Policies saved through the admin API, every version kept: who saved it and when, and the text as
-- the admin wrote it (the same YAML as a policy file). The newest version of a name is in force; a
-- name without rows here comes from its file in rooms.policy_dir alone. Holds no client data.
CREATE TABLE policy_versions (
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  source     TEXT NOT NULL,
  saved_by   TEXT NOT NULL,
  saved_at   BIGINT NOT NULL,
  PRIMARY KEY (name, version)
);
