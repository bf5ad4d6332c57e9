import { describe, expect, it } from "vitest";
import { createPool } from "../src/parallel/index.js";
import type outerTasks from "./fixtures/outerTasks.js";

describe("a worker whose task imports another task module", () => {
  it("keeps answering with its own module's tasks", async () => {
    const pool = createPool<typeof outerTasks>({ workerUrl: new URL("./fixtures/outerTasks.js", import.meta.url), size: 1 });
    try {
      expect(await pool.run("outer", [2, 3])).toEqual([21, 31]);
      expect(await pool.run("outer", [4])).toEqual([41]);
    } finally {
      await pool.close();
    }
  });
});
