-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
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
-- Add column "visits" to table: "persons"
ALTER TABLE `persons` ADD COLUMN `visits` json NULL;
-- Create "key_area_versions" table
CREATE TABLE `key_area_versions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `version` integer NOT NULL, `regions` json NOT NULL, `note` text NOT NULL DEFAULT (''), `published_by_id` integer NULL, `published_at` datetime NOT NULL);
-- Set sequence for "key_area_versions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("key_area_versions", 98784247808);
-- Create index "key_area_versions_version_key" to table: "key_area_versions"
CREATE UNIQUE INDEX `key_area_versions_version_key` ON `key_area_versions` (`version`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
