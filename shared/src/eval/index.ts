export * from './colour-cells';
export * from './mask-metrics';
export * from './point-metrics';
export * from './rasterize-outlines';
export * from './summarize';
export { solveAssignment } from './assignment';
