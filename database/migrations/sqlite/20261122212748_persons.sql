-- Create "colour_changes" table
CREATE TABLE `colour_changes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `from_colour` text NOT NULL, `to_colour` text NOT NULL, `cause` text NOT NULL, `rule_version` integer NOT NULL, `by_account_id` integer NULL, `at` datetime NOT NULL, `person_id` integer NOT NULL, CONSTRAINT `colour_changes_persons_colour_changes` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION);
-- Set sequence for "colour_changes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("colour_changes", 51539607552);
-- Create index "colourchange_person_id_at" to table: "colour_changes"
CREATE INDEX `colourchange_person_id_at` ON `colour_changes` (`person_id`, `at`);
-- Create "health_declarations" table
CREATE TABLE `health_declarations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `symptoms` json NULL, `temperature` real NULL, `travel` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `person_id` integer NOT NULL, CONSTRAINT `health_declarations_persons_declarations` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION);
-- Set sequence for "health_declarations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("health_declarations", 55834574848);
-- Create index "healthdeclaration_person_id_day" to table: "health_declarations"
CREATE UNIQUE INDEX `healthdeclaration_person_id_day` ON `health_declarations` (`person_id`, `day`);
-- Create "persons" table
CREATE TABLE `persons` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `name_masked` text NOT NULL, `id_type` text NOT NULL, `id_number_sealed` blob NOT NULL, `id_number_hash` text NOT NULL, `id_number_masked` text NOT NULL, `phone_sealed` blob NULL, `phone_hash` text NULL, `phone_masked` text NULL, `residence_path` text NOT NULL DEFAULT (''), `colour` text NOT NULL DEFAULT ('GREEN'), `risk` text NOT NULL DEFAULT ('NONE'), `quarantine_ends` datetime NULL, `symptomatic` bool NOT NULL DEFAULT (false), `last_temperature` real NULL, `last_temperature_at` datetime NULL, `rule_version` integer NOT NULL DEFAULT (0), `residence_region_id` integer NULL, CONSTRAINT `persons_regions_residence_region` FOREIGN KEY (`residence_region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL);
-- Set sequence for "persons" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("persons", 60129542144);
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
-- Create "rule_set_versions" table
CREATE TABLE `rule_set_versions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `version` integer NOT NULL, `rules` text NOT NULL, `note` text NOT NULL DEFAULT (''), `published_by_id` integer NULL, `published_at` datetime NOT NULL);
-- Set sequence for "rule_set_versions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("rule_set_versions", 64424509440);
-- Create index "rule_set_versions_version_key" to table: "rule_set_versions"
CREATE UNIQUE INDEX `rule_set_versions_version_key` ON `rule_set_versions` (`version`);
-- Create "test_results" table
CREATE TABLE `test_results` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `sampled_at` datetime NOT NULL, `result` text NOT NULL, `source` text NOT NULL, `created_at` datetime NOT NULL, `person_id` integer NOT NULL, CONSTRAINT `test_results_persons_test_results` FOREIGN KEY (`person_id`) REFERENCES `persons` (`id`) ON DELETE NO ACTION);
-- Set sequence for "test_results" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("test_results", 68719476736);
-- Create index "testresult_person_id_sampled_at" to table: "test_results"
CREATE INDEX `testresult_person_id_sampled_at` ON `test_results` (`person_id`, `sampled_at`);
