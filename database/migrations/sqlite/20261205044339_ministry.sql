-- Create "persisted_queries" table
CREATE TABLE `persisted_queries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `document` text NOT NULL, `sha256` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `decided_at` datetime NULL, `decision_reason` text NULL, `owner_id` integer NOT NULL, `decided_by_id` integer NULL, CONSTRAINT `persisted_queries_accounts_owner` FOREIGN KEY (`owner_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `persisted_queries_accounts_decided_by` FOREIGN KEY (`decided_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL);
-- Set sequence for "persisted_queries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("persisted_queries", 111669149696);
-- Create index "persisted_queries_name_key" to table: "persisted_queries"
CREATE UNIQUE INDEX `persisted_queries_name_key` ON `persisted_queries` (`name`);
-- Create index "persisted_queries_sha256_key" to table: "persisted_queries"
CREATE UNIQUE INDEX `persisted_queries_sha256_key` ON `persisted_queries` (`sha256`);
-- Create index "persistedquery_status_created_at" to table: "persisted_queries"
CREATE INDEX `persistedquery_status_created_at` ON `persisted_queries` (`status`, `created_at`);
-- Create index "persistedquery_owner_id" to table: "persisted_queries"
CREATE INDEX `persistedquery_owner_id` ON `persisted_queries` (`owner_id`);
