/**
 * NIfTI inspector lab: a NIfTI file, or a DICOM series converted in the page by dcm2niix (WASM),
 * → header table, orientation codes, affine, intensity range and a middle-slice preview. All the
 * numbers come from labs/nifti; this island only picks files and renders.
 */
import DropZone from '../ui/DropZone';
import { useEffect, useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import { NiftiError, inspectNifti, percentileWindow, sliceK, sniffKind, toRgba, type Inspection } from '../../../labs/nifti/index';
import { droppedSource, filesSource, type PathFile } from '../../lib/files';
import { recordLabResult } from '../../lib/progress';
import strings from '../../i18n/en/nifti-inspector.json';
import { fill } from '../../i18n/fill';
import { convertDicom } from './dicom';
import { ErrorBox, Field, ResultCard, Toolbar } from '../ui/lab-ui';
import './nifti-inspector.css';

const samplesBase = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/samples/`;

interface Inspected {
  name: string;
  result: Inspection;
}

/** Up to 6 significant digits; integers as they are. */
function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

const OPPOSITE: Record<string, string> = { L: 'R', R: 'L', A: 'P', P: 'A', S: 'I', I: 'S' };

const NIFTI_NAME = /\.nii(\.gz)?$/i;

async function classify(files: PathFile[]): Promise<{ nifti: PathFile[]; dicom: PathFile[] }> {
  const nifti: PathFile[] = [];
  const dicom: PathFile[] = [];
  for (const f of files) {
    const kind = sniffKind(new Uint8Array(await f.file.slice(0, 132).arrayBuffer()));
    // A file named .nii/.nii.gz goes to the NIfTI reader even when damaged, so its error says what is wrong with it.
    if (kind === 'nifti' || kind === 'gzip' || NIFTI_NAME.test(f.path)) nifti.push(f);
    // DICOM files without the part-10 preamble exist too: anything else that is not hidden counts as a candidate slice.
    else if (kind === 'dicom' || !/(^|\/)\./.test(f.path)) dicom.push(f);
  }
  return { nifti, dicom };
}

export default function NiftiInspector() {
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [candidates, setCandidates] = useState<PathFile[]>([]);
  const [chosen, setChosen] = useState('');
  const [inspected, setInspected] = useState<Inspected | null>(null);
  const [k, setK] = useState(0);
  const [converted, setConverted] = useState<{ name: string; url: string } | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  // Object URLs for the "save" link are released when replaced or when the lab goes away.
  useEffect(() => () => void (converted && URL.revokeObjectURL(converted.url)), [converted]);

  const inspect = async (file: PathFile) => {
    setChosen(file.path);
    setError('');
    setStatus(fill(strings.reading, { name: file.path }));
    try {
      const source = filesSource('picked', [file]);
      const result = await inspectNifti(source, file.path, { keepFirstVolume: true });
      setInspected({ name: file.path, result });
      setK(Math.floor((result.header.dims[2] ?? 1) / 2));
      setStatus(fill(strings.done, { name: file.path }));
      const h = result.header;
      recordLabResult({
        lab: 'nifti-inspector',
        schemaVersion: 1,
        summary: fill(strings.reportSummary, {
          name: file.path,
          shape: h.dims.join('×'),
          zooms: h.zooms.slice(0, 3).map(num).join('×'),
          axcodes: result.axcodes.map((c) => c ?? '?').join(''),
        }),
        data: { file: file.path, shape: h.dims, zooms: h.zooms, datatype: h.datatype, axcodes: result.axcodes, affine: h.affine },
      });
    } catch (e) {
      setInspected(null);
      const why = e instanceof NiftiError ? e.problem : (e as Error).message;
      setError(fill(strings.failed, { name: file.path, error: why }));
      setStatus('');
    }
  };

  const take = async (files: PathFile[]) => {
    setError('');
    setInspected(null);
    setConverted(null);
    const { nifti, dicom } = await classify(files);
    if (nifti.length > 0) {
      setCandidates(nifti);
      await inspect(nifti[0]);
      return;
    }
    if (dicom.length === 0) {
      setCandidates([]);
      setError(fill(strings.notRecognised, { count: files.length }));
      return;
    }
    try {
      setStatus(strings.loadingConverter);
      const asFiles = dicom.map((f) => (f.file instanceof File ? f.file : new File([f.file], f.path.split('/').pop()!)));
      setStatus(fill(strings.converting, { count: dicom.length }));
      const out = await convertDicom(asFiles);
      const niftiOut = out.filter((f) => /\.nii(\.gz)?$/i.test(f.name)).map((f) => ({ path: f.name, file: f }));
      setStatus(fill(strings.converted, { count: out.length, names: out.map((f) => f.name).join(', ') }));
      if (niftiOut.length === 0) {
        setError(fill(strings.noNiftiOut, { count: dicom.length }));
        return;
      }
      setCandidates(niftiOut);
      setConverted({ name: niftiOut[0].path, url: URL.createObjectURL(niftiOut[0].file) });
      await inspect(niftiOut[0]);
    } catch (e) {
      setStatus('');
      setError(fill(strings.convertFailed, { error: (e as Error).message }));
    }
  };

  const openSample = async () => {
    setError('');
    try {
      const index = (await (await fetch(`${samplesBase}index.json`)).json()) as { cases: { id: string; files: { flair: string } }[] };
      const c = index.cases[0];
      setStatus(fill(strings.reading, { name: c.files.flair }));
      const r = await fetch(samplesBase + c.files.flair);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      await take([{ path: c.files.flair.split('/').pop()!, file: await r.blob() }]);
    } catch (e) {
      setStatus('');
      setError(fill(strings.sampleFailed, { error: (e as Error).message }));
    }
  };

  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const list = [...(e.target.files ?? [])];
    e.target.value = '';
    if (list.length > 0) void take(list.map((file) => ({ path: file.webkitRelativePath || file.name, file })));
  };

  const onDrop = (e: DragEvent) => {
    // droppedSource must read the DataTransfer synchronously, inside this handler.
    const pending = droppedSource(e.dataTransfer);
    pending.then(
      (src) => {
        const d = src.descriptor;
        if (d.kind === 'files') void take(d.files);
        else setError(fill(strings.notRecognised, { count: 1 }));
      },
      (e: Error) => setError(e.message),
    );
  };

  // Draw the preview slice whenever the file or the slice index changes.
  const header = inspected?.result.header;
  const volume = inspected?.result.firstVolume;
  const depth = header?.dims[2] ?? 1;
  const slice = header && volume ? sliceK(volume, header, Math.min(k, depth - 1)) : null;
  const [lo, hi] = slice ? percentileWindow(slice.values) : [0, 0];
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!slice || !canvas) return;
    canvas.width = slice.width;
    canvas.height = slice.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(toRgba(slice, lo, hi) as Uint8ClampedArray<ArrayBuffer>, slice.width, slice.height), 0, 0);
  });

  const r = inspected?.result;
  const s = r?.stats;
  const codes = r?.axcodes ?? [];
  const rows: [keyof typeof strings.fields, string][] = r && header
    ? [
        ['format', `NIfTI-${header.version}, ${r.gzip ? strings.gzip : strings.plain}`],
        ['byteOrder', header.littleEndian ? strings.littleEndian : strings.bigEndian],
        ['shape', header.dims.join(' × ')],
        ['zooms', header.zooms.map(num).join(' × ')],
        ['datatype', `${header.datatype} (${header.bitpix} bits)`],
        ['scaling', header.sclSlope === 0 || !Number.isFinite(header.sclSlope) || (header.sclSlope === 1 && header.sclInter === 0) ? strings.noScaling : `${num(header.sclSlope)}, ${num(header.sclInter)}`],
        ['axcodes', codes.map((c) => c ?? '?').join(' ')],
        ['affineSource', fill(strings.affineFrom[header.affineSource], { sform: header.sformCode, qform: header.qformCode })],
        ['intensity', `${num(s?.min)} … ${num(s?.max)}`],
        ['nonzero', fill(strings.nonzeroValue, { mean: num(s?.nonzeroMean), count: s?.nonzeroCount ?? 0, total: s?.count ?? 0 })],
        ['nonfinite', `${s?.nanCount ?? 0} / ${s?.infCount ?? 0}`],
        ['description', header.descrip || '–'],
      ]
    : [];
  const nonzeroInSlice = slice ? slice.values.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0) : 0;
  const right = codes[0] ?? '?';
  const up = codes[1] ?? '?';
  const caption = slice
    ? fill(strings.previewCaption, { k: Math.min(k, depth - 1), max: depth - 1, right, up, lo: num(lo), hi: num(hi), nonzero: nonzeroInSlice, count: slice.values.length })
    : '';
  const volumes = header ? header.dims.slice(3).reduce((a, b) => a * b, 1) : 1;

  return (
    <div className="lab nifti-inspector" data-testid="nifti-inspector">
      <p className="lab-hint">{strings.intro}</p>
      <Toolbar>
        <Field label={strings.pickNifti}>
          <input type="file" accept=".nii,.gz,application/gzip" onChange={onPick} data-testid="nifti-pick" />
        </Field>
        <Field label={strings.pickDicom}>
          <input type="file" multiple {...{ webkitdirectory: '' }} onChange={onPick} data-testid="dicom-pick" />
        </Field>
        <button type="button" onClick={() => void openSample()}>
          {strings.sample}
        </button>
      </Toolbar>
      <DropZone testId="nifti-drop" onDrop={onDrop}>
        {strings.dropHere}
      </DropZone>
      <p role="status" aria-live="polite" data-testid="nifti-status" className="lab-hint">
        {status}
      </p>
      {error && <ErrorBox testId="nifti-error">{error}</ErrorBox>}
      {candidates.length > 1 && (
        <Field label={strings.chooseFile}>
          <select value={chosen} onChange={(e) => void inspect(candidates.find((c) => c.path === e.target.value)!)}>
            {candidates.map((c) => (
              <option key={c.path} value={c.path}>
                {c.path}
              </option>
            ))}
          </select>
        </Field>
      )}
      {converted && (
        <p>
          <a className="lab-button" href={converted.url} download={converted.name} data-testid="nifti-save">
            {fill(strings.save, { name: converted.name })}
          </a>{' '}
          <small>{strings.dicomNote}</small>
        </p>
      )}
      {r && header && (
        <ResultCard className="ni-result">
          <div className="ni-tables">
            <table data-testid="nifti-header">
              <caption>{fill(strings.headerCaption, { name: inspected!.name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{strings.field}</th>
                  <th scope="col">{strings.value}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row">{strings.fields[key]}</th>
                    <td data-field={key}>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="ni-affine" data-testid="nifti-affine">
              <caption>{strings.affineCaption}</caption>
              <tbody>
                {header.affine.map((row, i) => (
                  <tr key={i}>
                    {row.map((x, j) => (
                      <td key={j} data-cell={`${i},${j}`}>
                        {num(x)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {slice && (
            <figure className="ni-preview">
              <div className="ni-frame">
                <span className="ni-edge ni-top">{up}</span>
                <span className="ni-edge ni-bottom">{OPPOSITE[up] ?? '?'}</span>
                <span className="ni-edge ni-left">{OPPOSITE[right] ?? '?'}</span>
                <span className="ni-edge ni-right">{right}</span>
                <canvas
                  ref={canvasRef}
                  role="img"
                  aria-label={fill(strings.previewAlt, { k: Math.min(k, depth - 1), name: inspected!.name })}
                  style={{ aspectRatio: `${slice.width * (header.zooms[0] || 1)} / ${slice.height * (header.zooms[1] || 1)}` }}
                  data-testid="nifti-canvas"
                />
              </div>
              <figcaption data-testid="nifti-caption">{caption}</figcaption>
              {depth > 1 && (
                <Field label={strings.slice}>
                  <input type="range" min={0} max={depth - 1} value={Math.min(k, depth - 1)} onChange={(e) => setK(Number(e.target.value))} />
                </Field>
              )}
              {volumes > 1 && <p>{fill(strings.fourD, { volumes })}</p>}
            </figure>
          )}
        </ResultCard>
      )}
    </div>
  );
}
