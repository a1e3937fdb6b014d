/**
 * DICOM → NIfTI in the page with dcm2niix compiled to WebAssembly (@niivue/dcm2niix). The module
 * and its ~1 MB wasm load only when a user actually gives DICOM files, and each conversion gets
 * a fresh worker: the wasm program keeps its in-memory file system between runs.
 */
export async function convertDicom(files: File[]): Promise<File[]> {
  const { Dcm2niix } = await import('@niivue/dcm2niix');
  const converter = new Dcm2niix();
  await converter.init();
  try {
    // -z n: plain .nii (the inspector reads either); -f %s: name the output by series number.
    return await converter.input(files).z('n').f('series_%s').run();
  } finally {
    converter.worker?.terminate();
  }
}
