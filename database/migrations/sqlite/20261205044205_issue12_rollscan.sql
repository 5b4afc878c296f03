-- Add column "category" to table: "scans"
ALTER TABLE `scans` ADD COLUMN `category` text NULL;
