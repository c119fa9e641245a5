export * from './job-record';
export * from './job-transitions';
export * from './update-job';
export * from './object-keys';
export * from './job-message';
export * from './api-views';
