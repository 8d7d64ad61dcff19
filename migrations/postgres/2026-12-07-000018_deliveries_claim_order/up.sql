-- Claims take due deliveries in (next_attempt_at, id) order: with id in the index they are
-- read in that order and the scan stops at the LIMIT, instead of sorting every delivery
-- due at the same instant (a fan-out queues thousands at once). SQLite's indexes end with
-- the rowid already.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at, id);
