-- Account migration (Mastodon's): the other accounts an actor says it also is, and the
-- account it moved to.
ALTER TABLE actors ADD COLUMN also_known_as TEXT NOT NULL DEFAULT '[]';
ALTER TABLE actors ADD COLUMN moved_to TEXT;
