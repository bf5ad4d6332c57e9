import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  createPool,
  PoolClosedError,
  RunAbortedError,
  WorkerExitedError,
  WorkerStartError,
  WorkerTaskError,
  type WorkerPool,
} from "../src/parallel/index.js";
import { AbortedError, InvalidArgumentError, LmmError } from "../src/errors/LmmError.js";
import type tasks from "./fixtures/parallelTasks.js";

const workerUrl = new URL("./fixtures/parallelTasks.js", import.meta.url);
type Tasks = typeof tasks;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One two-worker pool shared by the tests, on purpose: each fault must leave it usable.
const workers = createPool<Tasks>({ workerUrl, size: 2 });
const serial = createPool<Tasks>({ workerUrl, size: 0 });
afterAll(async () => {
  await Promise.all([workers.close(), serial.close()]);
});

const values = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("worker pool: a handler throws", () => {
  for (const [name, pool] of [["2 workers", workers], ["in-process", serial]] as const) {
    it(`rejects with WorkerTaskError naming task, payload and label, with partial results (${name})`, async () => {
      const payloads = values(40).map((value) => ({ value, failAt: 17 }));
      const error = await pool.run("failAt", payloads, { chunkSize: 4, label: (p) => `feature_${p.value}` }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerTaskError);
      expect(error).toBeInstanceOf(LmmError);
      const e = error as WorkerTaskError<number>;
      expect(e.code).toBe("WORKER_TASK_FAILED");
      expect([e.task, e.index, e.label, e.originalName, e.originalMessage]).toEqual(["failAt", 17, "feature_17", "RangeError", "value 17 is cursed"]);
      expect(e.message).toContain('"feature_17"');
      expect(e.partial).toHaveLength(40);
      expect(e.partial[17]).toBeUndefined();
      expect(e.partial[16]).toBe(32); // same chunk, before the failure
      e.partial.forEach((result, i) => result === undefined || expect(result).toBe(2 * i));
      // …and the pool carries on.
      expect(await pool.run("failAt", values(9).map((value) => ({ value, failAt: -1 })))).toEqual(values(9).map((v) => 2 * v));
    });
  }

  it("reports a result that cannot be sent back as the handler's failure on that payload", async () => {
    for (const pool of [workers, serial]) {
      const e = (await pool.run("unsendable", values(5), { chunkSize: 5 }).catch((x: unknown) => x)) as WorkerTaskError;
      expect(e).toBeInstanceOf(WorkerTaskError);
      expect([e.index, e.partial[1], e.partial[2]]).toEqual([2, 1, undefined]);
    }
  });
});

