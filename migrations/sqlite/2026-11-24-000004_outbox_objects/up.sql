-- The post (or other object) an outgoing activity is about, so that deleting the post
-- withdraws its earlier Create and Update from the outbox and from the queue.
ALTER TABLE outgoing_activities ADD COLUMN object_id TEXT;
CREATE INDEX outgoing_activities_object ON outgoing_activities (object_id);
