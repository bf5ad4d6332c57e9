export { main } from "./main.js";
export type { Command, CommandIo } from "./command.js";
