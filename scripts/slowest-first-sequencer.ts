import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order `pnpm test` (one vitest process, every package a project) starts test files in, so
 * that both workers stay busy to the end: a file that takes a minute, started last, leaves one
 * core idle for that minute.
 *
 * - Projects that hold one of the slow files below first, in the order of their slowest file,
 *   then the rest by the size of their test files, largest first: the server's HTTP suite (over
 *   half of all the work) starts at once, the small packages fill the end. A project's files run
 *   back to back because a worker is reused only for the same project's next file (a new one
 *   re-imports the package's module graph).
 * - Within a project, the slow files first, in this order, then the rest by size.
 *
 * Vitest's own order (projects by name, then last run's durations or file size) starts the
 * server's suite last and, on a clean clone, its longest file late.
 */
const slowestFiles = [
  // Measured 2026-12-02, seconds with two workers: 41, 19, 15, 8, 8, 8; 16, 13, 11.
  "apps/server/test/fuzz-openapi.test.ts",
  "apps/server/test/tenant-isolation.test.ts",
  "apps/server/test/tenant-members.test.ts",
  "apps/server/test/invitations.test.ts",
  "apps/server/test/modules-lifecycle.test.ts",
  "apps/server/test/shop-last-item.test.ts",
  "packages/sdk/test/packed-sdk.test.ts",
  "packages/module-runtime/src/scaffold/scaffold-module.test.ts",
  "packages/db/src/migrations/migrator.test.ts",
];

const root = path.resolve(import.meta.dirname, "..");

// A renamed or removed file would silently lose its place: say so instead.
const missing = slowestFiles.filter((file) => !existsSync(path.join(root, file)));
if (missing.length > 0) throw new Error(`slowest-first-sequencer.ts names test files that do not exist: ${missing.join(", ")}`);

const rank = (file: string) => {
  const index = slowestFiles.indexOf(path.relative(root, file));
  return index === -1 ? slowestFiles.length : index;
};

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Each file's rank and size read once, not once per comparison.
    const fileRank = new Map(files.map((file) => [file, rank(file.moduleId)]));
    const fileSize = new Map(files.map((file) => [file, statSync(file.moduleId).size]));
    const projectRank = new Map<string, number>();
    const projectSize = new Map<string, number>();
    for (const file of files) {
      const name = file.project.name;
      projectRank.set(name, Math.min(projectRank.get(name) ?? Infinity, fileRank.get(file)!));
      projectSize.set(name, (projectSize.get(name) ?? 0) + fileSize.get(file)!);
    }
    return [...files].sort(
      (a, b) =>
        projectRank.get(a.project.name)! - projectRank.get(b.project.name)! ||
        projectSize.get(b.project.name)! - projectSize.get(a.project.name)! ||
        a.project.name.localeCompare(b.project.name) ||
        fileRank.get(a)! - fileRank.get(b)! ||
        fileSize.get(b)! - fileSize.get(a)!,
    );
  }
}
