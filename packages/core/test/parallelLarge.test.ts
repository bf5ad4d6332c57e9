// Results too large to send back from a worker are named by task, payloads and size, not a raw RangeError.
import { afterAll, describe, expect, it } from "vitest";
import { createPool, WorkerTaskError } from "../src/parallel/index.js";
import type tasks from "./fixtures/largeResults.js";

const pool = createPool<typeof tasks>({ workerUrl: new URL("./fixtures/largeResults.js", import.meta.url), size: 1 });
afterAll(() => pool.close());

describe("worker pool: results too large to transfer", () => {
  it("names the task, the payloads and the size; the pool stays usable", async () => {
    // Two results of 3 MB each: each could be sent, the chunk's message (6 MB) cannot.
    const error = await pool.run("column", [375_000, 375_000], { chunkSize: 2, label: (n) => `column of ${n}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerTaskError);
    const e = error as WorkerTaskError;
    expect(e.originalCode).toBe("WORKER_RESULT_TOO_LARGE");
    expect(e.message.split("\n")).toHaveLength(1);
    expect(e.message).toMatch(/results of task "column" for payloads 0–1 \(about 6\.00 MB\) are too large to send back from the worker in one message \(RangeError: Array buffer allocation failed\)/);
    expect(e.message).toMatch(/chunkSize/);
    expect(await pool.run("column", [3])).toEqual([Float64Array.of(1, 1, 1)]);
  });
});
