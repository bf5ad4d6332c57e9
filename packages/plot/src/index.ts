// @lmm/plot: Observable Plot views of mixed models and their diagnostics. Each view is
// `(model or result, options) => figure`; the marks behind it are exported for composing.
export type { FigureOptions, Figure, MarkOptions } from "./figure/options.js";
export { MissingDocumentError, resolveDocument } from "./figure/document.js";
export { renderFigure, renderPanels, type FigureSpec, type PanelsSpec } from "./figure/render.js";
export { figureSvg } from "./figure/standalone.js";
export { categoricalColors, type CategoricalColors } from "./figure/palette.js";
export { termUnit, type Units } from "./text/units.js";
export { grouping, type Grouping } from "./model/grouping.js";

export { caterpillar, type CaterpillarOptions } from "./caterpillar/caterpillar.js";
export { caterpillarMarks, type CaterpillarMarksOptions } from "./caterpillar/marks.js";
export { caterpillarData, conditionalModes, type CaterpillarRow, type CaterpillarDataOptions, type ConditionalModes } from "./caterpillar/data.js";

export { qqPlot, type QqPlotOptions } from "./qq/qqPlot.js";
export { qqMarks, type QqMarksOptions } from "./qq/marks.js";
export { modelQq, qqInput, qqPoints, type QqPoint } from "./qq/data.js";

export { shrinkagePlot, type ShrinkagePlotOptions } from "./shrinkage/shrinkagePlot.js";
export { shrinkage2d, type Shrinkage2dOptions } from "./shrinkage/shrinkage2d.js";
export { shrinkageMarks, shrinkage2dMarks, NO_POOLING, PARTIAL_POOLING, type ShrinkageMarksOptions, type Shrinkage2dMarksOptions } from "./shrinkage/marks.js";
export { shrinkageRows, shrinkageRanks, toShrinkageInput, type ShrinkageInput, type ShrinkageRow, type ShrinkageSort } from "./shrinkage/data.js";

export { residualsVsFitted } from "./residuals/residualsVsFitted.js";
export { scaleLocation } from "./residuals/scaleLocation.js";
export { residualsVsCovariate, type ResidualsVsCovariateOptions } from "./residuals/residualsVsCovariate.js";
export { residualMarks, type ResidualMarksOptions } from "./residuals/marks.js";
export { resolveResiduals, type ResidualViewOptions, type ResolvedResiduals } from "./residuals/input.js";
export { residualColumns, residualPoints, pickResiduals, groupVariable, modelVariable, type ResidualType, type ResidualPoint, type RowVariable } from "./residuals/data.js";

export { trajectories, type TrajectoriesOptions } from "./trajectories/trajectories.js";
export { trajectoryMarks, type TrajectoryMarksOptions } from "./trajectories/marks.js";
export { trajectoryData, populationLines, type TrajectoryRow, type TrajectoryDataOptions } from "./trajectories/data.js";

export { cooksDistance, type InfluenceOptions } from "./influence/cooksDistance.js";
export { dfbetasPlot } from "./influence/dfbetasPlot.js";
export { cooksDistanceMarks, dfbetasMarks, OVER_COLOR, type InfluenceMarksOptions } from "./influence/marks.js";
export { cooksRows, dfbetasRows, type CooksRow, type DfbetasRow } from "./influence/data.js";
export { losoErrors, losoMarks, losoRows, LOSO_SERIES, type LosoRow, type LosoOptions, type LosoErrorsOptions } from "./influence/loso.js";

export { variancePartition, type VariancePartitionOptions } from "./variance/variancePartition.js";
export { varianceFractions } from "./variance/varianceFractions.js";
export { batchSignalRatio, batchSignalRatioMarks, type BatchSignalRatioOptions } from "./variance/batchSignalRatio.js";
export { variancePartitionMarks, varianceFractionMarks, type VariancePartitionMarksOptions } from "./variance/marks.js";
export { toVariancePartition, fractionRows, featureOrder, batchSignalRatios, type VariancePartitionInput, type VarianceInput, type FeatureComponentsLike, type FractionRow } from "./variance/data.js";
export { componentColors } from "./variance/colors.js";

export { profilePlot, type ProfilePlotOptions } from "./profile/profilePlot.js";
export { profileMarks, type ProfileMarksOptions } from "./profile/marks.js";
export { profileInterval, type ProfileInput, type IntervalLike } from "./profile/data.js";

export { batchPcaScores, batchPcaMarks, type BatchPcaScoresOptions } from "./batch/batchPcaScores.js";
export { batchAccuracy, batchAccuracyMarks } from "./batch/batchAccuracy.js";
export { scoreRows, stageLabel, STAGES, type BatchPcaInput, type ScoreRow, type BatchAccuracyInput } from "./batch/data.js";

export { manhattan, manhattanMarks, type ManhattanOptions } from "./gwas/manhattan.js";
export { pvalueQq, pvalueQqMarks, type PvalueInput } from "./gwas/pvalueQq.js";
export { genomeAxis, lambdaGC, pvalueQqRows, naturalCompare, type GwasInput, type ManhattanRow, type ChromosomeSpan, type PvalueQqRow } from "./gwas/data.js";
