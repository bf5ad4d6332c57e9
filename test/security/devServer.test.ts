// The notebooks' dev server (`pnpm start`) serves only files inside its folder, on loopback only.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../notebooks/scripts/serve.js";

const base = mkdtempSync(join(tmpdir(), "lmm-serve-"));
const root = join(base, "dist");
let server: Server, url: string;

beforeAll(async () => {
  mkdirSync(join(root, "sub"), { recursive: true });
  mkdirSync(join(base, "dist-secret"));
  writeFileSync(join(root, "index.html"), "<p>notebooks</p>");
  writeFileSync(join(root, "sub", "page.html"), "<p>page</p>");
  writeFileSync(join(root, "..name.txt"), "a file whose name starts with two dots");
  writeFileSync(join(base, "dist-secret", "secret.txt"), "secret");
  writeFileSync(join(base, "outside.txt"), "outside");
  symlinkSync(join(base, "dist-secret", "secret.txt"), join(root, "leak.txt"));
  symlinkSync(join(base, "dist-secret"), join(root, "leakdir"));
  symlinkSync(join(root, "sub", "page.html"), join(root, "inside-link.html"));
  ({ server, url } = await serve(root));
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const get = async (path: string) => {
  const res = await fetch(url + path.replace(/^\//, ""));
  return { status: res.status, body: await res.text() };
};

describe("notebooks dev server", () => {
  it("listens on the loopback address only", () => {
    const address = server.address();
    expect(typeof address === "object" && address?.address).toBe("127.0.0.1");
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("serves files inside its folder, folders by their index.html, and links that stay inside", async () => {
    expect(await get("/")).toEqual({ status: 200, body: "<p>notebooks</p>" });
    expect((await get("/sub/page.html")).status).toBe(200);
    expect((await get("/inside-link.html")).body).toBe("<p>page</p>");
    expect((await get("/..name.txt")).status).toBe(200);
  });

  it("refuses a path that escapes into a sibling folder whose name starts like the root's", async () => {
    for (const path of ["/..%2fdist-secret/secret.txt", "/%2e%2e%2fdist-secret%2fsecret.txt", "/..%2f..%2foutside.txt", "/sub/..%2f..%2fdist-secret/secret.txt"]) {
      const r = await get(path);
      expect(r, path).toEqual({ status: 404, body: "not found" });
    }
  });

  it("refuses symbolic links that leave the folder", async () => {
    expect(await get("/leak.txt")).toEqual({ status: 404, body: "not found" });
    expect(await get("/leakdir/secret.txt")).toEqual({ status: 404, body: "not found" });
  });
});
