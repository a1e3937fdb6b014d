/** The curve explorer over the 14 real runs: pick a run, see its source, curves and diagnosis. */
import { useEffect, useState } from 'react';
import { sourceLine, sourceUrl } from '../../../labs/training-log/runs';
import { readLabState, writeLabState } from '../../lib/url-state';
import strings from '../../i18n/en/log-lab.json';
import { fill } from '../../i18n/fill';
import CurveView from './CurveView';
import Diagnosis from './Diagnosis';
import { useRun, useRunIndex } from './use-runs';

const schema = { run: { type: 'string', default: 'ucsfmets_trainerMets' } } as const;

export default function Explorer() {
  const { runs, error: indexError } = useRunIndex();
  const [id, setId] = useState<string | null>(null);
  useEffect(() => setId(readLabState('log-lab', schema).run), []);
  const known = runs && id && runs.some((r) => r.id === id) ? id : runs ? schema.run.default : null;
  const { run, error } = useRun(known);
  const entry = runs?.find((r) => r.id === known);

  const choose = (next: string) => {
    setId(next);
    writeLabState('log-lab', schema, { run: next });
  };

  if (indexError || error) return <p role="alert">{fill(strings.loadFailed, { what: 'the runs', error: indexError || error })}</p>;
  if (!runs || !entry) return <p>{strings.loading}</p>;
  return (
    <div className="loglab-explorer">
      <label className="loglab-select">
        {strings.runLabel}{' '}
        <select value={entry.id} onChange={(e) => choose(e.target.value)}>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title}
            </option>
          ))}
        </select>
      </label>
      <dl className="loglab-meta">
        <dt>{strings.source}</dt>
        <dd>
          {run ? (
            <a href={sourceUrl(run.run.source)} rel="noreferrer">
              {sourceLine(run.run.source)}
            </a>
          ) : (
            entry.source
          )}{' '}
          ({entry.dataset}; {entry.epochsCovered})
        </dd>
        <dt>{strings.verdict}</dt>
        <dd>{entry.verdict}</dd>
        {run ? (
          <>
            <dt>{strings.notes}</dt>
            <dd>{run.run.notes}</dd>
          </>
        ) : null}
      </dl>
      <p className="loglab-hint">{strings.sampledNote}</p>
      {run ? (
        <>
          <CurveView key={run.id} curve={run.curve} classNames={run.names} lr={run.diagnosis.lr} findings={run.diagnosis.findings} />
          <Diagnosis findings={run.diagnosis.findings} />
        </>
      ) : (
        <p>{strings.loading}</p>
      )}
      <aside className="loglab-missing">
        <strong>{strings.missingTitle}.</strong> {strings.missing}
      </aside>
    </div>
  );
}
