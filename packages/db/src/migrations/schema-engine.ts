import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import type * as EngineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine };

type EngineModule = typeof EngineBindings;

/** The slice of the WebAssembly API used here (Node's types leave it to lib.dom). */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let engineModule: Promise<EngineModule> | undefined;

/**
 * The package entry imports its `.wasm` as an ES module, which Node 20 cannot do without a
 * flag, so the WebAssembly instance is created by hand (once per process).
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    // The package exports neither its package.json nor the .wasm: find them beside the entry.
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    // The bindings keep their WebAssembly instance in module state. A second copy of this file
    // in the process (the server's build next to the source, as when the HTTP suites drive the
    // build) would import the same module and swap the instance under the first copy's engines:
    // each copy imports a module of its own.
    const bindingsUrl = pathToFileURL(path.join(dir, "schema_engine_bg.js"));
    bindingsUrl.searchParams.set("copy", randomUUID());
    const bindings = (await import(bindingsUrl.href)) as EngineModule & {
      __wbg_set_wasm(exports: unknown): void;
    };
    const { instance } = await wasmApi.instantiate(await readFile(path.join(dir, "schema_engine_bg.wasm")), {
      "./schema_engine_bg.js": bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

export interface EngineLogLine {
  level?: string;
  fields?: { message?: string };
}

/** Starts a schema engine that reaches the database only through the given driver adapter. */
export async function startSchemaEngine(
  schemaFiles: Array<{ path: string; content: string }>,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  onLog: (line: EngineLogLine) => void = () => {},
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadEngineModule();
  return SchemaEngine.new(
    { datamodels: schemaFiles.map((f) => [f.path, f.content]) },
    (line: string) => {
      try {
        onLog(JSON.parse(line) as EngineLogLine);
      } catch {
        onLog({ fields: { message: line } });
      }
    },
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
