export * from "./batch/index.js";
export * from "./harmonise/index.js";
