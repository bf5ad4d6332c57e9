// Reference fits shared by the tests (and the render script): fitted once per process.
import { lmm, type LinearMixedModel } from "@lmm/core";
import { loadDataset } from "../../../../test/support/reference.ts";
import { clinics, radiomics } from "../../../datasets/src/index.ts";

let sleep: LinearMixedModel | undefined;
/** sleepstudy from test/reference/lme4, `Reaction ~ Days + (Days | Subject)` by REML. */
export function sleepstudyModel(): LinearMixedModel {
  if (!sleep) {
    const s = loadDataset("sleepstudy");
    sleep = lmm("Reaction ~ Days + (Days | Subject)", s.data, { levels: s.levels });
  }
  return sleep;
}

/** The sleepstudy columns. */
export function sleepstudyData() {
  return loadDataset("sleepstudy");
}

let clinic: LinearMixedModel | undefined;
/** The shipped clinics trial, `y ~ program * time + (1|clinic) + (1 + time|clinic:patient)`. */
export function clinicsModel(): LinearMixedModel {
  if (!clinic) {
    const d = clinics();
    clinic = lmm("y ~ program * time + (1|clinic) + (1 + time|clinic:patient)", d.columns, { levels: d.levels });
  }
  return clinic;
}

/** sleepstudy with one subject renamed to a script tag: level names must stay text. */
export function hostileSleepstudyModel(): { model: LinearMixedModel; hostile: string } {
  const s = loadDataset("sleepstudy");
  const hostile = "<script>alert(1)</script>";
  const subject = Array.from(s.data.Subject as ArrayLike<string>, (v) => (v === "308" ? hostile : v));
  const levels = { ...s.levels, Subject: s.levels.Subject.map((v) => (v === "308" ? hostile : v)) };
  return { model: lmm("Reaction ~ Days + (Days | Subject)", { ...s.data, Subject: subject }, { levels }), hostile };
}

let radio: LinearMixedModel | undefined;
/** One radiomics feature across 12 sites of very unequal size: `f_glcm_Contrast ~ grade + time + (1|site) + (1|patient)`. */
export function radiomicsModel(): LinearMixedModel {
  if (!radio) {
    const r = radiomics();
    radio = lmm("f_glcm_Contrast ~ grade + time + (1|site) + (1|patient)", r.columns, { levels: r.levels });
  }
  return radio;
}
