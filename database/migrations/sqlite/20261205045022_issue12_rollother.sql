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
-- Create "control_list_changes" table
CREATE TABLE `control_list_changes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `job_id` integer NOT NULL, `person_id` integer NOT NULL, `risk` text NOT NULL, `residence_path` text NOT NULL DEFAULT (''), `at` datetime NOT NULL);
-- Set sequence for "control_list_changes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("control_list_changes", 111669149696);
-- Create index "controllistchange_at" to table: "control_list_changes"
CREATE INDEX `controllistchange_at` ON `control_list_changes` (`at`);
-- Create index "controllistchange_job_id" to table: "control_list_changes"
CREATE INDEX `controllistchange_job_id` ON `control_list_changes` (`job_id`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
