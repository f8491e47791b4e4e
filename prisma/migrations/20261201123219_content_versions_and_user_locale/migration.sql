-- AlterTable
ALTER TABLE "platform_content"
ADD COLUMN     "published_at" TIMESTAMPTZ(3),
ADD COLUMN     "published_body" TEXT,
ADD COLUMN     "published_title" TEXT,
ADD COLUMN     "published_version" INTEGER,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- Backfill: what was published is version 1, published; the rest is version 1, a draft.
UPDATE "platform_content"
SET "published_version" = 1, "published_title" = "title", "published_body" = "body", "published_at" = "updated_at"
WHERE "published";

ALTER TABLE "platform_content" DROP COLUMN "published";

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "locale" TEXT;

-- CreateTable
CREATE TABLE "platform_content_versions" (
    "id" UUID NOT NULL,
    "content_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "author_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_content_versions_pkey" PRIMARY KEY ("id")
);

-- Every existing entry's text becomes its first version (no author: it predates the history).
INSERT INTO "platform_content_versions" ("id", "content_id", "version", "title", "body", "created_at")
SELECT gen_random_uuid(), "id", 1, "title", "body", "updated_at" FROM "platform_content";

-- CreateIndex
CREATE INDEX "platform_content_versions_author_id_idx" ON "platform_content_versions"("author_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_content_versions_content_id_version_key" ON "platform_content_versions"("content_id", "version");

-- AddForeignKey
ALTER TABLE "platform_content_versions" ADD CONSTRAINT "platform_content_versions_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "platform_content"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_content_versions" ADD CONSTRAINT "platform_content_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A published copy is whole: all four columns set, or none.
ALTER TABLE "platform_content" ADD CONSTRAINT "platform_content_published_whole" CHECK (
  ("published_version" IS NULL) = ("published_title" IS NULL)
  AND ("published_version" IS NULL) = ("published_body" IS NULL)
  AND ("published_version" IS NULL) = ("published_at" IS NULL)
);
