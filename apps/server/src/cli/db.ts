/**
 * The migration CLI (`create`, `migrate`, `status`, `reset`), as an entry of the server's build:
 * a production image has no TypeScript tooling, and runs `node dist/db.js migrate` instead of
 * `pnpm db:migrate`.
 */
import "@tenantry/db/cli";
