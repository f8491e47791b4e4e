import { readdir } from "node:fs/promises";
import type { Dirent } from "node:fs";

/**
 * The entries of a folder that must exist. A missing one is a configuration error (a copy of the
 * repository without it, a wrong path), not an empty folder: it is reported with `what` it is,
 * where it was looked for and where the path comes from.
 */
export async function readRequiredFolder(dir: string, what: string, configuredBy: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`The ${what} folder ${dir} does not exist (${configuredBy}).`, { cause: error });
    }
    throw error;
  }
}
