-- Modify "scans" table
ALTER TABLE "scans" ADD COLUMN "device_accuracy" double precision NULL, ADD COLUMN "far_fix" boolean NOT NULL DEFAULT false;
