import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Packs the SDK into `dir` as a release would (`pnpm pack` rewrites `workspace:` ranges and runs
 * `prepack`, the build) and returns the tarball's path. The build is a TypeScript program over
 * the whole API (~10 s of CPU), so a run packs once and every test of the built SDK uses it.
 */
export function packSdk(dir: string): string {
  execFileSync("npx", ["-y", "pnpm@10.34.8", "pack", "--pack-destination", dir], { cwd: packageDir, stdio: "pipe" });
  const tarball = readdirSync(dir).find((file) => file.endsWith(".tgz"));
  if (!tarball) throw new Error(`pnpm pack left no tarball in ${dir}`);
  return `${dir}/${tarball}`;
}

/** Unpacks the tarball's `dist/` (npm tarballs hold everything under `package/`) into `dir`. */
export function unpackDist(tarball: string, dir: string): void {
  execFileSync("tar", ["-xzf", tarball, "-C", dir, "--strip-components=1", "package/dist"], { stdio: "pipe" });
}
