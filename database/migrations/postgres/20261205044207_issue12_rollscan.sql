-- Modify "scans" table
ALTER TABLE "scans" ADD COLUMN "category" character varying NULL;
