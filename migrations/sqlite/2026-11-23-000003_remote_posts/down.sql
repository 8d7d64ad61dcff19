DROP TABLE remote_posts;
