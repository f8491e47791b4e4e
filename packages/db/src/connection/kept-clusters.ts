import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { findWorkspaceLayout } from "../workspace-layout.ts";

/** The installed PGlite's version: its data folders and tarballs are in that version's format. */
export function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * Where tarballs are kept between processes: the repository's `node_modules/.cache` (the
 * install writes them; a clone or an image has its own). Outside a repository there is none.
 */
function keptFile(name: string): string | undefined {
  try {
    return path.join(findWorkspaceLayout(import.meta.dirname).root, "node_modules", ".cache", "tenantry", name);
  } catch {
    return undefined;
  }
}

/** A tarball kept under `name` earlier, if there is one. */
export async function readKeptSnapshot(name: string): Promise<Blob | undefined> {
  const file = keptFile(name);
  const bytes = file ? await readFile(file).catch(() => undefined) : undefined;
  return bytes && new SnapshotBlob(bytes);
}

/**
 * A tarball that many databases start from. PGlite reads a snapshot with `arrayBuffer()`,
 * which for a plain Blob streams its parts through a reader and joins them (~15% of a start
 * from a 15 MB snapshot); this one hands out a copy of bytes it keeps, and is an ordinary Blob
 * of the same contents for everything else.
 */
export class SnapshotBlob extends Blob {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    super([bytes]);
    this.#bytes = bytes;
  }

  static async of(blob: Blob): Promise<SnapshotBlob> {
    return blob instanceof SnapshotBlob ? blob : new SnapshotBlob(new Uint8Array(await blob.arrayBuffer()));
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }
}

/** Written whole, then renamed: a concurrent process never reads half a file. Best effort. */
export async function keepSnapshot(name: string, snapshot: Blob): Promise<void> {
  const file = keptFile(name);
  if (!file) return;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}-${randomBytes(4).toString("hex")}`;
    await writeFile(partial, new Uint8Array(await snapshot.arrayBuffer()));
    await rename(partial, file);
  } catch {
    // A read-only install (an image run as another user) makes one per process, as before.
  }
}

let emptyCluster: Promise<Blob> | undefined;

/**
 * WAL segments of 1 MB instead of PostgreSQL's 16: a cluster's newest segment is always in
 * its tarball, mostly zeros, and every database made from it copied them (the migrated
 * snapshot: 26 → 15 MB). An embedded database writes little WAL; the size is fixed at initdb.
 */
const initdbParams = ["--wal-segsize=1"];

/**
 * A freshly initialised, empty cluster as a `dumpDataDir()` tarball. `initdb` is what makes a
 * new PGlite slow (2–5 s here), and its result is the same every time for a PGlite version:
 * it runs once, the tarball is kept on disk, and every new database (the server's data folder,
 * a migration's shadow database, a test's) starts from a copy in well under a second.
 */
export function emptyClusterSnapshot(): Promise<Blob> {
  emptyCluster ??= (async () => {
    const name = `pglite-${pgliteVersion()}-empty-cluster-wal1mb.tar`;
    const kept = await readKeptSnapshot(name);
    if (kept) return kept;
    const pglite = await PGlite.create({ dataDir: "memory://", initDbStartParams: initdbParams });
    let snapshot: Blob;
    try {
      snapshot = await SnapshotBlob.of(await pglite.dumpDataDir("none"));
    } finally {
      await pglite.close();
    }
    await keepSnapshot(name, snapshot);
    return snapshot;
  })();
  return emptyCluster;
}
