-- AlterEnum
ALTER TYPE "OneTimeCodePurpose" ADD VALUE 'password_reset';
