DROP INDEX actors_username;
