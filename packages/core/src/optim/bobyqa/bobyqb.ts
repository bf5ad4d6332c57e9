import { altmov, type AltmovResult } from "./altmov.js";
import { advanceGradient, chooseDroppedPoint, lagrangeValues, predictedChange } from "./model.js";
import { leastFrobeniusCheck, replacePoint } from "./replacePoint.js";
import type { Objective } from "./objective.js";
import { prelim } from "./prelim.js";
import { rescue, type RescueState } from "./rescue.js";
import { shiftBase } from "./shiftBase.js";
import { trsbox, type TrsboxResult } from "./trsbox.js";
import { packedIndex, placePoint, type Workspace } from "./workspace.js";

/**
 * Why BOBYQA stopped.
 * - `"rhoEnd"`: the trust-region radius reached rhoEnd (normal convergence; NLopt's XTOL_REACHED);
 * - `"ftolAbs"`: a new best value improved on the previous best by less than ftolAbs;
 * - `"maxEval"`: the evaluation budget ran out;
 * - `"roundoff"`: rounding errors prevent further progress (a denominator cancelled
 *   even after RESCUE, or a trust-region step failed to reduce the model);
 * - `"nonFinite"`: the objective returned no finite value at the initial points;
 * - `"noFreeVariables"`: every variable is fixed by lower = upper.
 *
 * @example
 * ```ts
 * const reason: BobyqaStopReason = bobyqa((x) => x[0] ** 2, [1], { maxEval: 3 }).reason; // "maxEval"
 * ```
 */
export type BobyqaStopReason = "rhoEnd" | "ftolAbs" | "maxEval" | "roundoff" | "nonFinite" | "noFreeVariables";

const enum Label {
  UpdateGradient, // Powell's 20
  TrustRegion, // 60
  ShiftBase, // 90
  Rescue, // 190
  Alternative, // 210
  Denominator, // 230
  Evaluate, // 360
  FarPoint, // 650
  ReduceRho, // 680
}

/**
 * Powell's BOBYQB: the main iteration of BOBYQA. `ws.xbase`, `ws.sl` and `ws.su`
 * must hold the starting point and the bounds relative to it (as set by the
 * BOBYQA driver). The best point is tracked by `obj`.
 *
 * @internal
 */
