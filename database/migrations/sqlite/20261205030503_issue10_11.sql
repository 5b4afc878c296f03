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
-- Add column "consent_previous_holder_id" to table: "accounts"
ALTER TABLE `accounts` ADD COLUMN `consent_previous_holder_id` integer NULL;
-- Add column "consent_restore_reason" to table: "accounts"
ALTER TABLE `accounts` ADD COLUMN `consent_restore_reason` text NULL;
-- Create "new_grants" table
CREATE TABLE `new_grants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `sector` text NULL, `expires_at` datetime NOT NULL, `revoked_at` datetime NULL, `reason` text NOT NULL, `case_number` text NULL, `scope_path` text NOT NULL DEFAULT (''), `account_id` integer NOT NULL, `granted_by_id` integer NOT NULL, `scope_region_id` integer NULL, `alert_id` integer NULL, CONSTRAINT `grants_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `grants_accounts_granted_by` FOREIGN KEY (`granted_by_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `grants_regions_scope_region` FOREIGN KEY (`scope_region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_alerts_alert` FOREIGN KEY (`alert_id`) REFERENCES `alerts` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_grants" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_grants", 21474836480);
-- Copy rows from old table "grants" to new temporary table "new_grants"
INSERT INTO `new_grants` (`id`, `created_at`, `updated_at`, `kind`, `sector`, `expires_at`, `revoked_at`, `reason`, `account_id`, `granted_by_id`) SELECT `id`, `created_at`, `updated_at`, `kind`, `sector`, `expires_at`, `revoked_at`, `reason`, `account_id`, `granted_by_id` FROM `grants`;
-- Drop "grants" table after copying rows
DROP TABLE `grants`;
-- Rename temporary table "new_grants" to "grants"
ALTER TABLE `new_grants` RENAME TO `grants`;
-- Create index "grant_account_id_expires_at" to table: "grants"
CREATE INDEX `grant_account_id_expires_at` ON `grants` (`account_id`, `expires_at`);
-- Create "new_health_declarations" table
CREATE TABLE `new_health_declarations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `revision` integer NOT NULL DEFAULT (1), `symptoms` json NULL, `temperature` real NULL, `travel` text NOT NULL DEFAULT (''), `visits` json NULL, `created_at` datetime NOT NULL, `person_id` integer NOT NULL, CONSTRAINT `health_declarations_persons_declarations` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION);
-- Set sequence for "new_health_declarations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_health_declarations", 55834574848);
-- Copy rows from old table "health_declarations" to new temporary table "new_health_declarations"
INSERT INTO `new_health_declarations` (`id`, `day`, `symptoms`, `temperature`, `travel`, `created_at`, `person_id`) SELECT `id`, `day`, `symptoms`, `temperature`, `travel`, `created_at`, `person_id` FROM `health_declarations`;
-- Drop "health_declarations" table after copying rows
DROP TABLE `health_declarations`;
-- Rename temporary table "new_health_declarations" to "health_declarations"
ALTER TABLE `new_health_declarations` RENAME TO `health_declarations`;
-- Create index "healthdeclaration_person_id_day_revision" to table: "health_declarations"
CREATE UNIQUE INDEX `healthdeclaration_person_id_day_revision` ON `health_declarations` (`person_id`, `day`, `revision`);
-- Create index "healthdeclaration_person_id_created_at" to table: "health_declarations"
CREATE INDEX `healthdeclaration_person_id_created_at` ON `health_declarations` (`person_id`, `created_at`);
-- Add column "address_sealed" to table: "persons"
ALTER TABLE `persons` ADD COLUMN `address_sealed` blob NULL;
-- Add column "address_masked" to table: "persons"
ALTER TABLE `persons` ADD COLUMN `address_masked` text NULL;
-- Add column "visits" to table: "persons"
ALTER TABLE `persons` ADD COLUMN `visits` json NULL;
-- Create "new_alerts" table
CREATE TABLE `new_alerts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `scope_path` text NOT NULL, `place` text NOT NULL DEFAULT (''), `sector` text NULL, `scan_id` integer NULL, `site_id` integer NULL, `person_id` integer NULL, `residence_path` text NOT NULL DEFAULT (''), `name_masked` text NOT NULL DEFAULT (''), `id_number_masked` text NOT NULL DEFAULT (''), `reasons` json NOT NULL, `colour` text NULL, `temperature` real NULL, `status` text NOT NULL DEFAULT ('OPEN'), `assignee_id` integer NULL, `assignee_path` text NULL, `note` text NOT NULL DEFAULT (''), `pushed` bool NOT NULL DEFAULT (true), `raised_at` datetime NOT NULL, `updated_at` datetime NOT NULL);
-- Set sequence for "new_alerts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_alerts", 73014444032);
-- Copy rows from old table "alerts" to new temporary table "new_alerts"
INSERT INTO `new_alerts` (`id`, `kind`, `scope_path`, `place`, `sector`, `scan_id`, `site_id`, `person_id`, `name_masked`, `id_number_masked`, `reasons`, `colour`, `temperature`, `status`, `assignee_id`, `assignee_path`, `note`, `pushed`, `raised_at`, `updated_at`) SELECT `id`, `kind`, `scope_path`, `place`, `sector`, `scan_id`, `site_id`, `person_id`, `name_masked`, `id_number_masked`, `reasons`, `colour`, `temperature`, `status`, `assignee_id`, `assignee_path`, `note`, `pushed`, `raised_at`, `updated_at` FROM `alerts`;
-- Drop "alerts" table after copying rows
DROP TABLE `alerts`;
-- Rename temporary table "new_alerts" to "alerts"
ALTER TABLE `new_alerts` RENAME TO `alerts`;
-- Create index "alert_scope_path_raised_at" to table: "alerts"
CREATE INDEX `alert_scope_path_raised_at` ON `alerts` (`scope_path`, `raised_at`);
-- Create index "alert_status_raised_at" to table: "alerts"
CREATE INDEX `alert_status_raised_at` ON `alerts` (`status`, `raised_at`);
-- Create index "alert_assignee_id_status" to table: "alerts"
CREATE INDEX `alert_assignee_id_status` ON `alerts` (`assignee_id`, `status`);
-- Create index "alert_person_id" to table: "alerts"
CREATE INDEX `alert_person_id` ON `alerts` (`person_id`);
-- Create index "alert_residence_path_raised_at" to table: "alerts"
CREATE INDEX `alert_residence_path_raised_at` ON `alerts` (`residence_path`, `raised_at`);
-- Create "new_audit_events" table
CREATE TABLE `new_audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `account_id` integer NULL, `action` text NOT NULL, `target` text NOT NULL DEFAULT (''), `detail` text NOT NULL DEFAULT ('{}'), `outcome` text NOT NULL DEFAULT ('SUCCEEDED'), `error_code` text NOT NULL DEFAULT (''), `seq` integer NULL, `prev_hash` text NOT NULL DEFAULT (''), `hash` text NOT NULL DEFAULT (''));
-- Set sequence for "new_audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_audit_events", 85899345920);
-- Copy rows from old table "audit_events" to new temporary table "new_audit_events"
INSERT INTO `new_audit_events` (`id`, `at`, `account_id`, `action`, `target`, `detail`, `prev_hash`, `hash`) SELECT `id`, `at`, `account_id`, `action`, `target`, `detail`, `prev_hash`, `hash` FROM `audit_events`;
-- Drop "audit_events" table after copying rows
DROP TABLE `audit_events`;
-- Rename temporary table "new_audit_events" to "audit_events"
ALTER TABLE `new_audit_events` RENAME TO `audit_events`;
-- Create index "auditevent_seq" to table: "audit_events"
CREATE UNIQUE INDEX `auditevent_seq` ON `audit_events` (`seq`);
-- Create index "auditevent_hash" to table: "audit_events"
CREATE INDEX `auditevent_hash` ON `audit_events` (`hash`);
-- Create index "auditevent_account_id_at" to table: "audit_events"
CREATE INDEX `auditevent_account_id_at` ON `audit_events` (`account_id`, `at`);
-- Create index "auditevent_action_at" to table: "audit_events"
CREATE INDEX `auditevent_action_at` ON `audit_events` (`action`, `at`);
-- Create "new_scans" table
CREATE TABLE `new_scans` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `client_id` text NOT NULL, `account_id` integer NOT NULL, `account_path` text NOT NULL, `scanner_name` text NOT NULL, `site_id` integer NOT NULL, `site_path` text NOT NULL, `site_name` text NOT NULL, `sector` text NOT NULL, `person_id` integer NULL, `method` text NOT NULL, `name_masked` text NOT NULL DEFAULT (''), `id_number_masked` text NOT NULL DEFAULT (''), `id_number_hash` text NULL, `issuer` text NOT NULL DEFAULT (''), `subject` text NOT NULL DEFAULT (''), `colour` text NULL, `temperature` real NOT NULL, `fever` bool NOT NULL, `decision` text NOT NULL, `alert_reasons` json NULL, `device_latitude` real NULL, `device_longitude` real NULL, `distance_metres` real NULL, `device_accuracy` real NULL, `far_fix` bool NOT NULL DEFAULT (false), `client_time` datetime NULL, `server_time` datetime NOT NULL, `presence` text NULL, `identity_captured` bool NOT NULL DEFAULT (false), `identity_sealed` blob NULL, `review_reasons` json NULL);
-- Set sequence for "new_scans" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_scans", 94489280512);
-- Copy rows from old table "scans" to new temporary table "new_scans"
INSERT INTO `new_scans` (`id`, `client_id`, `account_id`, `account_path`, `scanner_name`, `site_id`, `site_path`, `site_name`, `sector`, `person_id`, `method`, `name_masked`, `id_number_masked`, `id_number_hash`, `issuer`, `subject`, `colour`, `temperature`, `fever`, `decision`, `alert_reasons`, `device_latitude`, `device_longitude`, `distance_metres`, `client_time`, `server_time`) SELECT `id`, `client_id`, `account_id`, `account_path`, `scanner_name`, `site_id`, `site_path`, `site_name`, `sector`, `person_id`, `method`, `name_masked`, `id_number_masked`, `id_number_hash`, `issuer`, `subject`, `colour`, `temperature`, `fever`, `decision`, `alert_reasons`, `device_latitude`, `device_longitude`, `distance_metres`, `client_time`, `server_time` FROM `scans`;
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
-- Create "key_area_versions" table
CREATE TABLE `key_area_versions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `version` integer NOT NULL, `regions` json NOT NULL, `note` text NOT NULL DEFAULT (''), `published_by_id` integer NULL, `published_at` datetime NOT NULL);
-- Set sequence for "key_area_versions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("key_area_versions", 98784247808);
-- Create index "key_area_versions_version_key" to table: "key_area_versions"
CREATE UNIQUE INDEX `key_area_versions_version_key` ON `key_area_versions` (`version`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
