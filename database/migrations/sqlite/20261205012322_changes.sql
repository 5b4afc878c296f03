-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
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
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
