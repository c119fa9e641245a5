export * from './postprocess-options';
export * from './extract-cells';
export * from './render-seg';
export * from './select-components';
export { floodBackground, labelComponents, markBackground, type ComponentStats } from './label-mask';
export { simplifyContour, traceBoundary } from './trace-boundary';
export { defaultSizeThreshold } from './size-threshold';
export { defaultMarkerThreshold } from './marker-threshold';
export { roundHalfEven } from './python-round';
