export * from "./errors/LmmError.js";
export { Rng } from "./random/Rng.js";
export * from "./stats/distributions.js";
