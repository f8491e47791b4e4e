import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadModuleManifests, ManifestError } from "./load-manifests.ts";

const valid = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `The ${id} module`,
  version: "1.2.0",
  core: "^0.1.0",
  ...extra,
});

let root: string;
async function modulesDir(manifests: Record<string, unknown>): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), "tenantry-modules-"));
  for (const [folder, manifest] of Object.entries(manifests)) {
    await mkdir(path.join(root, folder));
    await writeFile(path.join(root, folder, "manifest.json"), typeof manifest === "string" ? manifest : JSON.stringify(manifest));
  }
  return root;
}
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("loadModuleManifests", () => {
  it("loads every valid manifest in id order, with defaults", async () => {
    const dir = await modulesDir({
      shop: valid("shop"),
      "loyalty-points": valid("loyalty-points", { dependencies: { shop: "^1.0.0" } }),
    });
    const modules = await loadModuleManifests(dir, "0.1.0");
    expect(modules.map((m) => m.manifest.id)).toEqual(["loyalty-points", "shop"]);
    expect(modules[1]!.manifest).toMatchObject({ description: "", dependencies: {}, permissions: {} });
  });

  it("finds nothing in an empty folder, and refuses a missing one, naming it", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "tenantry-no-modules-"));
    try {
      expect(await loadModuleManifests(empty, "0.1.0")).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const missing = path.join(tmpdir(), "no-such-folder-tenantry");
    await expect(loadModuleManifests(missing, "0.1.0")).rejects.toThrow(`${missing}: the modules folder does not exist`);
  });

  it.each([
    ["not JSON", "{ nope", undefined, /not valid JSON/],
    ["bad id", valid("Shop!"), "id", /kebab-case/],
    ["bad version", valid("shop", { version: "1.2" }), "version", /semantic version/],
    ["bad core range", valid("shop", { core: "whenever" }), "core", /semver range/],
    ["missing name", { ...valid("shop"), name: undefined }, "name", /./],
    ["unknown key", valid("shop", { permisions: {} }), undefined, /permisions/],
    ["bad role", valid("shop", { permissions: { "products.manage": ["boss"] } }), "permissions.products.manage.0", /./],
    ["bad plan code", valid("shop", { plans: ["Pro Plan"] }), "plans.0", /plan code/],
  ])("names the file, the field and the reason: %s", async (_label, manifest, field, reason) => {
    const dir = await modulesDir({ shop: manifest });
    const error = await loadModuleManifests(dir, "0.1.0").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    const manifestError = error as ManifestError;
    expect(manifestError.file).toBe(path.join(dir, "shop", "manifest.json"));
    expect(manifestError.field).toBe(field);
    expect(manifestError.message).toMatch(reason);
    expect(manifestError.message.startsWith(manifestError.file)).toBe(true);
  });

  it("refuses an id that does not match its folder", async () => {
    const dir = await modulesDir({ shop: valid("store") });
    await expect(loadModuleManifests(dir, "0.1.0")).rejects.toThrow(/id: must match its folder name "shop"/);
  });

  it("refuses a core version outside the module's range", async () => {
    const dir = await modulesDir({ shop: valid("shop", { core: "^2.0.0" }) });
    await expect(loadModuleManifests(dir, "0.1.0")).rejects.toThrow(/core: needs core \^2\.0\.0, this is 0\.1\.0/);
  });

  it("refuses missing dependencies and versions outside the wanted range", async () => {
    const missing = await modulesDir({ loyalty: valid("loyalty", { dependencies: { shop: "^1.0.0" } }) });
    await expect(loadModuleManifests(missing, "0.1.0")).rejects.toThrow(/dependencies\.shop: no such module/);
    await rm(missing, { recursive: true, force: true });
    const old = await modulesDir({ shop: valid("shop"), loyalty: valid("loyalty", { dependencies: { shop: "^2.0.0" } }) });
    await expect(loadModuleManifests(old, "0.1.0")).rejects.toThrow(
      /dependencies\.shop: needs \^2\.0\.0, modules\/shop is 1\.2\.0/,
    );
  });
});
