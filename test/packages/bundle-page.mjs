// Bundles the page in APP (index.html, main.js, data.js) with Vite's defaults into APP/dist, resolving the
// bare imports from APP/node_modules as a user's project would. Usage: node bundle-page.mjs APP
import { build } from "vite";

const root = process.argv[2];
await build({ root, configFile: false, logLevel: "warn", mode: "production", build: { outDir: "dist", emptyOutDir: true } });
