import type { Command } from "../command.js";
import { fitCommand } from "./fit.js";
import { combatCommand } from "./combat.js";

/** Every sub-command, in the order `lmm` lists them. Each lives in its own file in this folder. */
export const commands: Command[] = [fitCommand, combatCommand];
