-- With the query planner stability guarantee (.cargo/config.toml), the partial index
-- actors_local_username (WHERE local = 1) is not used by `local = ?`: a plain index on
-- the username keeps account lookups off a full scan of every actor ever seen.
CREATE INDEX actors_username ON actors (username);
