import { randomUUID } from "node:crypto";
import type { DbClient } from "./database.ts";
import { findTenantByReference } from "./tenant-lookup.ts";
import { withTenantScope } from "./tenant-scope.ts";

export interface SeedOptions {
  /** The platform admin's sign-in email (from `SEED_ADMIN_EMAIL`). */
  adminEmail: string;
  /** Hash of `SEED_ADMIN_PASSWORD`, set only while the admin has no password. */
  adminPasswordHash?: string | undefined;
}

export const demoTenantSlug = "demo";

const plans = [
  { code: "free", name: "Free", priceMinor: 0, limits: { maxMembers: 3, modules: [] } },
  { code: "pro", name: "Pro", priceMinor: 1900, limits: { maxMembers: 25, modules: ["shop"] } },
  {
    code: "business",
    name: "Business",
    priceMinor: 9900,
    limits: { maxMembers: 250, modules: ["shop"] },
  },
];

const content = [
  {
    key: "home.welcome",
    locale: "en",
    title: "Welcome to Tenantry",
    body: "Create a tenant, invite your team and switch on the modules you need.",
  },
  {
    key: "home.welcome",
    locale: "de",
    title: "Willkommen bei Tenantry",
    body: "Lege einen Mandanten an, lade dein Team ein und schalte die Module ein, die du brauchst.",
  },
  {
    key: "home.welcome",
    locale: "ru",
    title: "Добро пожаловать в Tenantry",
    body: "Создайте организацию, пригласите команду и включите нужные вам модули.",
  },
  {
    key: "legal.terms",
    locale: "en",
    title: "Terms of service",
    body: "These demo terms exist so the platform has content to serve. Replace them before going live.",
  },
  {
    key: "legal.privacy",
    locale: "en",
    title: "Privacy policy",
    body: "Tenantry stores only what it needs to run your account. Replace this demo text before going live.",
  },
  {
    key: "legal.terms",
    locale: "ru",
    title: "Условия использования",
    body: "Эти демонстрационные условия нужны, чтобы платформе было что показать. Замените их перед запуском.",
  },
  {
    key: "legal.privacy",
    locale: "ru",
    title: "Политика конфиденциальности",
    body: "Tenantry хранит только то, что нужно для работы вашей учётной записи. Замените этот демонстрационный текст перед запуском.",
  },
];

/**
 * Demo data: plans, a platform admin, a demo tenant owned by the admin on the pro plan (so
 * modules can be switched on), and platform content. Idempotent: every row is an upsert on
 * its natural key, and existing rows keep what an operator changed except for the fields
 * listed in `update`. Modules' demo data is written by the server (`seedModuleDemoData`).
 */
export async function seedDatabase(prisma: DbClient, options: SeedOptions): Promise<void> {
  for (const plan of plans) {
    await prisma.plan.upsert({ where: { code: plan.code }, create: plan, update: {} });
  }
  const admin = await prisma.user.upsert({
    where: { email: options.adminEmail.toLowerCase() },
    create: {
      email: options.adminEmail.toLowerCase(),
      displayName: "Platform admin",
      platformRole: "admin",
    },
    update: { platformRole: "admin" },
  });
  if (options.adminPasswordHash && !admin.passwordHash) {
    await prisma.user.update({ where: { id: admin.id }, data: { passwordHash: options.adminPasswordHash } });
  }
  const demoPlan = await prisma.plan.findUniqueOrThrow({ where: { code: "pro" } });
  // Tenant rows are behind row-level security: written inside the demo tenant's scope.
  const tenantId = (await findTenantByReference(prisma, demoTenantSlug))?.id ?? randomUUID();
  await withTenantScope(prisma, { tenantId, userId: admin.id }, async (tx) => {
    await tx.tenant.upsert({
      where: { id: tenantId },
      create: { id: tenantId, slug: demoTenantSlug, name: "Demo tenant" },
      update: {},
    });
    await tx.tenantMember.upsert({
      where: { tenantId_userId: { tenantId, userId: admin.id } },
      create: { tenantId, userId: admin.id, role: "owner" },
      update: {},
    });
    await tx.subscription.upsert({
      where: { tenantId },
      create: { tenantId, planId: demoPlan.id, status: "active" },
      update: {},
    });
  });
  // Seeded content is published version 1, without an author; an operator's later versions stay.
  for (const item of content) {
    const entry = await prisma.platformContent.upsert({
      where: { key_locale: { key: item.key, locale: item.locale } },
      create: {
        ...item,
        version: 1,
        publishedVersion: 1,
        publishedTitle: item.title,
        publishedBody: item.body,
        publishedAt: new Date(),
      },
      update: {},
    });
    await prisma.platformContentVersion.upsert({
      where: { contentId_version: { contentId: entry.id, version: 1 } },
      create: { contentId: entry.id, version: 1, title: item.title, body: item.body },
      update: {},
    });
  }
}
