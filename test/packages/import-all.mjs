// Imports every entry point of every installed package from plain Node ESM and prints, per entry, where it
// resolved and the names it exports (copied into the app, so that bare imports resolve from its node_modules).
import { fileURLToPath } from "node:url";

const entries = JSON.parse(process.argv[2]);
const out = {};
for (const entry of entries) {
  const module = await import(entry);
  out[entry] = { path: fileURLToPath(import.meta.resolve(entry)), names: Object.keys(module).sort() };
}
console.log(JSON.stringify(out));