export function bobyqb(ws: Workspace, obj: Objective, rhobeg: number, rhoend: number, ftolAbs: number): BobyqaStopReason {
  const { n, npt, xpt, fval, xopt, hq, pq, sl, su, xnew, xalt, d, vlag } = ws;

  const start = prelim(ws, obj, rhobeg);
  if (start.kopt < 0) return "nonFinite";
  let kopt = start.kopt;
  let xoptsq = 0;
  for (let i = 0; i < n; i++) {
    xopt[i] = xpt[kopt * n + i];
    xoptsq += xopt[i] * xopt[i];
  }
  if (start.nf < npt) return "maxEval";

  const tr: TrsboxResult = { dsq: 0, crvmin: 0 };
  const alt: AltmovResult = { alpha: 0, cauchy: 0 };
  const drop = { denom: 0, scaden: 0, biglsq: 0 };
  const resc: RescueState = { kopt: 0, exhausted: false };

  let kbase = 0;
  let rho = rhobeg;
  let delta = rho;
  let nresc = obj.evaluations;
  let ntrits = 0;
  let diffa = 0;
  let diffb = 0;
  let diffc = 0;
  let itest = 0;
  let nfsav = obj.evaluations;
  let ratio = 0;
  let dsq = 0;
  let dnorm = 0;
  let crvmin = 0;
  let distsq = 0;
  let knew = -1;
  let adelt = 0;
  let alpha = 0;
  let cauchy = 0;
  let beta = 0;
  let denom = 0;
  // Safety valve: Powell's iteration always evaluates f or reduces rho within a few passes.
  let idle = 0;
  let lastEvaluations = -1;

  let label = Label.UpdateGradient;
  for (;;) {
    if (obj.evaluations !== lastEvaluations) {
      lastEvaluations = obj.evaluations;
      idle = 0;
    } else if (++idle > 1000 * (n + 10)) {
      return "roundoff";
    }
    switch (label) {
      case Label.UpdateGradient: {
        if (kopt !== kbase) {
          // GOPT was the gradient at xbase (+ old xopt): move it to the current xopt.
          advanceGradient(ws, xopt, obj.evaluations > npt);
        }
        label = Label.TrustRegion;
        break;
      }

      case Label.TrustRegion: {
        trsbox(ws, delta, tr);
        dsq = tr.dsq;
        crvmin = tr.crvmin;
        dnorm = Math.min(delta, Math.sqrt(dsq));
        if (dnorm < 0.5 * rho) {
          // Step too short to be worth an evaluation: improve geometry, or reduce rho.
          ntrits = -1;
          distsq = (10 * rho) ** 2;
          if (obj.evaluations <= nfsav + 2) {
            label = Label.FarPoint;
            break;
          }
          // Are the recent model errors small compared with likely gains within rho/2?
          const errbig = Math.max(diffa, diffb, diffc);
          const frhosq = 0.125 * rho * rho;
          if (crvmin > 0 && errbig > frhosq * crvmin) {
            label = Label.FarPoint;
            break;
          }
          const bdtol = errbig / rho;
          label = Label.ReduceRho;
          for (let j = 0; j < n; j++) {
            let bdtest = bdtol;
            if (xnew[j] === sl[j]) bdtest = ws.gnew[j];
            if (xnew[j] === su[j]) bdtest = -ws.gnew[j];
            if (bdtest < bdtol) {
              let curv = hq[packedIndex(j, j)];
              for (let k = 0; k < npt; k++) curv += pq[k] * (xpt[k * n + j] * xpt[k * n + j]);
              bdtest += 0.5 * curv * rho;
              if (bdtest < bdtol) {
                label = Label.FarPoint;
                break;
              }
            }
          }
          break;
        }
        ntrits++;
        label = Label.ShiftBase;
        break;
      }

      case Label.ShiftBase: {
        if (dsq <= 1e-3 * xoptsq) {
          shiftBase(ws);
          xoptsq = 0;
        }
        label = ntrits === 0 ? Label.Alternative : Label.Denominator;
        break;
      }

      case Label.Rescue: {
        nfsav = obj.evaluations;
        kbase = kopt;
        resc.kopt = kopt;
        resc.exhausted = false;
        rescue(ws, obj, delta, resc);
        kopt = resc.kopt;
        xoptsq = 0;
        if (kopt !== kbase) {
          for (let i = 0; i < n; i++) {
            xopt[i] = xpt[kopt * n + i];
            xoptsq += xopt[i] * xopt[i];
          }
        }
        if (resc.exhausted) return "maxEval";
        nresc = obj.evaluations;
        if (nfsav < obj.evaluations) {
          nfsav = obj.evaluations;
          label = Label.UpdateGradient;
          break;
        }
        label = ntrits > 0 ? Label.TrustRegion : Label.Alternative;
        break;
      }

      case Label.Alternative: {
        altmov(ws, kopt, knew, adelt, alt);
        alpha = alt.alpha;
        cauchy = alt.cauchy;
        for (let i = 0; i < n; i++) d[i] = xnew[i] - xopt[i];
        label = Label.Denominator;
        break;
      }

      case Label.Denominator: {
        beta = lagrangeValues(ws, kopt, xoptsq);
        if (ntrits === 0) {
          denom = vlag[knew] * vlag[knew] + alpha * beta;
          if (denom < cauchy && cauchy > 0) {
            // The Cauchy alternative gives a larger denominator.
            for (let i = 0; i < n; i++) {
              xnew[i] = xalt[i];
              d[i] = xnew[i] - xopt[i];
            }
            cauchy = 0;
            break; // recompute at label 230
          }
          if (!(denom > 0.5 * vlag[knew] * vlag[knew])) {
            if (obj.evaluations > nresc) {
              label = Label.Rescue;
              break;
            }
            return "roundoff";
          }
        } else {
          knew = chooseDroppedPoint(ws, beta, delta, xopt, kopt, drop);
          denom = drop.denom;
          if (!(drop.scaden > 0.5 * drop.biglsq)) {
            if (obj.evaluations > nresc) {
              label = Label.Rescue;
              break;
            }
            return "roundoff";
          }
        }
        label = Label.Evaluate;
        break;
      }

      case Label.Evaluate: {
        if (obj.exhausted) return "maxEval";
        const f = obj.evaluate(placePoint(ws, xnew, 0));
        if (ntrits === -1) return "rhoEnd"; // the last, short Newton step: obj keeps the better point

        // Model error at the new point.
        const fopt = fval[kopt];
        const vquad = predictedChange(ws);
        if (!Number.isFinite(vquad)) return "roundoff";
        const diff = f - fopt - vquad;
        diffc = diffb;
        diffb = diffa;
        diffa = Math.abs(diff);
        if (dnorm > rho) nfsav = obj.evaluations;

        if (ntrits > 0) {
          if (vquad >= 0) return "roundoff"; // a trust-region step failed to reduce Q
          ratio = (f - fopt) / vquad;
          if (ratio <= 0.1) delta = Math.min(0.5 * delta, dnorm);
          else if (ratio <= 0.7) delta = Math.max(0.5 * delta, dnorm);
          else delta = Math.max(0.5 * delta, dnorm + dnorm);
          if (delta <= 1.5 * rho) delta = rho;
          if (f < fopt) {
            // Reconsider which point to drop, now measuring distances from xnew.
            const ksav = knew;
            const densav = denom;
            knew = chooseDroppedPoint(ws, beta, delta, xnew, -1, drop);
            denom = drop.denom;
            if (!(drop.scaden > 0.5 * drop.biglsq)) {
              knew = ksav;
              denom = densav;
            }
          }
        }

        if (!replacePoint(ws, knew, beta, denom, f, diff)) return "roundoff"; // H became singular

        if (f < fopt) {
          kopt = knew;
          xoptsq = 0;
          for (let j = 0; j < n; j++) {
            xopt[j] = xnew[j];
            xoptsq += xopt[j] * xopt[j];
          }
          advanceGradient(ws, d, true);
          if (fopt - f < ftolAbs) return "ftolAbs";
        }

        if (ntrits > 0) itest = leastFrobeniusCheck(ws, kopt, itest);

        if (ntrits === 0 || f <= fopt + 0.1 * vquad) {
          label = Label.TrustRegion;
          break;
        }
        distsq = Math.max((2 * delta) ** 2, (10 * rho) ** 2);
        label = Label.FarPoint;
        break;
      }

      case Label.FarPoint: {
        // Is some interpolation point too far from xopt? Then move it (alternative step).
        knew = -1;
        for (let k = 0; k < npt; k++) {
          let sum = 0;
          for (let j = 0; j < n; j++) {
            const t = xpt[k * n + j] - xopt[j];
            sum += t * t;
          }
          if (sum > distsq) {
            knew = k;
            distsq = sum;
          }
        }
        if (knew >= 0) {
          const dist = Math.sqrt(distsq);
          if (ntrits === -1) {
            delta = Math.min(0.1 * delta, 0.5 * dist);
            if (delta <= 1.5 * rho) delta = rho;
          }
          ntrits = 0;
          adelt = Math.max(Math.min(0.1 * dist, delta), rho);
          dsq = adelt * adelt;
          label = Label.ShiftBase;
          break;
        }
        if (ntrits === -1) {
          label = Label.ReduceRho;
          break;
        }
        label = ratio > 0 || Math.max(delta, dnorm) > rho ? Label.TrustRegion : Label.ReduceRho;
        break;
      }

      case Label.ReduceRho: {
        if (rho > rhoend) {
          delta = 0.5 * rho;
          ratio = rho / rhoend;
          if (ratio <= 16) rho = rhoend;
          else if (ratio <= 250) rho = Math.sqrt(ratio) * rhoend;
          else rho = 0.1 * rho;
          delta = Math.max(delta, rho);
          ntrits = 0;
          nfsav = obj.evaluations;
          label = Label.TrustRegion;
          break;
        }
        // Finished; take the short Newton step first if it has not been tried.
        if (ntrits === -1) {
          label = Label.Evaluate;
          break;
        }
        return "rhoEnd";
      }
    }
  }
}
