import { InvalidArgumentError } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";

/**
 * Stratified fold assignment: the rows of each class are shuffled (seeded) and dealt in turn to folds
 * 0..nFolds-1, continuing across classes, so every fold gets each class in proportion and folds differ in
 * size by at most one.
 *
 * @example
 * ```ts
 * stratifiedFolds(Int32Array.of(0, 0, 0, 1, 1, 1), 3, 42); // e.g. Int32Array [2, 0, 1, 1, 2, 0]
 * ```
 */
export function stratifiedFolds(classes: ArrayLike<number>, nFolds: number, seed: number): Int32Array {
  const n = classes.length;
  if (!Number.isInteger(nFolds) || nFolds < 2 || nFolds > n) throw new InvalidArgumentError("folds", nFolds, `an integer in 2..${n} (the number of rows)`);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(classes[i]);
    if (list) list.push(i);
    else byClass.set(classes[i], [i]);
  }
  const fold = new Int32Array(n);
  let next = 0;
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const i of rng.shuffle(byClass.get(key)!)) {
      fold[i] = next;
      next = (next + 1) % nFolds;
    }
  }
  return fold;
}
