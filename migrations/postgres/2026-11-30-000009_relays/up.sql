-- Relays this instance subscribes to: Mastodon-style (the instance actor follows Public at
-- the relay's inbox) or LitePub-style (it follows the relay's actor).
CREATE TABLE relays (
    id BIGSERIAL PRIMARY KEY,
    -- Where our Follow and our public posts go.
    inbox TEXT NOT NULL UNIQUE,
    -- The relay's actor: known from the start (LitePub) or from its Accept (Mastodon).
    actor TEXT,
    -- mastodon or litepub
    kind TEXT NOT NULL,
    -- pending, accepted or rejected
    state TEXT NOT NULL,
    follow_activity_id TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX relays_actor ON relays (actor);
