-- Counts changes to posts, bumped in the transaction of each change: what a cached
-- rendering of posts (the calendar) is valid for.
CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO change_counters (name, value) VALUES ('posts', 0);
