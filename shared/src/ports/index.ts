export * from './object-store';
export * from './job-queue';
export * from './job-store';
export * from './object-key';
export * from './collect-bytes';
