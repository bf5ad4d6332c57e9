export { main, type MainOptions } from "./main.js";
export type { Command, CommandIo, Flag, Flags, ProgressSink, ProgressUpdate } from "./command.js";
