export { createNucleiEngine, nucleusMapParameters, type NucleiEngineSpec } from './nuclei-engine';
export { defaultNucleusModelDir } from './model-dir';
export { detectNuclei, type NucleusMapParameters } from './detect-nuclei';
export { mapsFromLogits, netInput, type NetInput, type NucleusMaps } from './nucleus-maps';
export { parseNucleusManifest, readNucleusModel, type NucleusModelManifest } from './nucleus-model';
