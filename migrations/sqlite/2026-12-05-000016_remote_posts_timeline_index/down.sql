CREATE INDEX remote_posts_timeline ON remote_posts (deleted_at, published);
