-- CreateEnum
CREATE TYPE "shop_order_status" AS ENUM ('paid', 'shipped', 'delivered', 'cancelled');

-- CreateTable
CREATE TABLE "shop_categories" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shop_categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop_products" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "category_id" UUID,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "price_minor" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "stock" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "images" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shop_products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop_orders" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "status" "shop_order_status" NOT NULL DEFAULT 'paid',
    "total_minor" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "shipped_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "shop_orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop_order_items" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "unit_price_minor" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "shop_order_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "shop_categories_tenant_id_created_at_id_idx" ON "shop_categories"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "shop_categories_tenant_id_slug_key" ON "shop_categories"("tenant_id", "slug");

-- CreateIndex
CREATE INDEX "shop_products_tenant_id_created_at_id_idx" ON "shop_products"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "shop_products_category_id_idx" ON "shop_products"("category_id");

-- CreateIndex
CREATE INDEX "shop_orders_tenant_id_created_at_id_idx" ON "shop_orders"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "shop_orders_tenant_id_customer_id_created_at_id_idx" ON "shop_orders"("tenant_id", "customer_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "shop_order_items_order_id_idx" ON "shop_order_items"("order_id");

-- CreateIndex
CREATE INDEX "shop_order_items_product_id_idx" ON "shop_order_items"("product_id");

-- AddForeignKey
ALTER TABLE "shop_categories" ADD CONSTRAINT "shop_categories_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_products" ADD CONSTRAINT "shop_products_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_products" ADD CONSTRAINT "shop_products_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "shop_categories"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_orders" ADD CONSTRAINT "shop_orders_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_order_items" ADD CONSTRAINT "shop_order_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_order_items" ADD CONSTRAINT "shop_order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "shop_orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_order_items" ADD CONSTRAINT "shop_order_items_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "shop_products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Tenant-owned tables: row-level security as for the core tables.
SELECT enable_tenant_isolation('"shop_categories"');
SELECT enable_tenant_isolation('"shop_products"');
SELECT enable_tenant_isolation('"shop_orders"');
SELECT enable_tenant_isolation('"shop_order_items"');

-- What the schema cannot say: stock never goes below zero (the last item cannot be sold
-- twice), amounts are not negative, a line orders at least one.
ALTER TABLE "shop_products" ADD CONSTRAINT "shop_products_stock_not_negative" CHECK ("stock" >= 0);
ALTER TABLE "shop_products" ADD CONSTRAINT "shop_products_price_not_negative" CHECK ("price_minor" >= 0);
ALTER TABLE "shop_orders" ADD CONSTRAINT "shop_orders_total_not_negative" CHECK ("total_minor" >= 0);
ALTER TABLE "shop_order_items" ADD CONSTRAINT "shop_order_items_quantity_positive" CHECK ("quantity" > 0);
