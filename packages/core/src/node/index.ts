// Node-only entry of @lmm/core (`@lmm/core/node`): writing result files. The main entry runs in browsers
// and never imports this folder.
export { writeFileAtomic, PARTIAL_SUFFIX, type FileContent, type AtomicWriteFs, type WriteFileAtomicOptions } from "./writeFileAtomic.js";
export { OutputFileError, fileSystemReason } from "./OutputFileError.js";
