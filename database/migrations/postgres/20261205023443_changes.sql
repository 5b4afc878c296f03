-- Modify "alerts" table
ALTER TABLE "alerts" ADD COLUMN "residence_path" character varying NOT NULL DEFAULT '' COLLATE "C";
-- Create index "alert_residence_path_raised_at" to table: "alerts"
CREATE INDEX "alert_residence_path_raised_at" ON "alerts" ("residence_path", "raised_at");
-- Modify "persons" table
ALTER TABLE "persons" ADD COLUMN "address_sealed" bytea NULL, ADD COLUMN "address_masked" character varying NULL;
