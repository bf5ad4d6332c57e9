// `pnpm start`: builds the notebooks and serves them on 127.0.0.1 (PORT, default 3000).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", join(root, "scripts", "build.ts")], { stdio: "inherit", cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);
const { url } = await serve(join(root, "dist"), Number(process.env.PORT ?? 3000));
console.log(`\nNotebooks are served at ${url}  (Ctrl-C to stop)`);
