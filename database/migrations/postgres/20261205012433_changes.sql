-- Modify "scans" table
ALTER TABLE "scans" ADD COLUMN "presence" character varying NULL, ADD COLUMN "identity_captured" boolean NOT NULL DEFAULT false, ADD COLUMN "identity_sealed" bytea NULL, ADD COLUMN "review_reasons" jsonb NULL;
-- Create index "scan_account_id_presence_server_time" to table: "scans"
CREATE INDEX "scan_account_id_presence_server_time" ON "scans" ("account_id", "presence", "server_time");
