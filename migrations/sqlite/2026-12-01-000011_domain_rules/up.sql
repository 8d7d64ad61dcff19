-- Domain rules as Mastodon has them: a severity (suspend, silence, or noop for a media
-- rule alone), media and reports refused or not, a public and a private comment (the
-- existing reason), obfuscated in exports or not.
ALTER TABLE domain_blocks ADD COLUMN severity TEXT NOT NULL DEFAULT 'suspend';
ALTER TABLE domain_blocks ADD COLUMN reject_media BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE domain_blocks ADD COLUMN reject_reports BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE domain_blocks ADD COLUMN public_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE domain_blocks ADD COLUMN obfuscate BOOLEAN NOT NULL DEFAULT 0;

-- In allowlist mode, the only domains we federate with.
CREATE TABLE allowed_domains (
    domain TEXT PRIMARY KEY,
    comment TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Settings staff change in the panel (the federation mode, …), by name.
CREATE TABLE instance_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
