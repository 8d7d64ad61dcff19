DELETE FROM change_counters WHERE name = 'timeline';
DROP TABLE reactions;
DROP TABLE timeline_topics;
DROP TABLE timeline_entries;
DROP INDEX remote_posts_replies;
ALTER TABLE remote_posts DROP COLUMN details;
ALTER TABLE remote_posts DROP COLUMN in_reply_to;
ALTER TABLE remote_posts DROP COLUMN sensitive;
ALTER TABLE remote_posts DROP COLUMN kind;
