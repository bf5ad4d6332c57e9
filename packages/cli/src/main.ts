import { LmmError } from "@lmm/core";
import type { Command, CommandIo } from "./command.js";
import { commands } from "./commands/index.js";

/** Runs `lmm <command> ...args` and resolves to the exit code. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    const list = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join("\n");
    io.stderr(`${name ? `lmm: unknown command ${JSON.stringify(name)}\n` : ""}usage: lmm <command> [options]\n${list}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // Our typed errors, and node:util parseArgs's complaints about the command line, are bad input.
    if (error instanceof LmmError || String((error as { code?: string }).code ?? "").startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`lmm ${command.name}: ${(error as Error).message.split("\n")[0]}\n`);
      return 2;
    }
    throw error;
  }
}

const isEntry = typeof process !== "undefined" && process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isEntry) {
  const io: CommandIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
  main(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}
