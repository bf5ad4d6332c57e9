export { lmmHarmonise, type LmmHarmoniseOptions, type LmmHarmonisation } from "./harmonise.js";
