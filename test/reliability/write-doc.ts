// `pnpm errors-doc`: writes docs/errors.md from the catalogue.
import { writeFileSync } from "node:fs";
import { catalogueMarkdown } from "./catalogue.js";

writeFileSync(new URL("../../docs/errors.md", import.meta.url), await catalogueMarkdown());
console.log("wrote docs/errors.md");
