/**
 * `pnpm admin:grant <email or phone>`: makes an existing account a platform admin, for the first
 * admin of a deployment (or when none can sign in). Later admins are granted by an admin
 * (POST /api/v1/admin/users/{userId}/platform-role). Recorded in the audit log as the platform's.
 */
import { normalizePhone } from "@tenantry/auth";
import { openDatabase } from "@tenantry/db";
import { ConfigError, loadConfig } from "../config.ts";

const who = process.argv[2]?.trim();
if (!who) {
  console.error("Usage: pnpm admin:grant <email or phone of an existing account>");
  process.exit(2);
}

try {
  const { config } = loadConfig();
  const db = await openDatabase(config.database);
  try {
    await db.enterAppRole();
    const phone = normalizePhone(who);
    const where = who.includes("@") ? { email: who.toLowerCase() } : { phone: phone.ok ? phone.e164 : who };
    const user = await db.prisma.user.findUnique({ where, select: { id: true, platformRole: true } });
    if (!user) {
      console.error(`No account with ${who.includes("@") ? "email" : "phone"} ${who}: it must sign up first.`);
      process.exitCode = 1;
    } else if (user.platformRole === "admin") {
      console.log(`${who} is a platform admin already.`);
    } else {
      await db.prisma.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { platformRole: "admin" } });
        await tx.auditEvent.createMany({
          data: [
            {
              tenantId: null,
              actorType: "platform",
              action: "admin.platform_role_changed",
              targetType: "user",
              targetId: user.id,
              details: { from: "user", to: "admin", via: "admin:grant" },
            },
          ],
        });
      });
      console.log(`${who} is now a platform admin.`);
    }
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
