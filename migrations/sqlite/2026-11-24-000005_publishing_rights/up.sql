-- The accounts an editor may publish as (admins may publish as every account).
CREATE TABLE user_accounts (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, account_id)
);
-- API tokens may expire.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
