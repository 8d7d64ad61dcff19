-- The shared timeline: remote posts keep their kind, content warning, reply target and
-- details (translations, call and event fields, tags, attachments, poll), and one read
-- model lists local and remote items with the columns every filter needs.
ALTER TABLE remote_posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'note';
ALTER TABLE remote_posts ADD COLUMN sensitive BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE remote_posts ADD COLUMN in_reply_to TEXT;
-- JSON, built from cleaned values only.
ALTER TABLE remote_posts ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
CREATE INDEX remote_posts_replies ON remote_posts (in_reply_to);
UPDATE remote_posts SET kind = 'news' WHERE object_type IN ('Article', 'Page');
UPDATE remote_posts SET kind = 'event' WHERE object_type = 'Event';
-- A note's summary is a content warning (Mastodon's convention).
UPDATE remote_posts SET sensitive = 1 WHERE kind = 'note' AND summary <> '';

-- One row per item shown in the timeline: a local post, a remote post, or a boost.
CREATE TABLE timeline_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 'local:ID', 'remote:ID' or 'boost:ANNOUNCE_ID': one entry per item.
    entry_key TEXT NOT NULL UNIQUE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    remote_post_id BIGINT REFERENCES remote_posts (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    boosted_by BIGINT REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    language TEXT,
    domain TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    published TIMESTAMP NOT NULL,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    deadline_at TIMESTAMP
);
CREATE INDEX timeline_newest ON timeline_entries (published, id);
CREATE INDEX timeline_by_kind ON timeline_entries (kind, published, id);
CREATE INDEX timeline_by_domain ON timeline_entries (domain, published, id);
CREATE INDEX timeline_by_language ON timeline_entries (language, published, id);
CREATE INDEX timeline_by_author ON timeline_entries (author_id, published, id);
CREATE INDEX timeline_by_origin ON timeline_entries (local, published, id);
CREATE INDEX timeline_events ON timeline_entries (kind, ends_at, starts_at);
CREATE INDEX timeline_calls ON timeline_entries (kind, deadline_at);
CREATE INDEX timeline_post ON timeline_entries (post_id);
CREATE INDEX timeline_remote_post ON timeline_entries (remote_post_id);
CREATE INDEX timeline_booster ON timeline_entries (boosted_by);

CREATE TABLE timeline_topics (
    entry_id BIGINT NOT NULL REFERENCES timeline_entries (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (topic, entry_id)
);
CREATE INDEX timeline_topics_entry ON timeline_topics (entry_id);

-- Likes and boosts of posts (ours and others'), by their activity id for Undo.
CREATE TABLE reactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    object_ap_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reactions_object ON reactions (object_ap_id, kind);

INSERT INTO change_counters (name, value) VALUES ('timeline', 0);

-- Existing posts enter the timeline.
INSERT INTO timeline_entries (entry_key, post_id, author_id, kind, language, domain, local,
                              published, starts_at, ends_at, deadline_at)
SELECT 'local:' || p.id, p.id, p.account_id, p.kind, p.language, a.domain, 1,
       p.published, p.start_utc, p.end_utc, p.deadline_utc
FROM posts p JOIN actors a ON a.id = p.account_id
WHERE p.deleted_at IS NULL;
INSERT INTO timeline_entries (entry_key, remote_post_id, author_id, kind, language, domain,
                              local, published)
SELECT 'remote:' || r.id, r.id, r.actor_id, r.kind, r.language, a.domain, 0, r.published
FROM remote_posts r JOIN actors a ON a.id = r.actor_id
WHERE r.deleted_at IS NULL;
INSERT INTO timeline_topics (entry_id, topic)
SELECT e.id, t.topic FROM timeline_entries e JOIN post_topics t ON t.post_id = e.post_id;
