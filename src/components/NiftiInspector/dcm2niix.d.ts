// Types for the parts of @niivue/dcm2niix (shipped without declarations) that the inspector uses.
declare module '@niivue/dcm2niix' {
  interface Processor {
    z(value: 'y' | 'n' | 'o' | 'i'): Processor;
    b(value: 'y' | 'n' | 'o'): Processor;
    f(value: string): Processor;
    /** Resolves with the files dcm2niix wrote; rejects when it fails. */
    run(): Promise<File[]>;
  }
  export class Dcm2niix {
    worker: Worker | null;
    init(): Promise<boolean>;
    input(files: ArrayLike<File>): Processor;
  }
}
