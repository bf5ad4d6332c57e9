// The GWAS notebook's computation, run in the worker: one cohort, three scans, and the same
// relationship matrix used as the covariance of a random effect in the core fitter.
import { heritability, lmm } from "@lmm/core";
import { compareMethods, computeGrm, readPlink } from "@lmm/genetics";

export interface GwasRequest {
  bed: ArrayBuffer;
  bim: string;
  fam: string;
  /** Phenotype and sex per individual, in .fam order. */
  y: Float64Array;
  sex: Float64Array;
  nPcs: number;
}

export async function gwasComparison(r: GwasRequest) {
  const genotypes = await readPlink({ bed: new Uint8Array(r.bed), bim: r.bim, fam: r.fam });
  const kinship = await computeGrm(genotypes, { kind: "centered" });
  const cmp = await compareMethods({ genotypes, phenotype: r.y, covariates: [r.sex], nPcs: r.nPcs, kinship });
  const snps = genotypes.snps;
  const series = (name: string, index: Int32Array, p: Float64Array) => ({
    name,
    chromosome: Array.from(index, (i) => snps.chromosome[i]),
    position: Float64Array.from(index, (i) => snps.position[i]),
    snp: Array.from(index, (i) => snps.id[i]),
    p,
  });
  const ids = genotypes.individuals.iid;
  const core = lmm("y ~ sex + (1 | iid)", { y: r.y, sex: r.sex, iid: ids }, { covariance: { iid: { ids, matrix: kinship.values } } });
  return {
    n: genotypes.nIndividuals,
    m: genotypes.nSnps,
    thresholds: cmp.thresholds,
    summary: cmp.summary,
    scans: [series("naive regression", cmp.naive.snpIndex, cmp.naive.p), series(`${r.nPcs} principal components`, cmp.pcRegression.snpIndex, cmp.pcRegression.p), series("LMM with K (Wald)", cmp.lmm.snpIndex, cmp.lmm.pWald)],
    nullModel: { pve: cmp.lmm.nullModel.pve, pveSe: cmp.lmm.nullModel.pveSe, vg: cmp.lmm.nullModel.vg, ve: cmp.lmm.nullModel.ve },
    core: heritability(core),
  };
}