describe("worker pool: a worker dies", () => {
  it("reports the task and payload the worker was running, replaces it and runs again", async () => {
    const payloads = values(12).map((value) => ({ value, exitAt: 5 }));
    const error = await workers.run("exitAt", payloads, { chunkSize: 3, label: (p) => `snp${p.value}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerExitedError);
    expect(error).toBeInstanceOf(WorkerTaskError);
    const e = error as WorkerExitedError;
    expect(e.code).toBe("WORKER_EXITED");
    expect(e.task).toBe("exitAt");
    expect(e.reason).toBe("exit code 7");
    // Node threads share a memory cell with the pool, so the payload is known exactly.
    expect([e.index, e.lastIndex, e.label]).toEqual([5, 5, "snp5"]);
    // Results of the dead worker's chunk are lost with it; whatever else arrived is correct.
    expect(e.partial).toHaveLength(12);
    expect(e.partial[5]).toBeUndefined();
    e.partial.forEach((result, i) => result === undefined || expect(result).toBe(i));
    expect(workers.workerCount).toBeLessThanOrEqual(2);
    expect(await workers.run("exitAt", values(12).map((value) => ({ value, exitAt: -1 })))).toEqual(values(12));
  });
});

describe("worker pool: abort", () => {
  it("rejects at once, terminates the busy workers (no thread keeps running) and can run again", async () => {
    // counters[0] counts payloads started, counters[1] is a heartbeat ticked by running spins.
    const counters = new Int32Array(new SharedArrayBuffer(8));
    const controller = new AbortController();
    const payloads = Array.from({ length: 20 }, () => ({ ms: 120_000 }));
    const running = workers.run("spin", payloads, { shared: counters, signal: controller.signal, chunkSize: 1 });
    while (Atomics.load(counters, 0) < 2) await sleep(5);
    controller.abort("user pressed stop");
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as RunAbortedError).reason).toBe("user pressed stop");
    expect((error as RunAbortedError).done).toBe(0);
    expect(workers.workerCount).toBe(0);
    // Had a spin survived, it would tick the heartbeat for two more minutes.
    await sleep(150);
    const beat = Atomics.load(counters, 1);
    await sleep(250);
    expect(Atomics.load(counters, 1)).toBe(beat);
    expect(Atomics.load(counters, 0)).toBe(2); // nothing started past the first chunk of each worker
    expect(await workers.run("offset", [1, 2], { shared: { offset: 1 } })).toEqual([2, 3]);
  });

  it("stops an in-process run between payloads", async () => {
    const controller = new AbortController();
    const payloads = Array.from({ length: 30 }, () => ({ steps: 2, ms: 10 }));
    let calls = 0;
    const running = serial.run("steps", payloads, {
      signal: controller.signal,
      chunkSize: 1,
      onProgress: (done) => {
        calls++;
        if (done >= 2) controller.abort();
      },
    });
    const e = (await running.catch((x: unknown) => x)) as RunAbortedError<number>;
    expect(e).toBeInstanceOf(RunAbortedError);
    expect(e.done).toBeLessThan(30);
    const callsAtAbort = calls;
    await sleep(100);
    expect(calls).toBe(callsAtAbort);
    expect(await serial.run("offset", [1], { shared: { offset: 1 } })).toEqual([2]);
  });

  it("rejects a run whose signal is already aborted without starting anything", async () => {
    const p = createPool<Tasks>({ workerUrl, size: 2 });
    await expect(p.run("offset", [1], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RunAbortedError);
    expect(p.workerCount).toBe(0);
    await p.close();
  });

  it("lets the process exit after an abort, without close()", async () => {
    const script = fileURLToPath(new URL("./fixtures/abortThenExit.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    // A surviving spin would hold the process for two minutes; 30 s is a bound, not a benchmark.
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => (child.kill(), resolve("still running after 30 s")), 30_000);
      child.on("exit", (status) => (clearTimeout(timer), resolve(status ?? "killed")));
    });
    expect(code, err).toBe(0);
    expect(JSON.parse(out)).toEqual({ error: "RunAbortedError", workersAfterAbort: 0, again: [2, 3], workersAtEnd: 2 });
  });
});

describe("worker pool: bad input and bad modules", () => {
  it("names an unknown task and the tasks on offer", async () => {
    const e = (await workers.run("nope" as "offset", [1]).catch((x: unknown) => x)) as InvalidArgumentError;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.argument).toBe("task");
    expect(e.message).toContain('"simulate"');
  });

  it("names a payload that cannot be cloned", async () => {
    const e = (await workers.run("offset", [1, (() => 2) as unknown as number]).catch((x: unknown) => x)) as InvalidArgumentError;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.argument).toBe("payloads[1]");
  });

  it("rejects bad options", () => {
    expect(() => createPool({ workerUrl, size: -1 })).toThrow(InvalidArgumentError);
    expect(() => createPool({ workerUrl, chunkSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => createPool({})).toThrow(InvalidArgumentError);
  });

  it("reports a missing module and a module that never calls serveTasks, then runs once fixed", async () => {
    for (const [file, reason] of [["./fixtures/missing.js", "no such file"], ["./fixtures/noServeTasks.js", "exit code 0"]]) {
      for (const size of [0, 1]) {
        const p = createPool<Tasks>({ workerUrl: new URL(file, import.meta.url), size });
        const e = (await p.run("offset", [1]).catch((x: unknown) => x)) as WorkerStartError;
        expect(e).toBeInstanceOf(WorkerStartError);
        if (size === 1) expect(e.reason).toContain(reason);
        expect(p.workerCount).toBe(0);
        await p.close();
      }
    }
  });

  it("gives up on a worker that does not answer in time", async () => {
    const p = createPool<Tasks>({ workerUrl, size: 1, startTimeoutMs: 1 });
    const e = (await p.run("offset", [1]).catch((x: unknown) => x)) as WorkerStartError;
    expect(e).toBeInstanceOf(WorkerStartError);
    expect(e.reason).toContain("no answer within 1 ms");
    expect(p.workerCount).toBe(0);
    await p.close();
  });

  it("refuses to run once closed", async () => {
    const p = createPool<Tasks>({ workerUrl, size: 1 });
    expect(await p.run("offset", [1], { shared: { offset: 1 } })).toEqual([2]);
    await p.close();
    expect(p.workerCount).toBe(0);
    await expect(p.run("offset", [1])).rejects.toBeInstanceOf(PoolClosedError);
  });
});
