-- People who use the panel, the API and the CLI; tokens authenticate API calls.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);

-- News, calls and events of local accounts. Call and event fields are empty for the
-- other kinds. Local date-times are kept as entered, with their IANA time zone; the
-- *_utc columns are the same instants in UTC, for sorting and filtering.
CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    language TEXT NOT NULL,
    image_url TEXT,
    image_alt TEXT,
    call_kind TEXT,
    timezone TEXT,
    deadline_local TEXT,
    deadline_utc TIMESTAMP,
    eligibility TEXT,
    apply_url TEXT,
    start_local TEXT,
    start_utc TIMESTAMP,
    end_local TEXT,
    end_utc TIMESTAMP,
    location_name TEXT,
    location_street TEXT,
    location_postal_code TEXT,
    location_locality TEXT,
    location_region TEXT,
    location_country TEXT,
    location_latitude REAL,
    location_longitude REAL,
    online_url TEXT,
    registration_url TEXT,
    event_status TEXT,
    published TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX posts_kind ON posts (kind, deleted_at, published);
CREATE INDEX posts_deadline ON posts (kind, deadline_utc);
CREATE INDEX posts_start ON posts (kind, start_utc);

CREATE TABLE post_translations (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    PRIMARY KEY (post_id, language)
);

CREATE TABLE post_topics (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (post_id, topic)
);
CREATE INDEX post_topics_topic ON post_topics (topic);
