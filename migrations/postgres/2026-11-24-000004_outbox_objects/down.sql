DROP INDEX outgoing_activities_object;
ALTER TABLE outgoing_activities DROP COLUMN object_id;
