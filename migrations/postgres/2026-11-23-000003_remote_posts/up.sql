-- Posts received from followed actors on other instances, cleaned when they arrived.
CREATE TABLE remote_posts (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    object_type TEXT NOT NULL,
    name TEXT NOT NULL,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    language TEXT,
    url TEXT,
    start_time TEXT,
    end_time TEXT,
    published TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX remote_posts_timeline ON remote_posts (deleted_at, published);
