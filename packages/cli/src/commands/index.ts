import type { Command } from "../command.js";
import { fitCommand } from "./fit.js";
import { combatCommand } from "./combat.js";
import { grmCommand } from "./grm.js";
import { gwasCommand } from "./gwas.js";
import { influenceCommand } from "./influence.js";
import { losoCommand } from "./loso.js";
import { varpartCommand } from "./varpart.js";

/** Every sub-command, in the order `lmm` lists them. Each lives in its own file in this folder. */
export const commands: Command[] = [fitCommand, influenceCommand, losoCommand, varpartCommand, combatCommand, grmCommand, gwasCommand];
