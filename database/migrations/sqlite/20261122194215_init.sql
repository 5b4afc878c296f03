-- Create "regions" table
CREATE TABLE `regions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `level` text NOT NULL, `path` text NOT NULL, `population` integer NULL, `registration_target` integer NULL, `child_count` integer NOT NULL DEFAULT (0), `site_count` integer NOT NULL DEFAULT (0), `parent_id` integer NULL, CONSTRAINT `regions_regions_children` FOREIGN KEY (`parent_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Create index "regions_code_key" to table: "regions"
CREATE UNIQUE INDEX `regions_code_key` ON `regions` (`code`);
-- Create index "regions_path_key" to table: "regions"
CREATE UNIQUE INDEX `regions_path_key` ON `regions` (`path`);
-- Create index "region_parent_id" to table: "regions"
CREATE INDEX `region_parent_id` ON `regions` (`parent_id`);
-- Create index "region_level_code" to table: "regions"
CREATE INDEX `region_level_code` ON `regions` (`level`, `code`);
-- Create "sites" table
CREATE TABLE `sites` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `category` text NOT NULL, `sector` text NOT NULL DEFAULT ('OTHER'), `address` text NOT NULL DEFAULT (''), `latitude` real NULL, `longitude` real NULL, `geofence_radius` integer NOT NULL DEFAULT (200), `built` bool NOT NULL DEFAULT (false), `enabled` bool NOT NULL DEFAULT (false), `path` text NOT NULL, `region_id` integer NOT NULL, `parent_id` integer NULL, `unit_id` integer NULL, CONSTRAINT `sites_regions_sites` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION, CONSTRAINT `sites_sites_children` FOREIGN KEY (`parent_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL, CONSTRAINT `sites_units_sites` FOREIGN KEY (`unit_id`) REFERENCES `units` (`id`) ON DELETE SET NULL);
-- Set sequence for "sites" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sites", 4294967296);
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
-- Create "units" table
CREATE TABLE `units` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `uscc` text NOT NULL, `sector` text NOT NULL DEFAULT ('OTHER'), `region_path` text NOT NULL, `region_id` integer NOT NULL, CONSTRAINT `units_regions_units` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Set sequence for "units" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("units", 8589934592);
-- Create index "units_uscc_key" to table: "units"
CREATE UNIQUE INDEX `units_uscc_key` ON `units` (`uscc`);
-- Create index "unit_region_path" to table: "units"
CREATE INDEX `unit_region_path` ON `units` (`region_path`);
