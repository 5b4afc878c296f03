-- Drop index "auditevent_prev_hash" from table: "audit_events"
DROP INDEX "auditevent_prev_hash";
-- Modify "audit_events" table
ALTER TABLE "audit_events" ADD COLUMN "outcome" character varying NOT NULL DEFAULT 'SUCCEEDED', ADD COLUMN "error_code" character varying NOT NULL DEFAULT '', ADD COLUMN "seq" bigint NULL;
-- Create index "auditevent_seq" to table: "audit_events"
CREATE UNIQUE INDEX "auditevent_seq" ON "audit_events" ("seq");
