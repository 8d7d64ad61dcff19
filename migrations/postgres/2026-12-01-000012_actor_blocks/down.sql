DROP TABLE removed_posts;
DROP TABLE blocked_actors;
