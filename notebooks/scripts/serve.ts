// A small static file server for the built notebooks, on 127.0.0.1 only.
import { createServer, type Server } from "node:http";
import { readFile, realpath, stat } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

/**
 * The file a URL path names under `root` (a real path), or null when it would leave the root: the
 * decoded path, then every symbolic link resolved, must stay inside the root with a separator boundary
 * (so `/..%2fdist-secret/x` cannot reach a sibling folder whose name starts like the root's, and a link
 * to a file outside is refused).
 */
export async function resolveInside(root: string, urlPath: string): Promise<string | null> {
  if (urlPath.includes("\0")) return null;
  const inside = (path: string) => {
    const rel = relative(root, path);
    return rel === "" || (rel !== ".." && !rel.startsWith(".." + sep) && !isAbsolute(rel));
  };
  const requested = resolve(root, "." + urlPath);
  if (!inside(requested)) return null;
  let file = await realpath(requested).catch(() => null);
  if (file === null || !inside(file)) return null;
  if ((await stat(file)).isDirectory()) {
    file = await realpath(join(file, "index.html")).catch(() => null);
    if (file === null || !inside(file)) return null;
  }
  return file;
}

/** Serves `dir` on 127.0.0.1:`port` (0 = any free port); resolves to the server and its address. */
export async function serve(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const rootDir = await realpath(resolve(dir));
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      if (path === "/favicon.ico") {
        res.writeHead(204);
        res.end();
        return;
      }
      const file = await resolveInside(rootDir, path);
      if (file === null) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return { server, url: `http://127.0.0.1:${actual}/` };
}
