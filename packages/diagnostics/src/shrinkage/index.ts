export { shrinkage, type Shrinkage, type ShrinkageLevel } from "./shrinkage.js";
