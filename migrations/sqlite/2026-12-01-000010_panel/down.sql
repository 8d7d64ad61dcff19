DROP TABLE audit_log;
ALTER TABLE users DROP COLUMN disabled_at;
DROP TABLE login_failures;
DROP TABLE sessions;
