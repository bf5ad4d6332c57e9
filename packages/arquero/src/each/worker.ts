// The task module of fitEach's worker pool: one design per run (cached by the run's shared value).
import { serveTasks } from "@lmm/core/parallel";
import { createContext, type EachContext } from "./context.js";
import { fitFeature } from "./fitFeature.js";
import type { EachShared, FeatureFit, FeaturePayload } from "./types.js";

const contexts = new WeakMap<EachShared, EachContext>();

export default serveTasks({
  fitFeature: (payload: FeaturePayload, ctx): FeatureFit => {
    const shared = ctx.shared as EachShared;
    let context = contexts.get(shared);
    if (!context) contexts.set(shared, (context = createContext(shared)));
    return fitFeature(context, payload, ctx.signal);
  },
});
