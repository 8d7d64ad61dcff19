DROP TABLE blocked_actors;
