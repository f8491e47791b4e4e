export { openDatabase, type Database, type Prisma } from "./database.ts";
export {
  databaseEnvSchema,
  databaseOptionsFromEnv,
  type DatabaseEnv,
  type DatabaseOptions,
} from "./config.ts";
export {
  ForeignKeyConstraintError,
  RecordNotFoundError,
  UniqueConstraintError,
} from "./errors.ts";
export type * from "./generated/prisma/client.ts";
