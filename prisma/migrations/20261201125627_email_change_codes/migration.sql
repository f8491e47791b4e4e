-- AlterEnum
ALTER TYPE "OneTimeCodePurpose" ADD VALUE 'email_change';
