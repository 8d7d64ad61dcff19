DROP TABLE instance_settings;
DROP TABLE allowed_domains;
ALTER TABLE domain_blocks DROP COLUMN obfuscate;
ALTER TABLE domain_blocks DROP COLUMN public_comment;
ALTER TABLE domain_blocks DROP COLUMN reject_reports;
ALTER TABLE domain_blocks DROP COLUMN reject_media;
ALTER TABLE domain_blocks DROP COLUMN severity;
