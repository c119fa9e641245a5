/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// Jest gives each test file its own copy of process.env, so gpu-worker's disable-telemetry module
// cannot reach onnxruntime from inside a test: the workers inherit it from here instead.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

const config: Config = {
  testEnvironment: '<rootDir>/test-support/node-environment.js',
  globalSetup: '<rootDir>/test-support/build-once.js',
  testMatch: [
    '<rootDir>/shared/test/**/*.test.ts',
    '<rootDir>/gpu-worker/test/**/*.test.ts',
    '<rootDir>/lambdas/test/**/*.test.ts',
    '<rootDir>/cdk/test/**/*.test.ts',
    '<rootDir>/web/{lib,components,workers}/**/*.test.{ts,tsx}',
    '<rootDir>/web/e2e/**/*.e2e.test.ts',
  ],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } }],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json', 'node'],
  testTimeout: 60_000,
  // Image tests are CPU-bound: two workers on a 2-core machine.
  maxWorkers: 2,
};

export default config;
