// The reference data sets and cases, shared with the tests.
export { caseIds, loadCase, loadDataset } from "../test/support/reference.js";
