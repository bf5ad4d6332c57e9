// GEMMA's recursive projections (Zhou & Stephens 2012, supplement §3.1; lmm.cpp CalcPab/CalcPPab/CalcPPPab).
// For V vectors v_0..v_{V-1} (covariates, then the SNP, then y) and weights H = diag(1/(λ s_i + 1)),
// level-0 entries are P[a,b] = v_aᵀ H v_b, PP with H², PPP with H³. Level w+1 projects v_w out:
//   P'  = P  − P_aw P_bw / P_ww
//   PP' = PP + P_aw P_bw PP_ww / P_ww² − (P_aw PP_bw + P_bw PP_aw) / P_ww
//   PPP'= PPP − P_aw P_bw PP_ww² / P_ww³ − (P_aw PPP_bw + P_bw PPP_aw + PP_aw PP_bw) / P_ww
//         + (P_aw PP_bw PP_ww + P_bw PP_aw PP_ww + P_aw P_bw PPP_ww) / P_ww²
// (the same formulas and order as GEMMA, so results agree to rounding).

/** Pivots and the y-entries after projecting out the first `levels` vectors. */
export interface Projected {
  /** P_ww, PP_ww, PPP_ww of vector w at level w, for w < levels. */
  pivot: Float64Array;
  pivot2: Float64Array;
  pivot3: Float64Array;
  /** y entries at level `levels`. */
  yy: number;
  yy2: number;
  yy3: number;
}

/**
 * Projects in place. `P`, `PP`, `PPP` are V × V row-major symmetric matrices (only entries a ≤ b are read and
 * written); `power` (1–3) says which of them are filled. y is the last vector (index V − 1).
 */
export function project(P: Float64Array, PP: Float64Array, PPP: Float64Array, V: number, levels: number, power: number, out: Projected): Projected {
  for (let w = 0; w < levels; w++) {
    const ww = w * V + w;
    const pw = P[ww];
    out.pivot[w] = pw;
    if (power >= 2) out.pivot2[w] = PP[ww];
    if (power >= 3) out.pivot3[w] = PPP[ww];
    if (pw === 0) continue;
    const p2w = PP[ww], p3w = PPP[ww];
    for (let a = w + 1; a < V; a++) {
      const aw = w * V + a;
      const Paw = P[aw], PPaw = PP[aw], PPPaw = PPP[aw];
      for (let b = a; b < V; b++) {
        const bw = w * V + b;
        const ab = a * V + b;
        const Pbw = P[bw];
        if (power >= 3) {
          const PPbw = PP[bw], PPPbw = PPP[bw];
          let v = PPP[ab] - (Paw * Pbw * p2w * p2w) / (pw * pw * pw);
          v -= (Paw * PPPbw + Pbw * PPPaw + PPaw * PPbw) / pw;
          v += (Paw * PPbw * p2w + Pbw * PPaw * p2w + Paw * Pbw * p3w) / (pw * pw);
          PPP[ab] = v;
        }
        if (power >= 2) {
          const PPbw = PP[bw];
          let v = PP[ab] + (Paw * Pbw * p2w) / (pw * pw);
          v -= (Paw * PPbw + Pbw * PPaw) / pw;
          PP[ab] = v;
        }
        P[ab] = P[ab] - (Paw * Pbw) / pw;
      }
    }
  }
  const yy = (V - 1) * V + V - 1;
  out.yy = P[yy];
  out.yy2 = power >= 2 ? PP[yy] : NaN;
  out.yy3 = power >= 3 ? PPP[yy] : NaN;
  return out;
}

/** Allocates a {@link Projected} for up to `levels` pivots. */
export function projected(levels: number): Projected {
  return { pivot: new Float64Array(levels), pivot2: new Float64Array(levels), pivot3: new Float64Array(levels), yy: NaN, yy2: NaN, yy3: NaN };
}
