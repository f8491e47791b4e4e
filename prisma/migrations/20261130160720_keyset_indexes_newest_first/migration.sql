-- DropIndex
DROP INDEX "notifications_tenant_id_user_id_created_at_id_idx";

-- DropIndex
DROP INDEX "shop_categories_tenant_id_created_at_id_idx";

-- DropIndex
DROP INDEX "shop_orders_tenant_id_created_at_id_idx";

-- DropIndex
DROP INDEX "shop_orders_tenant_id_customer_id_created_at_id_idx";

-- DropIndex
DROP INDEX "shop_products_tenant_id_created_at_id_idx";

-- CreateIndex
CREATE INDEX "notifications_tenant_id_user_id_created_at_id_idx" ON "notifications"("tenant_id", "user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "shop_categories_tenant_id_created_at_id_idx" ON "shop_categories"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "shop_orders_tenant_id_created_at_id_idx" ON "shop_orders"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "shop_orders_tenant_id_customer_id_created_at_id_idx" ON "shop_orders"("tenant_id", "customer_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "shop_products_tenant_id_created_at_id_idx" ON "shop_products"("tenant_id", "created_at" DESC, "id" DESC);
