/**
 * Converter mode: the site's BraTS 2021 sample cases → nnU-Net raw dataset with the same core as
 * `bratslab convert`, offered as a zip, then checked by the validator.
 */
import { useEffect, useState } from 'react';
import { ConvertError, convertBrats, type ConvertReport, type TargetScheme } from '../../../labs/convert';
import { SCHEMES } from '../../../labs/shared/labels';
import type { CheckReport } from '../../../labs/shared/report';
import { filesSource, zipSink, zipSource, type PathFile } from '../../lib/files';
import strings from '../../i18n/en/dataset-validator.json';
import { fill } from '../../i18n/fill';
import Findings, { type Filters } from './Findings';
import { runBrowserCheck } from './run-check';

interface SampleCase {
  id: string;
  title: string;
  files: Record<'t1' | 't1ce' | 't2' | 'flair' | 'seg', string>;
}

/** Rows of the before/after table, one per tissue, so each raw value sits next to the value it became. */
function countRows(r: ConvertReport) {
  return SCHEMES[r.edition].labels.map((l) => {
    const written = SCHEMES[r.scheme].labels.find((t) => t.tissue === l.tissue);
    const key = written ? `${written.value} (${written.tissue})` : '';
    return {
      tissue: l.tissue,
      raw: `${l.value} (${l.tissue})`,
      rawVoxels: r.labelCounts.raw[String(l.value)] ?? 0,
      written: key,
      writtenVoxels: r.labelCounts.written[key] ?? 0,
    };
  }).filter((row) => row.written !== '');
}

const samplesBase = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/samples/`;

export interface ConverterSettings {
  scheme: TargetScheme;
  regions: boolean;
}

export default function Converter({
  settings,
  onSettings,
  onDone,
}: {
  settings: ConverterSettings;
  onSettings: (s: ConverterSettings) => void;
  onDone: (r: ConvertReport, check: CheckReport) => void;
}) {
  const [cases, setCases] = useState<SampleCase[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState('');
  const [id, setId] = useState(137);
  const [name, setName] = useState('BraTS2021');
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ report: ConvertReport; zip: string; check: CheckReport } | null>(null);
  const [filters, setFilters] = useState<Filters>({ severity: 'all', rule: '' });

  useEffect(() => {
    fetch(`${samplesBase}index.json`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`index.json: HTTP ${r.status}`))))
      .then((index: { cases: SampleCase[] }) => {
        setCases(index.cases);
        setChosen(new Set(index.cases.map((c) => c.id)));
      })
      .catch((e: Error) => setLoadError(e.message));
  }, []);
  useEffect(() => () => (result ? URL.revokeObjectURL(result.zip) : undefined), [result]);

  const run = async () => {
    if (!cases) return;
    setBusy(true);
    setError('');
    setResult(null);
    try {
      const files: PathFile[] = [];
      for (const c of cases.filter((x) => chosen.has(x.id))) {
        for (const path of Object.values(c.files)) {
          const r = await fetch(samplesBase + path);
          if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
          files.push({ path, file: await r.blob() });
        }
      }
      const sink = zipSink('nnUNet_raw');
      const report = await convertBrats(filesSource('BraTS samples', files), sink, {
        id,
        name,
        scheme: settings.scheme,
        regions: settings.regions,
        link: false,
        force: false,
        onProgress: (done, total) => setStatus(fill(strings.converting, { done, total })),
      });
      const zip = await sink.finish();
      setStatus(strings.planning);
      const { report: check } = await runBrowserCheck(await zipSource(zip, `${report.dataset}.zip`), 'full', () => undefined, new AbortController().signal);
      setResult({ report, zip: URL.createObjectURL(zip), check });
      setStatus('');
      onDone(report, check);
    } catch (e) {
      setStatus('');
      setError(fill(strings.convertFailed, { message: e instanceof ConvertError ? e.message : (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <p role="alert">{fill(strings.convertNoSamples, { message: loadError })}</p>;
  if (!cases) return <p role="status">{strings.convertLoading}</p>;
  return (
    <div className="validator-convert">
      <fieldset>
        <legend>{strings.convertLegend}</legend>
        <p>{strings.convertHelp}</p>
        <ul className="validator-cases">
          {cases.map((c) => (
            <li key={c.id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.has(c.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(c.id);
                    else next.delete(c.id);
                    setChosen(next);
                  }}
                />{' '}
                {c.title}
              </label>
            </li>
          ))}
        </ul>
        <div className="validator-row">
          <label>
            {strings.scheme}{' '}
            <select value={settings.scheme} onChange={(e) => onSettings({ ...settings, scheme: e.target.value as TargetScheme })}>
              <option value="nnunet137">{strings.schemeNnunet137}</option>
              <option value="keep">{strings.schemeKeep}</option>
            </select>
          </label>
          <label>
            <input type="checkbox" checked={settings.regions} onChange={(e) => onSettings({ ...settings, regions: e.target.checked })} /> {strings.regions}
          </label>
        </div>
        <div className="validator-row">
          <label>
            {strings.datasetId} <input type="number" min={11} max={999} value={id} onChange={(e) => setId(Number(e.target.value))} />
          </label>
          <label>
            {strings.datasetName} <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="button" onClick={run} disabled={busy || chosen.size === 0}>
            {strings.convert}
          </button>
        </div>
      </fieldset>
      <p role="status" aria-live="polite">
        {status}
      </p>
      {error && <p role="alert">{error}</p>}
      {result && (
        <div data-testid="converter-result">
          <p>{fill(strings.converted, { dataset: result.report.dataset, training: result.report.training.length, test: result.report.test.length, skipped: result.report.skipped.length })}</p>
          <p>
            <a className="validator-button" href={result.zip} download={`${result.report.dataset}.zip`}>
              {fill(strings.downloadZip, { name: result.report.dataset })}
            </a>
          </p>
          <div className="validator-table-wrap">
            <table className="validator-table">
              <caption>{strings.countsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{strings.countsRaw}</th>
                  <th scope="col">{strings.countsVoxels}</th>
                  <th scope="col">{strings.countsWritten}</th>
                  <th scope="col">{strings.countsVoxels}</th>
                </tr>
              </thead>
              <tbody>
                {countRows(result.report).map((r) => (
                  <tr key={r.tissue}>
                    <td>{r.raw}</td>
                    <td>{r.rawVoxels}</td>
                    <td>{r.written}</td>
                    <td>{r.writtenVoxels}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details>
            <summary>{strings.datasetJson}</summary>
            <pre>{JSON.stringify(result.report.datasetJson, null, 4)}</pre>
          </details>
          <p>{strings.checkingResult}</p>
          <Findings report={result.check} filters={filters} onFilters={setFilters} fileName={result.report.dataset} />
        </div>
      )}
    </div>
  );
}
