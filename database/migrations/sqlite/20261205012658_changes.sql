-- Add column "consent_previous_holder_id" to table: "accounts"
ALTER TABLE `accounts` ADD COLUMN `consent_previous_holder_id` integer NULL;
-- Add column "consent_restore_reason" to table: "accounts"
ALTER TABLE `accounts` ADD COLUMN `consent_restore_reason` text NULL;
