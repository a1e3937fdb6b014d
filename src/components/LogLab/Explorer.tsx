/**
 * The curve explorer over the real runs: the 14 transcribed public nnU-Net runs and this
 * project's own broken runs. Pick a run, see its source, curves and diagnosis.
 */
import { useEffect, useState } from 'react';
import { OWN_RUNS } from '../../../labs/training-log/own-runs';
import { sourceLine, sourceUrl } from '../../../labs/training-log/runs';
import { readLabState, writeLabState } from '../../lib/url-state';
import strings from '../../i18n/en/log-lab.json';
import { ErrorBox, Field } from '../ui/lab-ui';
import { fill } from '../../i18n/fill';
import CurveView from './CurveView';
import Diagnosis from './Diagnosis';
import OwnSource from './OwnSource';
import { useRun, useRunIndex } from './use-runs';

const schema = { run: { type: 'string', default: 'ucsfmets_trainerMets' } } as const;

export default function Explorer() {
  const { runs, error: indexError } = useRunIndex();
  const [id, setId] = useState<string | null>(null);
  useEffect(() => setId(readLabState('log-lab', schema).run), []);
  const ownEntry = OWN_RUNS.find((r) => r.id === id);
  const known = runs && id && (ownEntry || runs.some((r) => r.id === id)) ? id : runs ? schema.run.default : null;
  const { run, error } = useRun(known);
  const entry = runs?.find((r) => r.id === known);

  const choose = (next: string) => {
    setId(next);
    writeLabState('log-lab', schema, { run: next });
  };

  if (indexError || error) return <ErrorBox>{fill(strings.loadFailed, { what: 'the runs', error: indexError || error })}</ErrorBox>;
  if (!runs || !(entry || ownEntry)) return <p>{strings.loading}</p>;
  return (
    <div className="loglab-explorer">
      <Field label={strings.runLabel}>
        <select value={known ?? ''} onChange={(e) => choose(e.target.value)}>
          <optgroup label={strings.publicRunsGroup}>
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </optgroup>
          <optgroup label={strings.ownRunsGroup}>
            {OWN_RUNS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </optgroup>
        </select>
      </Field>
      {ownEntry ? (
        <dl className="loglab-meta">
          <OwnSource own={ownEntry} />
        </dl>
      ) : entry ? (
        <dl className="loglab-meta">
          <dt>{strings.source}</dt>
          <dd>
            {run?.run ? (
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
          {run?.run ? (
            <>
              <dt>{strings.notes}</dt>
              <dd>{run.run.notes}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <p className="lab-hint">{strings.sampledNote}</p>
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
