import { afterAll, describe, expect, it } from "vitest";
import { createPool, type WorkerPool } from "../src/parallel/index.js";
import type tasks from "./fixtures/parallelTasks.js";

// The fixture is named as it ships (".js"); run from sources, the pool finds the ".ts" beside it.
const workerUrl = new URL("./fixtures/parallelTasks.js", import.meta.url);
type Tasks = typeof tasks;

const pools = new Map<number, WorkerPool<Tasks>>();
function pool(size: number): WorkerPool<Tasks> {
  let p = pools.get(size);
  if (p === undefined) pools.set(size, (p = createPool<Tasks>({ workerUrl, size })));
  return p;
}
afterAll(async () => {
  await Promise.all([...pools.values()].map((p) => p.close()));
});

const simulations = Array.from({ length: 60 }, () => ({ seed: 20240611, n: 25 }));

describe("worker pool: results", () => {
  it("returns results in payload order, identical to the in-process run, for 1, 2 and 3 workers", async () => {
    const serial = await pool(0).run("simulate", simulations);
    expect(serial.map((r) => r.index)).toEqual(simulations.map((_, i) => i));
    expect(pool(0).workerCount).toBe(0);
    // Exact equality: each payload draws from Rng.stream(seed, index), so neither the number of
    // workers nor the chunking may change a single bit.
    for (const size of [1, 2, 3]) {
      for (const chunkSize of [1, 7, "auto"] as const) {
        expect(await pool(size).run("simulate", simulations, { chunkSize })).toEqual(serial);
      }
      expect(pool(size).workerCount).toBeGreaterThan(0);
      expect(pool(size).workerCount).toBeLessThanOrEqual(size);
    }
  });

  it("sends the shared value once per worker and moves transferred buffers both ways", async () => {
    for (const size of [0, 2]) {
      const p = pool(size);
      expect(await p.run("offset", [1, 2, 3, 4, 5], { shared: { offset: 0.5 }, chunkSize: 1 })).toEqual([1.5, 2.5, 3.5, 4.5, 5.5]);
      const payloads = [new Float64Array([1, 2, 3]), new Float64Array([4, 5])];
      const sums = await p.run("sum", payloads, { transfer: (xs) => [xs.buffer] });
      expect(sums).toEqual([6, 9]);
      // Transferred, not copied: the caller's buffers are detached, in-process as across threads.
      expect(payloads.map((xs) => xs.byteLength)).toEqual([0, 0]);
      const columns = await p.run("column", [2, 4]);
      expect(columns[1]).toBeInstanceOf(Float64Array);
      expect(Array.from(columns[1])).toEqual([1, 1.25, 1.5, 1.75]);
    }
  });

  it("keeps concurrent runs on one pool apart, each with its own shared value", async () => {
    for (const size of [0, 2]) {
      const xs = Array.from({ length: 25 }, (_, i) => i);
      const [a, b] = await Promise.all([
        pool(size).run("offset", xs, { shared: { offset: 1000 }, chunkSize: 3 }),
        pool(size).run("offset", xs, { shared: { offset: -1000 }, chunkSize: 2 }),
      ]);
      expect(a).toEqual(xs.map((x) => x + 1000));
      expect(b).toEqual(xs.map((x) => x - 1000));
    }
  });

  it("returns [] for no payloads without starting workers", async () => {
    const p = createPool<Tasks>({ workerUrl, size: 2 });
    expect(await p.run("simulate", [])).toEqual([]);
    expect(p.workerCount).toBe(0);
    await p.close();
  });
});

describe("worker pool: progress", () => {
  for (const size of [0, 2]) {
    it(`reports monotone progress that reaches the total (size ${size})`, async () => {
      const calls: [number, number, number][] = [];
      // Payloads of 8 steps × 12 ms: long enough (> the 50 ms tick) for ctx.progress to land inside one.
      const payloads = Array.from({ length: 4 }, () => ({ steps: 8, ms: 12 }));
      const result = await pool(size).run("steps", payloads, { chunkSize: 2, onProgress: (d, n, f) => calls.push([d, n, f]) });
      expect(result).toEqual([0, 1, 2, 3]);
      expect(calls.length).toBeGreaterThan(0);
      for (let i = 1; i < calls.length; i++) {
        expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
        expect(calls[i][2]).toBeGreaterThanOrEqual(calls[i - 1][2]);
      }
      for (const [done, total, fraction] of calls) {
        expect(total).toBe(4);
        expect(done).toBeLessThanOrEqual(4);
        expect(fraction).toBeLessThanOrEqual(1);
        expect(fraction * total).toBeGreaterThanOrEqual(done);
      }
      expect(calls.at(-1)).toEqual([4, 4, 1]);
      // Fractions between whole payloads come from ctx.progress inside a payload.
      expect(calls.some(([done, total, fraction]) => fraction * total > done)).toBe(true);
    });
  }
});
