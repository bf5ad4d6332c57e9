#!/usr/bin/env node
// The `lmm` executable: the real process around main().
import { main } from "./main.js";

process.exitCode = await main(
  process.argv.slice(2),
  { stdout: (text) => void process.stdout.write(text), stderr: (text) => void process.stderr.write(text) },
  { terminal: process.stderr.isTTY === true },
);
