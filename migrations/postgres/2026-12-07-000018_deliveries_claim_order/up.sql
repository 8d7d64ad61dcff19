-- Claims take due deliveries in (next_attempt_at, id) order: with id in the index they are
-- read in that order and the scan stops at the LIMIT, instead of sorting every delivery
-- due at the same instant (a fan-out queues thousands at once). SQLite's indexes end with
-- the rowid already. The new index is built before the old one goes, so that the table is
-- locked against reads only for the drop.
CREATE INDEX deliveries_due_ordered ON deliveries (state, next_attempt_at, id);
DROP INDEX deliveries_due;
ALTER INDEX deliveries_due_ordered RENAME TO deliveries_due;
