-- Replies under our posts that their publishers hid: kept, not shown. By the reply's id,
-- apart from the posts (an Update rewrites the row; retention prunes it).
CREATE TABLE hidden_replies (
    ap_id TEXT PRIMARY KEY,
    hidden_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Reports: Flags other servers sent us, and those our moderators made (forwarded to the
-- reported actor's server as a Flag when they chose to).
CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    -- The Flag's id: what makes a delivered report arrive once.
    activity_id TEXT NOT NULL UNIQUE,
    incoming BOOLEAN NOT NULL,
    -- The actor who sent it, or the staff member who made it.
    reporter TEXT NOT NULL,
    target_actor TEXT NOT NULL,
    -- The reported posts' ids, as a JSON array.
    objects TEXT NOT NULL,
    comment TEXT NOT NULL,
    forwarded BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by TEXT,
    resolution TEXT NOT NULL
);
CREATE INDEX reports_open ON reports (resolved_at, id);
