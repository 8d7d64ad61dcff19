-- Remote actors blocked by moderators: their activities are refused, nothing of theirs is
-- fetched or shown.
CREATE TABLE blocked_actors (
    ap_id TEXT PRIMARY KEY,
    comment TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
