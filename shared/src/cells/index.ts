export * from './cells-json';
export * from './cells-geojson';
export * from './cells-csv';
