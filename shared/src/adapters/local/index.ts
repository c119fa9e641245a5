export * from './local-folder-object-store';
export * from './signed-url';
export * from './state-database';
export * from './sqlite-job-queue';
export * from './sqlite-job-store';
