-- Create "accounts" table
CREATE TABLE `accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NOT NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `disabled_reason` text NULL, `disabled_at` datetime NULL, `disabled_by_id` integer NULL, `cascade_root_id` integer NULL, `last_active_at` datetime NULL, `scope_path` text NOT NULL, `account_path` text NOT NULL, `sector` text NULL, `superior_id` integer NULL, `scope_region_id` integer NULL, `scope_site_id` integer NULL, `unit_id` integer NULL, `holder_id` integer NOT NULL, CONSTRAINT `accounts_accounts_subordinates` FOREIGN KEY (`superior_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `accounts_regions_scope_region` FOREIGN KEY (`scope_region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL, CONSTRAINT `accounts_sites_scope_site` FOREIGN KEY (`scope_site_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL, CONSTRAINT `accounts_units_unit` FOREIGN KEY (`unit_id`) REFERENCES `units` (`id`) ON DELETE SET NULL, CONSTRAINT `accounts_users_accounts` FOREIGN KEY (`holder_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "accounts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("accounts", 12884901888);
-- Create index "accounts_account_path_key" to table: "accounts"
CREATE UNIQUE INDEX `accounts_account_path_key` ON `accounts` (`account_path`);
-- Create index "account_scope_path" to table: "accounts"
CREATE INDEX `account_scope_path` ON `accounts` (`scope_path`);
-- Create index "account_status_role_last_active_at" to table: "accounts"
CREATE INDEX `account_status_role_last_active_at` ON `accounts` (`status`, `role`, `last_active_at`);
-- Create index "account_holder_id" to table: "accounts"
CREATE INDEX `account_holder_id` ON `accounts` (`holder_id`);
-- Create index "account_superior_id" to table: "accounts"
CREATE INDEX `account_superior_id` ON `accounts` (`superior_id`);
-- Create index "account_unit_id" to table: "accounts"
CREATE INDEX `account_unit_id` ON `accounts` (`unit_id`);
-- Create "applications" table
CREATE TABLE `applications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `unit_name` text NOT NULL, `uscc` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `scope_path` text NOT NULL, `holder_name` text NOT NULL, `holder_phone_sealed` blob NOT NULL, `holder_phone_hash` text NOT NULL, `holder_phone_masked` text NOT NULL, `holder_id_number_sealed` blob NULL, `holder_id_number_hash` text NULL, `holder_id_number_masked` text NULL, `replacement_reason` text NULL, `decided_at` datetime NULL, `decision_reason` text NULL, `replaces_account_id` integer NULL, `submitted_by_id` integer NOT NULL, `decided_by_id` integer NULL, `account_id` integer NULL, `scope_region_id` integer NULL, `scope_site_id` integer NULL, CONSTRAINT `applications_accounts_replaces_account` FOREIGN KEY (`replaces_account_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `applications_accounts_submitted_by` FOREIGN KEY (`submitted_by_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `applications_accounts_decided_by` FOREIGN KEY (`decided_by_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `applications_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL, CONSTRAINT `applications_regions_scope_region` FOREIGN KEY (`scope_region_id`) REFERENCES `regions` (`id`) ON DELETE SET NULL, CONSTRAINT `applications_sites_scope_site` FOREIGN KEY (`scope_site_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL);
-- Set sequence for "applications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("applications", 17179869184);
-- Create index "application_status_created_at" to table: "applications"
CREATE INDEX `application_status_created_at` ON `applications` (`status`, `created_at`);
-- Create index "application_uscc" to table: "applications"
CREATE INDEX `application_uscc` ON `applications` (`uscc`);
-- Create "grants" table
CREATE TABLE `grants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `sector` text NULL, `expires_at` datetime NOT NULL, `revoked_at` datetime NULL, `reason` text NOT NULL, `account_id` integer NOT NULL, `granted_by_id` integer NOT NULL, CONSTRAINT `grants_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `grants_accounts_granted_by` FOREIGN KEY (`granted_by_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "grants" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("grants", 21474836480);
-- Create index "grant_account_id_expires_at" to table: "grants"
CREATE INDEX `grant_account_id_expires_at` ON `grants` (`account_id`, `expires_at`);
-- Create "leases" table
CREATE TABLE `leases` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `holder` text NOT NULL, `expires_at` datetime NOT NULL);
-- Set sequence for "leases" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("leases", 25769803776);
-- Create index "leases_name_key" to table: "leases"
CREATE UNIQUE INDEX `leases_name_key` ON `leases` (`name`);
-- Create "outbox_messages" table
CREATE TABLE `outbox_messages` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `key` text NOT NULL, `channel` text NOT NULL DEFAULT ('SMS'), `recipient_sealed` blob NOT NULL, `recipient_masked` text NOT NULL, `body` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `last_error` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `sent_at` datetime NULL);
-- Set sequence for "outbox_messages" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("outbox_messages", 30064771072);
-- Create index "outbox_messages_key_key" to table: "outbox_messages"
CREATE UNIQUE INDEX `outbox_messages_key_key` ON `outbox_messages` (`key`);
-- Create index "outboxmessage_status_next_attempt_at" to table: "outbox_messages"
CREATE INDEX `outboxmessage_status_next_attempt_at` ON `outbox_messages` (`status`, `next_attempt_at`);
-- Create "reactivation_requests" table
CREATE TABLE `reactivation_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `note` text NOT NULL DEFAULT (''), `decided_at` datetime NULL, `account_id` integer NOT NULL, `superior_id` integer NULL, CONSTRAINT `reactivation_requests_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `reactivation_requests_accounts_superior` FOREIGN KEY (`superior_id`) REFERENCES `accounts` (`id`) ON DELETE SET NULL);
-- Set sequence for "reactivation_requests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("reactivation_requests", 34359738368);
-- Create index "reactivationrequest_superior_id_status" to table: "reactivation_requests"
CREATE INDEX `reactivationrequest_superior_id_status` ON `reactivation_requests` (`superior_id`, `status`);
-- Create index "reactivationrequest_account_id_status" to table: "reactivation_requests"
CREATE INDEX `reactivationrequest_account_id_status` ON `reactivation_requests` (`account_id`, `status`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `token_hash` text NOT NULL, `refresh_hash` text NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `refresh_expires_at` datetime NOT NULL, `revoked_at` datetime NULL, `user_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `sessions_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `sessions_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 38654705664);
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- Create index "sessions_refresh_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_refresh_hash_key` ON `sessions` (`refresh_hash`);
-- Create index "session_user_id" to table: "sessions"
CREATE INDEX `session_user_id` ON `sessions` (`user_id`);
-- Create index "session_account_id" to table: "sessions"
CREATE INDEX `session_account_id` ON `sessions` (`account_id`);
-- Create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `phone_sealed` blob NOT NULL, `phone_hash` text NOT NULL, `phone_masked` text NOT NULL, `id_number_sealed` blob NULL, `id_number_hash` text NULL, `id_number_masked` text NULL, `password_hash` text NOT NULL);
-- Set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 42949672960);
-- Create index "users_phone_hash_key" to table: "users"
CREATE UNIQUE INDEX `users_phone_hash_key` ON `users` (`phone_hash`);
-- Create index "users_id_number_hash_key" to table: "users"
CREATE UNIQUE INDEX `users_id_number_hash_key` ON `users` (`id_number_hash`);
