-- Remote images (avatars, headers, attachments) kept under the data folder and served from
-- our own origin, so that a reader's browser never contacts another server.
CREATE TABLE media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    remote_url TEXT NOT NULL UNIQUE,
    -- pending (not fetched, or evicted), stored, refused (too large, not an image, gone)
    state TEXT NOT NULL,
    sha256 TEXT,
    content_type TEXT,
    -- The original and its thumbnail together.
    size_bytes BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    error TEXT,
    -- After a failure that may pass (5xx, timeout), not fetched again before this.
    retry_after TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    last_access TIMESTAMP NOT NULL
);
CREATE INDEX media_lru ON media (state, last_access);
