CREATE INDEX deliveries_due_unordered ON deliveries (state, next_attempt_at);
DROP INDEX deliveries_due;
ALTER INDEX deliveries_due_unordered RENAME TO deliveries_due;
