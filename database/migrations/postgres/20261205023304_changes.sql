-- Modify "sites" table
ALTER TABLE "sites" ADD COLUMN "self_scan_needs_temperature" boolean NOT NULL DEFAULT false;
