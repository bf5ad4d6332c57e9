// The formula's bases as SQL, from what they learned (the in-memory fit's `transforms`): poly's
// three-term recurrence, scale's centre and scale, and the splines as piecewise polynomials (a
// CASE over the knot intervals, each piece in Horner form). Every constant is an exact literal.
import type { LearnedBasis } from "@lmm/core";
import { splinePieces, type PolynomialPiece } from "@lmm/core/aggregate";
import type { SqlDialect } from "./engine.js";

/** Every column of a basis at `x` (an SQL double expression), in the basis's column order. */
export function basisSql(learned: LearnedBasis, x: string, d: SqlDialect): string[] {
  switch (learned.fn) {
    case "poly": {
      if ("raw" in learned) return Array.from({ length: learned.degree }, (_, j) => (j === 0 ? x : j === 1 ? `(${x} * ${x})` : d.pow(x, d.double(j + 1))));
      const { alpha, norm2 } = learned;
      return polyTerms(x, alpha, norm2, alpha.length, d).map((z, j) => `(${z} / ${d.double(Math.sqrt(norm2[j + 2]))})`);
    }
    case "scale": {
      const centred = `(${x} - ${d.double(learned.center ?? 0)})`;
      return [learned.scale === null ? centred : `(${centred} / ${d.double(learned.scale)})`];
    }
    case "ns":
    case "bs": {
      const pieces = splinePieces(learned.fn, learned);
      const columns = pieces.left.coefs.length;
      return Array.from({ length: columns }, (_, c) => {
        const at = (p: PolynomialPiece) => horner(p.coefs[c], `(${x} - ${d.double(p.centre)})`, d);
        const inside = pieces.inside.map((s, i) => `WHEN ${x} ${i === pieces.inside.length - 1 ? "<=" : "<"} ${d.double(s.below)} THEN ${at(s.piece)}`);
        return `(CASE WHEN ${x} < ${d.double(pieces.lower)} THEN ${at(pieces.left)} ${inside.join(" ")} ELSE ${at(pieces.right)} END)`;
      });
    }
  }
}

/**
 * Z₁ … Z_count of the recurrence Z₀ = 1, Z_j = (x − α_j) Z_{j−1} − (‖Z_{j−1}‖² / ‖Z_{j−2}‖²) Z_{j−2}
 * (R's `poly` before scaling; `norm2` as R's: 1, ‖Z₀‖², ‖Z₁‖² …), as SQL.
 */
export function polyTerms(x: string, alpha: readonly number[], norm2: readonly number[], count: number, d: SqlDialect): string[] {
  const out: string[] = [];
  let prev = d.double(1);
  let cur = `(${x} - ${d.double(alpha[0])})`;
  for (let j = 1; j <= count; j++) {
    if (j > 1) {
      const next = `((${x} - ${d.double(alpha[j - 1])}) * ${cur} - ${d.double(norm2[j] / norm2[j - 1])} * ${prev})`;
      prev = cur;
      cur = next;
    }
    out.push(cur);
  }
  return out;
}

/** c₀ + u(c₁ + u(c₂ + …)), trailing zero coefficients left out. */
function horner(coefs: readonly number[], u: string, d: SqlDialect): string {
  let last = coefs.length - 1;
  while (last > 0 && coefs[last] === 0) last--;
  let s = d.double(coefs[last]);
  for (let k = last - 1; k >= 0; k--) s = `(${d.double(coefs[k])} + ${u} * ${s})`;
  return s;
}
