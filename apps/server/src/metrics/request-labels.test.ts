import { appRouter } from "@tenantry/api";
import { describe, expect, it } from "vitest";
import { requestLabeller } from "./request-labels.ts";

const label = requestLabeller(appRouter, "/api/v1");

describe("request labels", () => {
  it("name REST operations by procedure, whatever ids the path carries", () => {
    expect(label("GET", "/api/v1/plans?limit=5")).toEqual({ transport: "rest", procedure: "plans.list" });
    expect(label("DELETE", "/api/v1/tenant/members/0b7c6f1e-1111-4222-8333-944455556666")).toEqual({
      transport: "rest",
      procedure: "tenants.members.remove",
    });
    // Same path, another method: another operation, or none.
    expect(label("PUT", "/api/v1/tenant/members/x").procedure).toBe("(unknown)");
  });

  it("name tRPC calls by the path in the URL only when the router has it", () => {
    expect(label("GET", "/trpc/plans.list?input={}")).toEqual({ transport: "trpc", procedure: "plans.list" });
    expect(label("GET", "/trpc/plans.list,tenants.get?batch=1").procedure).toBe("(batch)");
    expect(label("GET", "/trpc/plans.list,no.such?batch=1").procedure).toBe("(unknown)");
    expect(label("GET", "/trpc/%E0%A4%A").procedure).toBe("(unknown)");
    expect(label("GET", "/trpc/tenant-slug-or-anything").procedure).toBe("(unknown)");
  });

  it("keep anything else out of the procedure label", () => {
    expect(label("GET", "/health")).toEqual({ transport: "other", procedure: "(none)" });
    expect(label("GET", "/api/v1/no/such/thing")).toEqual({ transport: "rest", procedure: "(unknown)" });
  });
});
