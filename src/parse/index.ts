// The reader: vm.cfg files and their disk entries.
export { parseDiskSpec } from "./disk-spec.js";
export { uuidKey } from "./guest-config.js";
export { rewriteVmCfg, type VmCfgEdit, type VmCfgRewrite } from "./rewrite.js";
export { MAX_SOURCE_BYTES } from "./source.js";
export { type Assignment, parseVmCfg, readVmCfg, type VmCfgResult } from "./vmcfg.js";
