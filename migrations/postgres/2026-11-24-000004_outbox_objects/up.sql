-- The post (or other object) an outgoing activity is about, so that deleting the post
-- withdraws its earlier Create and Update from the outbox and from the queue.
ALTER TABLE outgoing_activities ADD COLUMN object_id TEXT;
CREATE INDEX outgoing_activities_object ON outgoing_activities (object_id);
-- Activities sent before this column existed: their object's id, from the payload.
UPDATE outgoing_activities SET object_id = (payload::json -> 'object' ->> 'id')
    WHERE kind IN ('Create', 'Update', 'Delete');
-- Posts already deleted: their earlier activities leave the outbox now.
UPDATE outgoing_activities SET public = FALSE, payload = '{}'
    WHERE kind IN ('Create', 'Update')
    AND object_id IN (SELECT object_id FROM outgoing_activities WHERE kind = 'Delete');
