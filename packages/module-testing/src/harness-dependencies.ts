import {
  ContentCache,
  createRateLimiter,
  manualBilling,
  TenantResolver,
  type ContextDependencies,
  type TenantFactsCache,
} from "@tenantry/api-core";
import {
  createConsoleMailProvider,
  createConsoleSmsProvider,
  createPasswordHasher,
  testPasswordHashParameters,
  type AccessTokens,
} from "@tenantry/auth";
import type { Database } from "@tenantry/db";

/**
 * What the harness's procedures get besides the request: the server's runtime, with consoles for
 * SMS and mail, no DNS, manual billing, and an in-memory rate limiter of its own.
 */
export function harnessDependencies(
  db: Database,
  accessTokens: AccessTokens,
  secret: string,
  facts: TenantFactsCache,
): ContextDependencies {
  return {
    db: db.prisma,
    settings: { defaultLocale: "en", exposeErrorDetails: false },
    auth: {
      accessTokens,
      passwords: createPasswordHasher(testPasswordHashParameters),
      sms: createConsoleSmsProvider(() => {}),
      mail: createConsoleMailProvider(() => {}),
      limiter: createRateLimiter({ keyPrefix: "harness:" }),
      codeSecret: secret,
      historySecret: secret,
      now: () => new Date(),
    },
    contentCache: new ContentCache({ ttlMs: 0 }),
    tenancy: {
      resolver: new TenantResolver({ db: db.prisma, ttlMs: 0 }),
      // Cached as the server caches it, so a change that forgets to invalidate fails module tests too.
      facts,
      dns: { resolveTxt: async () => [] },
      billing: manualBilling(),
      platformDomain: undefined,
    },
  };
}
