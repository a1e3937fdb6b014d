export * from './experiment';
export * from './generate';
export * from './splits';
export * from './classifiers';
export * from './followups';
