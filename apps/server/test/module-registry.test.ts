import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "@tenantry/db";
import { loadModuleManifests, syncModuleRegistry } from "@tenantry/module-runtime";
import type { ModuleManifest } from "@tenantry/module-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StartupError, createLogger, startServer } from "./support/server-under-test.ts";
import { startTestServer, testBackends, testConfig, type TestServer } from "./support/test-server.ts";

const repositoryModules = path.resolve(import.meta.dirname, "../../../modules");

const manifest = (id: string, version = "1.0.0"): ModuleManifest => ({
  id,
  name: `Module ${id}`,
  description: "",
  version,
  core: "^0.1.0",
  dependencies: {},
  permissions: {},
});

describe.each(testBackends())("module registry on $name", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const registry = async () =>
    Object.fromEntries(
      (await server.db.prisma.module.findMany({ orderBy: { id: "asc" } })).map((m) => [m.id, `${m.version} ${m.status}`]),
    );

  it("inserts new modules, updates changed ones, marks missing ones unavailable and never deletes", async () => {
    // The repository's own modules stay on disk throughout.
    const real = (await loadModuleManifests(server.config.modulesDir, "0.1.0")).map((m) => m.manifest);
    const sync = (manifests: ModuleManifest[]) => syncModuleRegistry(server.db.prisma, [...real, ...manifests]);
    expect(await sync([manifest("alpha"), manifest("beta")])).toEqual({
      added: ["alpha", "beta"],
      updated: [],
      unavailable: [],
    });
    expect(await sync([manifest("alpha"), manifest("beta")])).toEqual({
      added: [],
      updated: [],
      unavailable: [],
    });
    expect(await sync([manifest("alpha", "1.1.0")])).toEqual({
      added: [],
      updated: ["alpha"],
      unavailable: ["beta"],
    });
    expect(await registry()).toMatchObject({ alpha: "1.1.0 available", beta: "1.0.0 unavailable" });
    // Back on disk: available again.
    expect((await sync([manifest("alpha", "1.1.0"), manifest("beta")])).updated).toEqual(["beta"]);
    expect(await registry()).toMatchObject({ beta: "1.0.0 available" });
  });

  it("takes turns when instances sync at the same moment", async () => {
    // On PostgreSQL a second pool stands for a second instance; PGlite is one process's database.
    const other = backend.name === "postgres" ? await openDatabase(server.database.options) : undefined;
    try {
      const manifests = [manifest("gamma"), manifest("delta")];
      const results = await Promise.all([
        syncModuleRegistry(server.db.prisma, manifests),
        syncModuleRegistry((other ?? server.db).prisma, manifests),
        syncModuleRegistry(server.db.prisma, manifests),
      ]);
      const added = results.flatMap((r) => r.added).sort();
      expect(added).toEqual(["delta", "gamma"]);
      expect(await registry()).toMatchObject({ gamma: "1.0.0 available", delta: "1.0.0 available" });
    } finally {
      await other?.close();
    }
  });
});

describe("start-up with an invalid manifest", () => {
  let modules: string;
  afterAll(async () => {
    await rm(modules, { recursive: true, force: true });
  });

  it("refuses to start, naming the file, the field and the reason", async () => {
    modules = await mkdtemp(path.join(tmpdir(), "tenantry-modules-"));
    await mkdir(path.join(modules, "shop"));
    await writeFile(path.join(modules, "shop", "manifest.json"), JSON.stringify({ ...manifest("shop"), version: "one" }));
    const database = await testBackends()[0]!.create();
    try {
      const config = testConfig(database, { MODULES_DIR: modules });
      const start = startServer(config, createLogger(config));
      await expect(start).rejects.toBeInstanceOf(StartupError);
      await expect(start).rejects.toThrow(`${path.join(modules, "shop", "manifest.json")}: version: must be a semantic version`);
    } finally {
      await database.drop();
    }
  });
});

describe("start-up when the generated module map and the disk disagree", () => {
  let modules: string;
  afterAll(async () => {
    await rm(modules, { recursive: true, force: true });
  });

  it("refuses to start, naming both sides and the command to run", async () => {
    modules = await mkdtemp(path.join(tmpdir(), "tenantry-modules-"));
    // The compiled-in shop, plus a module that was added without running the codegen.
    await mkdir(path.join(modules, "shop"));
    await writeFile(
      path.join(modules, "shop", "manifest.json"),
      await readFile(path.join(repositoryModules, "shop", "manifest.json")),
    );
    await mkdir(path.join(modules, "loyalty"));
    await writeFile(path.join(modules, "loyalty", "manifest.json"), JSON.stringify(manifest("loyalty")));
    const database = await testBackends()[0]!.create();
    try {
      const config = testConfig(database, { MODULES_DIR: modules });
      const start = startServer(config, createLogger(config));
      await expect(start).rejects.toBeInstanceOf(StartupError);
      await expect(start).rejects.toThrow(
        /on disk: loyalty@1\.0\.0, shop@1\.0\.0; compiled in: shop@1\.0\.0\)\. Run `pnpm modules:generate`/,
      );
    } finally {
      await database.drop();
    }
  });
});
