-- Create "revisions" table
CREATE TABLE `revisions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `value` integer NOT NULL DEFAULT (0));
-- Set sequence for "revisions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("revisions", 47244640256);
-- Create index "revisions_name_key" to table: "revisions"
CREATE UNIQUE INDEX `revisions_name_key` ON `revisions` (`name`);
