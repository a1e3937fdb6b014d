/** The viewer lab's pure core: everything the island computes, without NiiVue or the DOM. */
export * from './modalities';
export * from './labels';
export * from './volumes';
export * from './window';
export * from './geometry';
export * from './samples';
export * from './state';
