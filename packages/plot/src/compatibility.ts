// Compile-time checks that the results of @lmm/diagnostics and @lmm/core fit the input shapes the views
// declare, so a change on either side fails `tsc -b` here rather than a figure at run time. Nothing is exported.
import type { ModelProfile } from "@lmm/core";
import type { BatchClassification, BatchPca, ClusterInfluence, FeatureVariance, LeaveOneLevelOut, QQData, QQDiagnostics, ResidualDiagnostics, Shrinkage, VarpartResult } from "@lmm/diagnostics";
import type { BatchClassificationLike, BatchPcaLike } from "./batch/data.js";
import type { ClusterInfluenceInput } from "./influence/data.js";
import type { LosoInput } from "./influence/loso.js";
import type { ProfileInput } from "./profile/data.js";
import type { QqInput } from "./qq/data.js";
import type { QqSet } from "./qq/qqPlot.js";
import type { ResidualColumns } from "./residuals/data.js";
import type { ShrinkageResult } from "./shrinkage/data.js";
import type { FeatureVarianceLike, VarianceInput } from "./variance/data.js";

/** Compiles only when `Given` can be passed where `Expected` is asked for. */
type Fits<Expected, Given extends Expected> = [Expected, Given];

type Checks = [
  Fits<QqInput, QQData>,
  Fits<QqSet, QQDiagnostics>,
  Fits<ShrinkageResult, Shrinkage>,
  Fits<ResidualColumns, ResidualDiagnostics>,
  Fits<ClusterInfluenceInput, ClusterInfluence>,
  Fits<LosoInput, LeaveOneLevelOut>,
  Fits<FeatureVarianceLike, FeatureVariance>,
  Fits<VarianceInput, VarpartResult>,
  Fits<BatchPcaLike, BatchPca>,
  Fits<BatchClassificationLike, BatchClassification>,
  Fits<ProfileInput, ModelProfile>,
];
export type { Checks as DiagnosticsCompatibility };
