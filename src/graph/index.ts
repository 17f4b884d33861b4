// The dependency graph layer: node and edge model, building from a scan, queries, serialisation.
export { buildGraph, estateOf } from "./build.js";
export {
  assemblyKey,
  type EdgeAttributes,
  type Estate,
  type EstateGraph,
  fileKey,
  type NodeAttributes,
  nfsKey,
  normaliseExport,
  ownerKey,
  referenceKey,
  refOfKey,
  repositoryKey,
} from "./model.js";
export {
  type CrossRepositoryReference,
  crossRepositoryReferences,
  disksOf,
  guestsOf,
  isShared,
  neighbourhoodOf,
  nodeOfFile,
  nodeOfReference,
  orphanFiles,
  ownerOfConfig,
  possibleUsersOfFile,
  unreadableOwners,
  usersOf,
  usersOfFile,
} from "./queries.js";
export { scopeGraph } from "./scope.js";
export { serializeGraph } from "./serialize.js";
