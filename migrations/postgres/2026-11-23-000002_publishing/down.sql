DROP TABLE post_topics;
DROP TABLE post_translations;
DROP TABLE posts;
DROP TABLE api_tokens;
DROP TABLE users;
