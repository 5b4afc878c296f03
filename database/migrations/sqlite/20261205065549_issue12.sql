-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_colour_changes" table
CREATE TABLE `new_colour_changes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `from_colour` text NOT NULL, `to_colour` text NOT NULL, `cause` text NOT NULL, `rule_version` integer NOT NULL, `by_account_id` integer NULL, `at` datetime NOT NULL, `cause_class` text NOT NULL DEFAULT ('OTHER'), `residence_path` text NOT NULL DEFAULT (''), `person_id` integer NOT NULL, CONSTRAINT `colour_changes_persons_colour_changes` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION);
-- Set sequence for "new_colour_changes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_colour_changes", 51539607552);
-- Copy rows from old table "colour_changes" to new temporary table "new_colour_changes"
INSERT INTO `new_colour_changes` (`id`, `from_colour`, `to_colour`, `cause`, `rule_version`, `by_account_id`, `at`, `person_id`) SELECT `id`, `from_colour`, `to_colour`, `cause`, `rule_version`, `by_account_id`, `at`, `person_id` FROM `colour_changes`;
-- Drop "colour_changes" table after copying rows
DROP TABLE `colour_changes`;
-- Rename temporary table "new_colour_changes" to "colour_changes"
ALTER TABLE `new_colour_changes` RENAME TO `colour_changes`;
-- Create index "colourchange_person_id_at" to table: "colour_changes"
CREATE INDEX `colourchange_person_id_at` ON `colour_changes` (`person_id`, `at`);
-- Add column "category" to table: "scans"
ALTER TABLE `scans` ADD COLUMN `category` text NULL;
-- Create "control_list_changes" table
CREATE TABLE `control_list_changes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `job_id` integer NOT NULL, `person_id` integer NOT NULL, `risk` text NOT NULL, `residence_path` text NOT NULL DEFAULT (''), `at` datetime NOT NULL);
-- Set sequence for "control_list_changes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("control_list_changes", 111669149696);
-- Create index "controllistchange_at" to table: "control_list_changes"
CREATE INDEX `controllistchange_at` ON `control_list_changes` (`at`);
-- Create index "controllistchange_job_id" to table: "control_list_changes"
CREATE INDEX `controllistchange_job_id` ON `control_list_changes` (`job_id`);
-- Create "persisted_queries" table
CREATE TABLE `persisted_queries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `document` text NOT NULL, `sha256` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `decided_at` datetime NULL, `decision_reason` text NULL, `owner_id` integer NOT NULL, `decided_by_id` integer NULL, CONSTRAINT `persisted_queries_accounts_owner` FOREIGN KEY (`owner_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `persisted_queries_accounts_decided_by` FOREIGN KEY (`decided_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL);
-- Set sequence for "persisted_queries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("persisted_queries", 115964116992);
-- Create index "persisted_queries_name_key" to table: "persisted_queries"
CREATE UNIQUE INDEX `persisted_queries_name_key` ON `persisted_queries` (`name`);
-- Create index "persisted_queries_sha256_key" to table: "persisted_queries"
CREATE UNIQUE INDEX `persisted_queries_sha256_key` ON `persisted_queries` (`sha256`);
-- Create index "persistedquery_status_created_at" to table: "persisted_queries"
CREATE INDEX `persistedquery_status_created_at` ON `persisted_queries` (`status`, `created_at`);
-- Create index "persistedquery_owner_id" to table: "persisted_queries"
CREATE INDEX `persistedquery_owner_id` ON `persisted_queries` (`owner_id`);
-- Create "stat_counts" table
CREATE TABLE `stat_counts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `node_path` text NOT NULL, `level` text NOT NULL, `metric` text NOT NULL, `category` text NOT NULL DEFAULT (''), `sector` text NOT NULL DEFAULT (''), `method` text NOT NULL DEFAULT (''), `decision` text NOT NULL DEFAULT (''), `colour` text NOT NULL DEFAULT (''), `detail` text NOT NULL DEFAULT (''), `value` integer NOT NULL);
-- Set sequence for "stat_counts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("stat_counts", 103079215104);
-- Create index "statcount_node_path_day_metric__29bb0cb38360ab88b81fad20bc147960" to table: "stat_counts"
CREATE UNIQUE INDEX `statcount_node_path_day_metric__29bb0cb38360ab88b81fad20bc147960` ON `stat_counts` (`node_path`, `day`, `metric`, `category`, `sector`, `method`, `decision`, `colour`, `detail`);
-- Create index "statcount_level_metric_node_path_day" to table: "stat_counts"
CREATE INDEX `statcount_level_metric_node_path_day` ON `stat_counts` (`level`, `metric`, `node_path`, `day`);
-- Create index "statcount_totals" to table: "stat_counts"
CREATE INDEX `statcount_totals` ON `stat_counts` (`level`, `metric`, `category`, `node_path`, `day`);
-- Create "stat_members" table
CREATE TABLE `stat_members` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `node_path` text NOT NULL, `member` text NOT NULL);
-- Set sequence for "stat_members" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("stat_members", 107374182400);
-- Create index "statmember_day_node_path_member" to table: "stat_members"
CREATE UNIQUE INDEX `statmember_day_node_path_member` ON `stat_members` (`day`, `node_path`, `member`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
