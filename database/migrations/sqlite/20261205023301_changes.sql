-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_sites" table
CREATE TABLE `new_sites` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `category` text NOT NULL, `sector` text NOT NULL DEFAULT ('OTHER'), `address` text NOT NULL DEFAULT (''), `latitude` real NULL, `longitude` real NULL, `geofence_radius` integer NOT NULL DEFAULT (200), `built` bool NOT NULL DEFAULT (false), `enabled` bool NOT NULL DEFAULT (false), `self_scan_needs_temperature` bool NOT NULL DEFAULT (false), `path` text NOT NULL, `region_id` integer NOT NULL, `parent_id` integer NULL, `unit_id` integer NULL, CONSTRAINT `sites_regions_sites` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION, CONSTRAINT `sites_sites_children` FOREIGN KEY (`parent_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL, CONSTRAINT `sites_units_sites` FOREIGN KEY (`unit_id`) REFERENCES `units` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_sites" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_sites", 4294967296);
-- Copy rows from old table "sites" to new temporary table "new_sites"
INSERT INTO `new_sites` (`id`, `created_at`, `updated_at`, `name`, `category`, `sector`, `address`, `latitude`, `longitude`, `geofence_radius`, `built`, `enabled`, `path`, `region_id`, `parent_id`, `unit_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `category`, `sector`, `address`, `latitude`, `longitude`, `geofence_radius`, `built`, `enabled`, `path`, `region_id`, `parent_id`, `unit_id` FROM `sites`;
-- Drop "sites" table after copying rows
DROP TABLE `sites`;
-- Rename temporary table "new_sites" to "sites"
ALTER TABLE `new_sites` RENAME TO `sites`;
-- Create index "sites_path_key" to table: "sites"
CREATE UNIQUE INDEX `sites_path_key` ON `sites` (`path`);
-- Create index "site_region_id" to table: "sites"
CREATE INDEX `site_region_id` ON `sites` (`region_id`);
-- Create index "site_parent_id" to table: "sites"
CREATE INDEX `site_parent_id` ON `sites` (`parent_id`);
-- Create index "site_unit_id" to table: "sites"
CREATE INDEX `site_unit_id` ON `sites` (`unit_id`);
-- Create index "site_category" to table: "sites"
CREATE INDEX `site_category` ON `sites` (`category`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
