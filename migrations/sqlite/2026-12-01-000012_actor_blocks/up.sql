-- Remote actors blocked by moderators: their activities are refused, nothing of theirs is
-- fetched or shown.
CREATE TABLE blocked_actors (
    ap_id TEXT PRIMARY KEY,
    comment TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Remote posts removed by moderators, by id: never stored again, whoever brings them back
-- (kept apart from the posts, which retention prunes).
CREATE TABLE removed_posts (
    ap_id TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL
);
