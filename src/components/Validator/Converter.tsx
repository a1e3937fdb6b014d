/**
 * Converter mode: BraTS cases → nnU-Net raw dataset with the same core as `bratslab convert`,
 * offered as a zip, then checked by the validator. The cases are the site's samples or the user's
 * own BraTS folder or zip (2021 or 2023+ names), read in the tab.
 */
import { useEffect, useState } from 'react';
import { ConvertError, convertBrats, detectLayout, type BratsLayout, type ConvertReport, type TargetScheme } from '../../../labs/convert';
import { SCHEMES } from '../../../labs/shared/labels';
import type { CheckReport } from '../../../labs/shared/report';
import { filesSource, zipSink, zipSource, type PathFile } from '../../lib/files';
import strings from '../../i18n/en/dataset-validator.json';
import { fill } from '../../i18n/fill';
import { ErrorBox, Field, Progress, ResultCard, Segmented, Toolbar } from '../ui/lab-ui';
import Findings, { type Filters } from './Findings';
import { runBrowserCheck } from './run-check';
import SourcePicker, { type Source } from './SourcePicker';

/**
 * The output zip is built in memory; above this much input the tab could run out of it, so the
 * converter asks for fewer cases or the CLI (which writes files and hard links).
 */
const MAX_INPUT_BYTES = 2 * 1024 ** 3;
const EDITION_NAMES = { brats2021: 'BraTS 2021', brats2023: 'BraTS 2023+' } as const;

interface Own {
  source: Source;
  layout: BratsLayout;
  bytes: number;
}

/** Lists a source and finds its BraTS cases; throws with a message the user can act on. */
async function inspectOwn(source: Source): Promise<Own> {
  const entries = await source.list();
  const layout = detectLayout(entries);
  const bytes = entries.reduce((sum, e) => sum + (e.kind === 'file' ? e.size : 0), 0);
  if (bytes > MAX_INPUT_BYTES) {
    throw new ConvertError(fill(strings.convertTooBig, { gb: (bytes / 1024 ** 3).toFixed(1), max: MAX_INPUT_BYTES / 1024 ** 3, label: source.label }));
  }
  return { source, layout, bytes };
}

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
  handoff,
}: {
  settings: ConverterSettings;
  onSettings: (s: ConverterSettings) => void;
  onDone: (r: ConvertReport, check: CheckReport) => void;
  /** A BraTS folder or zip the checker was given. */
  handoff: Source | null;
}) {
  const [from, setFrom] = useState<'samples' | 'own'>(handoff ? 'own' : 'samples');
  const [own, setOwn] = useState<Own | null>(null);
  const [ownError, setOwnError] = useState('');
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

  const pickOwn = (load: () => Promise<Source>, label: string) => {
    setOwn(null);
    setOwnError('');
    setResult(null);
    setStatus(fill(strings.reading, { name: label }));
    load()
      .then(inspectOwn)
      .then(setOwn)
      .catch((e: Error) => setOwnError(fill(strings.convertOwnFailed, { message: e.message })))
      .finally(() => setStatus(''));
  };
  useEffect(() => {
    if (handoff) pickOwn(async () => handoff, handoff.label);
  }, [handoff]);

  /** The sample cases the user ticked, as a source. */
  const sampleSource = async () => {
    const files: PathFile[] = [];
    for (const c of (cases ?? []).filter((x) => chosen.has(x.id))) {
      for (const path of Object.values(c.files)) {
        const r = await fetch(samplesBase + path);
        if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
        files.push({ path, file: await r.blob() });
      }
    }
    return filesSource('BraTS samples', files);
  };

  const run = async () => {
    setBusy(true);
    setError('');
    setResult(null);
    try {
      const source = from === 'own' && own ? own.source : await sampleSource();
      const sink = zipSink('nnUNet_raw');
      const report = await convertBrats(source, sink, {
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

  const ready = from === 'own' ? own !== null : chosen.size > 0;
  return (
    <div className="validator-convert">
      <Segmented
        legend={strings.convertFrom}
        name="converter-from"
        value={from}
        options={[
          { value: 'samples', label: strings.convertFromSamples },
          { value: 'own', label: strings.convertFromOwn },
        ]}
        onChange={(v) => {
          setFrom(v);
          setResult(null);
        }}
      />
      {from === 'samples' ? (
        <fieldset>
          <legend>{strings.convertLegend}</legend>
          <p className="lab-hint">{strings.convertHelp}</p>
          {loadError && <ErrorBox>{fill(strings.convertNoSamples, { message: loadError })}</ErrorBox>}
          {!cases && !loadError && <p role="status">{strings.convertLoading}</p>}
          <ul className="validator-cases">
            {cases?.map((c) => (
              <li key={c.id}>
                <Field label={c.title} inline>
                  <input
                    type="checkbox"
                    checked={chosen.has(c.id)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(c.id);
                      else next.delete(c.id);
                      setChosen(next);
                    }}
                  />
                </Field>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : (
        <fieldset>
          <legend>{strings.convertOwnLegend}</legend>
          <p className="lab-hint">{strings.convertOwnHelp}</p>
          <SourcePicker onSource={pickOwn} disabled={busy} testIdPrefix="converter" dropText={strings.convertDrop} />
          {own && (
            <p data-testid="converter-found">
              {fill(strings.convertFound, {
                label: own.source.label,
                cases: own.layout.cases.length,
                noun: own.layout.cases.length === 1 ? 'case' : 'cases',
                edition: EDITION_NAMES[own.layout.edition],
                mb: (own.bytes / 1024 ** 2).toFixed(1),
              })}
            </p>
          )}
          {ownError && <ErrorBox>{ownError}</ErrorBox>}
        </fieldset>
      )}
      <Toolbar>
        <Field label={strings.scheme}>
          <select value={settings.scheme} onChange={(e) => onSettings({ ...settings, scheme: e.target.value as TargetScheme })}>
            <option value="nnunet137">{strings.schemeNnunet137}</option>
            <option value="keep">{strings.schemeKeep}</option>
          </select>
        </Field>
        <Field label={strings.regions} inline>
          <input type="checkbox" checked={settings.regions} onChange={(e) => onSettings({ ...settings, regions: e.target.checked })} />
        </Field>
      </Toolbar>
      <Toolbar>
        <Field label={strings.datasetId}>
          <input type="number" min={11} max={999} value={id} onChange={(e) => setId(Number(e.target.value))} />
        </Field>
        <Field label={strings.datasetName}>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <button type="button" className="is-primary" onClick={run} disabled={busy || !ready}>
          {strings.convert}
        </button>
      </Toolbar>
      {status && <Progress label={strings.convertProgress} text={status} />}
      {error && <ErrorBox>{error}</ErrorBox>}
      {result && (
        <ResultCard testId="converter-result" tone="success">
          <p>{fill(strings.converted, { dataset: result.report.dataset, training: result.report.training.length, test: result.report.test.length, skipped: result.report.skipped.length })}</p>
          <p>
            <a className="lab-button is-primary" href={result.zip} download={`${result.report.dataset}.zip`}>
              {fill(strings.downloadZip, { name: result.report.dataset })}
            </a>
          </p>
          <div className="lab-table-wrap">
            <table>
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
          <Findings report={result.check} filters={filters} onFilters={setFilters} />
        </ResultCard>
      )}
    </div>
  );
}
