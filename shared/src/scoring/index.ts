export * from './score-cells';
