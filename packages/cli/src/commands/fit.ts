import { parseArgs } from "node:util";
import { InvalidArgumentError, lmm } from "@lmm/core";
import type { Command } from "../command.js";
import { readData } from "../io/files.js";

export const fitCommand: Command = {
  name: "fit",
  summary: "fit a linear mixed model to a CSV file",
  usage: 'lmm fit --data FILE.csv --formula "y ~ x + (1 | g)" [--ml] [--columns FILE.columns.json] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        data: { type: "string" },
        formula: { type: "string" },
        columns: { type: "string" },
        ml: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (!values.data) throw new InvalidArgumentError("--data", undefined, "a CSV file");
    if (!values.formula) throw new InvalidArgumentError("--formula", undefined, 'a formula such as "y ~ x + (1 | g)"');
    const { data, levels } = readData(values.data, values.columns);
    const model = lmm(values.formula, data, { levels, reml: !values.ml });
    io.stdout(values.json ? JSON.stringify(model.toJSON(), null, 2) + "\n" : model.summary());
    return 0;
  },
};
