export * from './postprocess-options';
export * from './extract-cells';
export * from './render-seg';
export { defaultSizeThreshold } from './size-threshold';
export { defaultMarkerThreshold } from './marker-threshold';
export { roundHalfEven } from './python-round';
