export * from './errors';
export * from './image/raster';
export * from './scale/resolution';
