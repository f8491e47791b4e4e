/**
 * Part of the install (`postinstall`): makes the embedded database's starting points once, so
 * that a new data folder, a migration's shadow database or a test database is a copy of one
 * instead of running `initdb` (2–5 s) and replaying every migration (~1.5 s). Keeps what is
 * there already for this PGlite version and these migrations.
 */
import { emptyClusterSnapshot } from "../connection/kept-clusters.ts";
import { migratedCluster } from "../migrations/migrated-cluster.ts";
import { findWorkspaceLayout } from "../workspace-layout.ts";

await emptyClusterSnapshot();
await migratedCluster(findWorkspaceLayout(import.meta.dirname));
