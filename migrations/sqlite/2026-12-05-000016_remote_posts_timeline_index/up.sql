-- The index on (deleted_at, published) served the first timeline, which timeline_entries
-- replaced. No query needs it now, and SQLite chose it for `deleted_at IS NULL` beside a
-- lookup by id or by reply target, walking every live post instead (a timeline page took
-- 9 ms with 100,000 posts); it also cost a write in every stored post.
DROP INDEX remote_posts_timeline;
