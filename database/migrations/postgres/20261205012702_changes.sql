-- Modify "accounts" table
ALTER TABLE "accounts" ADD COLUMN "consent_previous_holder_id" bigint NULL, ADD COLUMN "consent_restore_reason" character varying NULL;
