/**
 * Node-only pieces of the pool: starting worker threads (TypeScript sources included), serving
 * tasks on `parentPort`, counting cores. Loaded only by dynamic import after `isNodeRuntime()`.
 *
 * Node builtins are imported through a variable specifier marked for Vite and webpack to ignore,
 * so a browser build that emits this file as a chunk never tries to resolve `node:*`.
 */
import type * as Fs from "node:fs";
import type * as Module from "node:module";
import type * as Os from "node:os";
import type * as Url from "node:url";
import type * as WorkerThreads from "node:worker_threads";
import { WorkerStartError } from "./errors.js";
import { POOL_WORKER_DATA_KEY } from "./protocol.js";
import { createTaskServer } from "./taskServer.js";
import type { TaskTable } from "./tasks.js";

function builtin<T>(name: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ name) as Promise<T>;
}

interface Builtins {
  fs: typeof Fs;
  moduleApi: typeof Module;
  os: typeof Os;
  url: typeof Url;
  threads: typeof WorkerThreads;
}

// No top-level await: a browser bundle may emit this chunk, and older build targets reject it.
let builtins: Promise<Builtins> | undefined;
function node(): Promise<Builtins> {
  builtins ??= Promise.all([
    builtin<typeof Fs>("node:fs"),
    builtin<typeof Module>("node:module"),
    builtin<typeof Os>("node:os"),
    builtin<typeof Url>("node:url"),
    builtin<typeof WorkerThreads>("node:worker_threads"),
  ]).then(([fs, moduleApi, os, url, threads]) => ({ fs, moduleApi, os, url, threads }));
  return builtins;
}

/** Logical cores this process may use. */
export async function availableCores(): Promise<number> {
  const { os } = await node();
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** In a thread started by a pool: answer the pool on `parentPort`. Elsewhere: do nothing. */
export async function serveOnParentPort(tasks: TaskTable): Promise<void> {
  const { threads } = await node();
  const data = threads.workerData as Record<string, unknown> | null | undefined;
  const port = threads.parentPort;
  if (port === null || typeof data !== "object" || data === null || data[POOL_WORKER_DATA_KEY] !== 1) return;
  const server = createTaskServer(tasks, (message, transfer) => port.postMessage(message, transfer as WorkerThreads.TransferListItem[]));
  port.on("message", (message: unknown) => server.receive(message));
}

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;

/**
 * The file a worker URL stands for. Package sources say `new URL("./w.js", import.meta.url)`
 * (the name that ships in dist); run from TypeScript sources that file is `w.ts`, as tsx
 * resolves imports.
 */
export async function resolveModuleUrl(module: URL): Promise<URL> {
  const { fs, url } = await node();
  if (module.protocol !== "file:") return module;
  const path = url.fileURLToPath(module);
  if (fs.existsSync(path)) return module;
  const typescript = path.replace(/\.js$/, ".ts").replace(/\.mjs$/, ".mts");
  if (typescript !== path && fs.existsSync(typescript)) return url.pathToFileURL(typescript);
  throw new WorkerStartError(module.href, `no such file ${path}`);
}

/**
 * Worker entry for TypeScript modules. tsx's `--import tsx` skips registration off the main
 * thread, so the worker registers tsx itself, then imports the task module. The source is a
 * constant (no data is spliced in: both URLs travel in workerData); a data: URL spares shipping a
 * separate .mjs file that tsc would not copy to dist.
 */
const TYPESCRIPT_ENTRY = new URL(
  "data:text/javascript," +
    encodeURIComponent(
      'import { workerData } from "node:worker_threads";\n' +
        "const { register } = await import(workerData.lmmPoolTypeScript.loader);\n" +
        "register();\n" +
        "await import(workerData.lmmPoolTypeScript.module);\n",
    ),
);

/**
 * Starts a worker thread on a task module. TypeScript modules run through tsx (resolved from the
 * module's own folder) with the "source" export condition, so workspace packages load from
 * their sources as in tests.
 */
export async function spawnNodeWorker(module: URL): Promise<WorkerThreads.Worker> {
  const { threads } = await node();
  const entry = await resolveModuleUrl(module);
  const workerData: Record<string, unknown> = { [POOL_WORKER_DATA_KEY]: 1 };
  if (!TYPESCRIPT.test(entry.pathname)) return new threads.Worker(entry, { workerData });
  workerData.lmmPoolTypeScript = { loader: resolveTsxLoader(entry, await node()), module: entry.href };
  const execArgv = hasSourceCondition(process.execArgv) ? process.execArgv : [...process.execArgv, "--conditions=source"];
  return new threads.Worker(TYPESCRIPT_ENTRY, { workerData, execArgv });
}

function hasSourceCondition(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === "--conditions=source" || arg === "-C=source" || ((arg === "--conditions" || arg === "-C") && argv[i + 1] === "source"));
}

/** URL of tsx's ESM `register` API, found from the task module (its package's devDependency). */
function resolveTsxLoader(entry: URL, { fs, moduleApi, url }: Builtins): string {
  for (const from of [url.fileURLToPath(entry), `${process.cwd()}/`]) {
    try {
      const packageJson = moduleApi.createRequire(from).resolve("tsx/package.json");
      const manifest = JSON.parse(fs.readFileSync(packageJson, "utf8")) as { exports?: Record<string, unknown> };
      const api = manifest.exports?.["./esm/api"] as { import?: string | { default?: string } } | undefined;
      const target = typeof api?.import === "string" ? api.import : api?.import?.default;
      if (typeof target === "string") return new URL(target, url.pathToFileURL(packageJson)).href;
    } catch {
      // not installed there; try the next place
    }
  }
  throw new WorkerStartError(
    entry.href,
    "it is TypeScript, and tsx (needed to run TypeScript in worker threads) was not found; install tsx or point workerUrl at compiled JavaScript",
  );
}
