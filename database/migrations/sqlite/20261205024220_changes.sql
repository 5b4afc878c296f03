-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_scans" table
CREATE TABLE `new_scans` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `client_id` text NOT NULL, `account_id` integer NOT NULL, `account_path` text NOT NULL, `scanner_name` text NOT NULL, `site_id` integer NOT NULL, `site_path` text NOT NULL, `site_name` text NOT NULL, `sector` text NOT NULL, `person_id` integer NULL, `method` text NOT NULL, `name_masked` text NOT NULL DEFAULT (''), `id_number_masked` text NOT NULL DEFAULT (''), `id_number_hash` text NULL, `issuer` text NOT NULL DEFAULT (''), `subject` text NOT NULL DEFAULT (''), `colour` text NULL, `temperature` real NOT NULL, `fever` bool NOT NULL, `decision` text NOT NULL, `alert_reasons` json NULL, `device_latitude` real NULL, `device_longitude` real NULL, `distance_metres` real NULL, `device_accuracy` real NULL, `far_fix` bool NOT NULL DEFAULT (false), `client_time` datetime NULL, `server_time` datetime NOT NULL, `presence` text NULL, `identity_captured` bool NOT NULL DEFAULT (false), `identity_sealed` blob NULL, `review_reasons` json NULL);
-- Set sequence for "new_scans" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_scans", 94489280512);
-- Copy rows from old table "scans" to new temporary table "new_scans"
INSERT INTO `new_scans` (`id`, `client_id`, `account_id`, `account_path`, `scanner_name`, `site_id`, `site_path`, `site_name`, `sector`, `person_id`, `method`, `name_masked`, `id_number_masked`, `id_number_hash`, `issuer`, `subject`, `colour`, `temperature`, `fever`, `decision`, `alert_reasons`, `device_latitude`, `device_longitude`, `distance_metres`, `client_time`, `server_time`, `presence`, `identity_captured`, `identity_sealed`, `review_reasons`) SELECT `id`, `client_id`, `account_id`, `account_path`, `scanner_name`, `site_id`, `site_path`, `site_name`, `sector`, `person_id`, `method`, `name_masked`, `id_number_masked`, `id_number_hash`, `issuer`, `subject`, `colour`, `temperature`, `fever`, `decision`, `alert_reasons`, `device_latitude`, `device_longitude`, `distance_metres`, `client_time`, `server_time`, `presence`, `identity_captured`, `identity_sealed`, `review_reasons` FROM `scans`;
-- Drop "scans" table after copying rows
DROP TABLE `scans`;
-- Rename temporary table "new_scans" to "scans"
ALTER TABLE `new_scans` RENAME TO `scans`;
-- Create index "scan_account_id_client_id" to table: "scans"
CREATE UNIQUE INDEX `scan_account_id_client_id` ON `scans` (`account_id`, `client_id`);
-- Create index "scan_site_path_server_time" to table: "scans"
CREATE INDEX `scan_site_path_server_time` ON `scans` (`site_path`, `server_time`);
-- Create index "scan_account_path_server_time" to table: "scans"
CREATE INDEX `scan_account_path_server_time` ON `scans` (`account_path`, `server_time`);
-- Create index "scan_person_id_server_time" to table: "scans"
CREATE INDEX `scan_person_id_server_time` ON `scans` (`person_id`, `server_time`);
-- Create index "scan_id_number_hash_server_time" to table: "scans"
CREATE INDEX `scan_id_number_hash_server_time` ON `scans` (`id_number_hash`, `server_time`);
-- Create index "scan_site_id_server_time" to table: "scans"
CREATE INDEX `scan_site_id_server_time` ON `scans` (`site_id`, `server_time`);
-- Create index "scan_server_time" to table: "scans"
CREATE INDEX `scan_server_time` ON `scans` (`server_time`);
-- Create index "scan_account_id_presence_server_time" to table: "scans"
CREATE INDEX `scan_account_id_presence_server_time` ON `scans` (`account_id`, `presence`, `server_time`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
