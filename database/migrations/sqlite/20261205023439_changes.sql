-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Add column "address_sealed" to table: "persons"
ALTER TABLE `persons` ADD COLUMN `address_sealed` blob NULL;
-- Add column "address_masked" to table: "persons"
ALTER TABLE `persons` ADD COLUMN `address_masked` text NULL;
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
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
