// The scalar pieces of the dense Cholesky factorisation, shared by the blocked JavaScript loop and
// the WebAssembly one: the unblocked factor of a diagonal block and the solve of the panel below it.

/**
 * The panel below a factored diagonal block: rows i ≥ k1, columns [k0, k1), each row solving
 * L11 x = row. Four rows at a time, so each row of L11 is read once per four solves.
 */
export function solvePanel(a: Float64Array, n: number, stride: number, offset: number, k0: number, k1: number): void {
  const w = k1 - k0;
  let i = k1;
  for (; i + 3 < n; i += 4) {
    const r0 = offset + i * stride + k0, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
    for (let c = 0; c < w; c++) {
      const rc = offset + (k0 + c) * stride + k0;
      let s0 = a[r0 + c], s1 = a[r1 + c], s2 = a[r2 + c], s3 = a[r3 + c];
      for (let t = 0; t < c; t++) {
        const l = a[rc + t];
        s0 -= a[r0 + t] * l;
        s1 -= a[r1 + t] * l;
        s2 -= a[r2 + t] * l;
        s3 -= a[r3 + t] * l;
      }
      const d = a[rc + c];
      a[r0 + c] = s0 / d;
      a[r1 + c] = s1 / d;
      a[r2 + c] = s2 / d;
      a[r3 + c] = s3 / d;
    }
  }
  for (; i < n; i++) {
    const ri = offset + i * stride + k0;
    for (let c = 0; c < w; c++) {
      let s = a[ri + c];
      const rc = offset + (k0 + c) * stride + k0;
      for (let t = 0; t < c; t++) s -= a[ri + t] * a[rc + t];
      a[ri + c] = s / a[rc + c];
    }
  }
}


/**
 * Left-looking by pairs of rows with a 2 × 2 register block: each pass over two earlier rows serves
 * four dot products, halving memory traffic against the one-row textbook loop.
 */
export function choleskyUnblocked(a: Float64Array, n: number, stride: number, offset: number): boolean {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const ri = offset + i * stride;
    const ri1 = ri + stride;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const rj = offset + j * stride;
      const rj1 = rj + stride;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let t = 0; t < j; t++) {
        const a0 = a[ri + t], a1 = a[ri1 + t], b0 = a[rj + t], b1 = a[rj1 + t];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      const l00 = (a[ri + j] - s00) / a[rj + j];
      const l10 = (a[ri1 + j] - s10) / a[rj + j];
      const bj1j = a[rj1 + j];
      a[ri + j] = l00;
      a[ri1 + j] = l10;
      a[ri + j + 1] = (a[ri + j + 1] - s01 - l00 * bj1j) / a[rj1 + j + 1];
      a[ri1 + j + 1] = (a[ri1 + j + 1] - s11 - l10 * bj1j) / a[rj1 + j + 1];
    }
    for (; j < i; j++) {
      const rj = offset + j * stride;
      let s0 = 0, s1 = 0;
      for (let t = 0; t < j; t++) {
        const b = a[rj + t];
        s0 += a[ri + t] * b;
        s1 += a[ri1 + t] * b;
      }
      a[ri + j] = (a[ri + j] - s0) / a[rj + j];
      a[ri1 + j] = (a[ri1 + j] - s1) / a[rj + j];
    }
    // The 2 × 2 diagonal block.
    let d0 = 0, c = 0, d1 = 0;
    for (let t = 0; t < i; t++) {
      const x = a[ri + t], y = a[ri1 + t];
      d0 += x * x;
      c += y * x;
      d1 += y * y;
    }
    const p0 = a[ri + i] - d0;
    if (!(p0 > 0)) return false;
    const l0 = Math.sqrt(p0);
    a[ri + i] = l0;
    const l10 = (a[ri1 + i] - c) / l0;
    a[ri1 + i] = l10;
    const p1 = a[ri1 + i + 1] - d1 - l10 * l10;
    if (!(p1 > 0)) return false;
    a[ri1 + i + 1] = Math.sqrt(p1);
  }
  if (i < n) {
    const ri = offset + i * stride;
    for (let j = 0; j < i; j++) {
      const rj = offset + j * stride;
      let s = 0;
      for (let t = 0; t < j; t++) s += a[ri + t] * a[rj + t];
      a[ri + j] = (a[ri + j] - s) / a[rj + j];
    }
    let d = 0;
    for (let t = 0; t < i; t++) d += a[ri + t] * a[ri + t];
    const p = a[ri + i] - d;
    if (!(p > 0)) return false;
    a[ri + i] = Math.sqrt(p);
  }
  return true;
}

