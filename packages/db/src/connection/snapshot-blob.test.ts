import { describe, expect, it } from "vitest";
import { SnapshotBlob } from "./kept-clusters.ts";

describe("SnapshotBlob", () => {
  const bytes = new TextEncoder().encode("a tarball's bytes");

  it("hands out its bytes from arrayBuffer(), a fresh copy each time", async () => {
    const blob = new SnapshotBlob(bytes);
    const first = new Uint8Array(await blob.arrayBuffer());
    expect(first).toEqual(bytes);
    first[0] = 0;
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
  });

  it("is an ordinary Blob of the same contents for everything else", async () => {
    const blob = new SnapshotBlob(bytes);
    expect(blob.size).toBe(bytes.byteLength);
    expect(await blob.text()).toBe("a tarball's bytes");
    expect(await blob.slice(2, 9).text()).toBe("tarball");
    expect(new Uint8Array(await new Response(blob.stream()).arrayBuffer())).toEqual(bytes);
  });

  it("wraps a plain Blob once, and a SnapshotBlob not at all", async () => {
    const wrapped = await SnapshotBlob.of(new Blob([bytes]));
    expect(wrapped).toBeInstanceOf(SnapshotBlob);
    expect(new Uint8Array(await wrapped.arrayBuffer())).toEqual(bytes);
    expect(await SnapshotBlob.of(wrapped)).toBe(wrapped);
  });
});
