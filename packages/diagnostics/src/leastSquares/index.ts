export { olsFit, type OlsFit } from "./ols.js";
export { choleskyFactor, choleskySolve, inverseQuadraticForm, symmetricInverse } from "./cholesky.js";
