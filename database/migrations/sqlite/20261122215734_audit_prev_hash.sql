-- Create index "auditevent_prev_hash" to table: "audit_events"
CREATE INDEX `auditevent_prev_hash` ON `audit_events` (`prev_hash`);
