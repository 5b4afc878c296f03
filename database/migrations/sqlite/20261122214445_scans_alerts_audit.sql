-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_persons" table
CREATE TABLE `new_persons` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `name_masked` text NOT NULL, `id_type` text NOT NULL, `id_number_sealed` blob NOT NULL, `id_number_hash` text NOT NULL, `id_number_masked` text NOT NULL, `phone_sealed` blob NULL, `phone_hash` text NULL, `phone_masked` text NULL, `residence_path` text NOT NULL DEFAULT (''), `colour` text NOT NULL DEFAULT ('GREEN'), `risk` text NOT NULL DEFAULT ('NONE'), `quarantine_ends` datetime NULL, `symptomatic` bool NOT NULL DEFAULT (false), `last_temperature` real NULL, `last_temperature_at` datetime NULL, `rule_version` integer NOT NULL DEFAULT (0), `secret_hash` text NULL, `residence_region_id` integer NULL, CONSTRAINT `persons_regions_residence_region` FOREIGN KEY (`residence_region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "new_persons" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_persons", 60129542144);
-- Copy rows from old table "persons" to new temporary table "new_persons"
INSERT INTO `new_persons` (`id`, `created_at`, `updated_at`, `name`, `name_masked`, `id_type`, `id_number_sealed`, `id_number_hash`, `id_number_masked`, `phone_sealed`, `phone_hash`, `phone_masked`, `residence_path`, `colour`, `risk`, `quarantine_ends`, `symptomatic`, `last_temperature`, `last_temperature_at`, `rule_version`, `residence_region_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `name_masked`, `id_type`, `id_number_sealed`, `id_number_hash`, `id_number_masked`, `phone_sealed`, `phone_hash`, `phone_masked`, `residence_path`, `colour`, `risk`, `quarantine_ends`, `symptomatic`, `last_temperature`, `last_temperature_at`, `rule_version`, `residence_region_id` FROM `persons`;
-- Drop "persons" table after copying rows
DROP TABLE `persons`;
-- Rename temporary table "new_persons" to "persons"
ALTER TABLE `new_persons` RENAME TO `persons`;
-- Create index "persons_id_number_hash_key" to table: "persons"
CREATE UNIQUE INDEX `persons_id_number_hash_key` ON `persons` (`id_number_hash`);
-- Create index "person_phone_hash" to table: "persons"
CREATE INDEX `person_phone_hash` ON `persons` (`phone_hash`);
-- Create index "person_colour" to table: "persons"
CREATE INDEX `person_colour` ON `persons` (`colour`);
-- Create index "person_risk_quarantine_ends" to table: "persons"
CREATE INDEX `person_risk_quarantine_ends` ON `persons` (`risk`, `quarantine_ends`);
-- Create index "person_residence_path" to table: "persons"
CREATE INDEX `person_residence_path` ON `persons` (`residence_path`);
-- Create index "person_secret_hash" to table: "persons"
CREATE INDEX `person_secret_hash` ON `persons` (`secret_hash`);
-- Create "alerts" table
CREATE TABLE `alerts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `scope_path` text NOT NULL, `place` text NOT NULL DEFAULT (''), `sector` text NULL, `scan_id` integer NULL, `site_id` integer NULL, `person_id` integer NULL, `name_masked` text NOT NULL DEFAULT (''), `id_number_masked` text NOT NULL DEFAULT (''), `reasons` json NOT NULL, `colour` text NULL, `temperature` real NULL, `status` text NOT NULL DEFAULT ('OPEN'), `assignee_id` integer NULL, `assignee_path` text NULL, `note` text NOT NULL DEFAULT (''), `pushed` bool NOT NULL DEFAULT (true), `raised_at` datetime NOT NULL, `updated_at` datetime NOT NULL);
-- Set sequence for "alerts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("alerts", 73014444032);
-- Create index "alert_scope_path_raised_at" to table: "alerts"
CREATE INDEX `alert_scope_path_raised_at` ON `alerts` (`scope_path`, `raised_at`);
-- Create index "alert_status_raised_at" to table: "alerts"
CREATE INDEX `alert_status_raised_at` ON `alerts` (`status`, `raised_at`);
-- Create index "alert_assignee_id_status" to table: "alerts"
CREATE INDEX `alert_assignee_id_status` ON `alerts` (`assignee_id`, `status`);
-- Create index "alert_person_id" to table: "alerts"
CREATE INDEX `alert_person_id` ON `alerts` (`person_id`);
-- Create "alert_pauses" table
CREATE TABLE `alert_pauses` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `region_id` integer NOT NULL, `path` text NOT NULL, `reason` text NOT NULL DEFAULT (''), `by_account_id` integer NOT NULL, `at` datetime NOT NULL);
-- Set sequence for "alert_pauses" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("alert_pauses", 77309411328);
-- Create index "alert_pauses_region_id_key" to table: "alert_pauses"
CREATE UNIQUE INDEX `alert_pauses_region_id_key` ON `alert_pauses` (`region_id`);
-- Create "alert_steps" table
CREATE TABLE `alert_steps` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `alert_id` integer NOT NULL, `from_status` text NOT NULL, `to_status` text NOT NULL, `by_account_id` integer NOT NULL, `assignee_id` integer NULL, `note` text NOT NULL DEFAULT (''), `at` datetime NOT NULL);
-- Set sequence for "alert_steps" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("alert_steps", 81604378624);
-- Create index "alertstep_alert_id_at" to table: "alert_steps"
CREATE INDEX `alertstep_alert_id_at` ON `alert_steps` (`alert_id`, `at`);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `account_id` integer NULL, `action` text NOT NULL, `target` text NOT NULL DEFAULT (''), `detail` text NOT NULL DEFAULT ('{}'), `prev_hash` text NOT NULL DEFAULT (''), `hash` text NOT NULL DEFAULT (''));
-- Set sequence for "audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_events", 85899345920);
-- Create index "auditevent_hash" to table: "audit_events"
CREATE INDEX `auditevent_hash` ON `audit_events` (`hash`);
-- Create index "auditevent_account_id_at" to table: "audit_events"
CREATE INDEX `auditevent_account_id_at` ON `audit_events` (`account_id`, `at`);
-- Create index "auditevent_action_at" to table: "audit_events"
CREATE INDEX `auditevent_action_at` ON `audit_events` (`action`, `at`);
-- Create "import_jobs" table
CREATE TABLE `import_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `filename` text NOT NULL, `format` text NOT NULL, `content_hash` text NOT NULL, `content` blob NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `total_rows` integer NOT NULL DEFAULT (0), `processed_rows` integer NOT NULL DEFAULT (0), `applied_rows` integer NOT NULL DEFAULT (0), `unchanged_rows` integer NOT NULL DEFAULT (0), `invalid_rows` integer NOT NULL DEFAULT (0), `row_errors` text NOT NULL DEFAULT ('[]'), `failure` text NOT NULL DEFAULT (''), `submitted_by_id` integer NOT NULL, `scope_path` text NOT NULL, `created_at` datetime NOT NULL, `started_at` datetime NULL, `finished_at` datetime NULL, `heartbeat_at` datetime NULL);
-- Set sequence for "import_jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("import_jobs", 90194313216);
-- Create index "importjob_status" to table: "import_jobs"
CREATE INDEX `importjob_status` ON `import_jobs` (`status`);
-- Create index "importjob_submitted_by_id_created_at" to table: "import_jobs"
CREATE INDEX `importjob_submitted_by_id_created_at` ON `import_jobs` (`submitted_by_id`, `created_at`);
-- Create "scans" table
CREATE TABLE `scans` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `client_id` text NOT NULL, `account_id` integer NOT NULL, `account_path` text NOT NULL, `scanner_name` text NOT NULL, `site_id` integer NOT NULL, `site_path` text NOT NULL, `site_name` text NOT NULL, `sector` text NOT NULL, `person_id` integer NULL, `method` text NOT NULL, `name_masked` text NOT NULL DEFAULT (''), `id_number_masked` text NOT NULL DEFAULT (''), `id_number_hash` text NULL, `issuer` text NOT NULL DEFAULT (''), `subject` text NOT NULL DEFAULT (''), `colour` text NULL, `temperature` real NOT NULL, `fever` bool NOT NULL, `decision` text NOT NULL, `alert_reasons` json NULL, `device_latitude` real NULL, `device_longitude` real NULL, `distance_metres` real NULL, `client_time` datetime NULL, `server_time` datetime NOT NULL);
-- Set sequence for "scans" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("scans", 94489280512);
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
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
