-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
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
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
