/**
 * "Diagnose your own log": pasted text or local training_log_*.txt files (chosen or dropped) are
 * streamed from the File in the browser, parsed and diagnosed by the core, with class names from a
 * dataset.json given alongside — the same results as `bratslab log`. Nothing leaves the page.
 */
import DropZone from '../ui/DropZone';
import { useState } from 'react';
import { MAX_LOG_BYTES, mergeLogs, parseLog, readLogStream } from '../../../labs/training-log/parse';
import { diagnose, type Diagnosis as Result } from '../../../labs/training-log/diagnose';
import { classesFromDatasetJson, isBratsRegionRun, type ClassInfo } from '../../../labs/training-log/classes';
import { summarise, summaryLines } from '../../../labs/training-log/report';
import { classNames } from '../../../labs/training-log/runs';
import type { Curve } from '../../../labs/training-log/curve';
import strings from '../../i18n/en/log-lab.json';
import { ErrorBox, Field, Toolbar } from '../ui/lab-ui';
import { fill } from '../../i18n/fill';
import CurveView from './CurveView';
import Diagnosis from './Diagnosis';

export default function OwnLog() {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [problem, setProblem] = useState('');
  const [result, setResult] = useState<{ curve: Curve; names: string[]; summary: string[]; diagnosis: Result; key: number } | null>(null);

  const run = async (chosen: File[], pasted: string) => {
    setProblem('');
    const parts = [];
    const skipped: string[] = [];
    let info: ClassInfo | null = null;
    for (const f of chosen) {
      if (f.size > MAX_LOG_BYTES) skipped.push(fill(strings.tooBig, { name: f.name }));
      else if (f.name === 'dataset.json') {
        try {
          info = classesFromDatasetJson(JSON.parse(await f.text()));
        } catch {
          skipped.push(fill(strings.badDatasetJson, { name: f.name }));
        }
      } else {
        try {
          parts.push(await readLogStream(f.stream(), f.name));
        } catch (e) {
          // A file moved or changed after it was chosen cannot be read any more.
          skipped.push(fill(strings.unreadable, { name: f.name, reason: (e as Error).message }));
        }
      }
    }
    if (pasted.trim()) parts.push(parseLog(pasted, strings.pasted));
    if (parts.length === 0) {
      setResult(null);
      setProblem(skipped.join(' ') || strings.ownEmpty);
      return;
    }
    const curve = mergeLogs(parts);
    // dataset.json names only when they fit the log (as bratslab log does).
    const named = info && (curve.classes === 0 || info.names.length === curve.classes) ? info : null;
    if (info && !named) skipped.push(fill(strings.datasetJsonMismatch, { names: info.names.length, classes: curve.classes }));
    const bratsRegions = isBratsRegionRun(curve, named ?? {});
    const diagnosis = diagnose(curve, named?.names ?? [], { bratsRegions });
    const summary = summaryLines(summarise(curve, diagnosis.lr, named?.names ?? [], { classNamesFrom: named ? 'dataset.json' : undefined, bratsRegions }));
    setResult({ curve, names: classNames(curve, named?.names), summary, diagnosis, key: Date.now() });
    setProblem(skipped.join(' '));
  };

  return (
    <div className="loglab-own" data-testid="log-lab-own">
      <p>{strings.ownIntro}</p>
      <Field label={strings.pasteLabel} className="loglab-paste">
        <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </Field>
      <Field label={strings.filesLabel}>
        <input type="file" multiple accept=".txt,.log,.json,text/plain,application/json" onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />
      </Field>
      <DropZone
        className="loglab-drop"
        testId="log-lab-drop"
        onDrop={(e) => {
          const dropped = Array.from(e.dataTransfer.files);
          setFiles(dropped);
          void run(dropped, text);
        }}
      >
        {strings.dropZone}
        {files.length > 0 ? `: ${files.map((f) => f.name).join(', ')}` : ''}
      </DropZone>
      <Toolbar>
        <button type="button" className="is-primary" onClick={() => void run(files, text)}>
          {strings.diagnose}
        </button>
        <button
          type="button"
          onClick={() => {
            setText('');
            setFiles([]);
            setResult(null);
            setProblem('');
          }}
        >
          {strings.clear}
        </button>
      </Toolbar>
      {problem ? <ErrorBox>{problem}</ErrorBox> : null}
      {result ? (
        <section aria-live="polite">
          <h4>{fill(strings.ownResult, { files: result.curve.files.join(', ') })}</h4>
          <ul className="loglab-own-summary" data-testid="log-lab-own-summary">
            {result.summary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <Diagnosis findings={result.diagnosis.findings} unparsed={result.curve.unparsed} />
          {result.curve.epochs.length > 0 ? (
            <CurveView key={result.key} curve={result.curve} classNames={result.names} lr={result.diagnosis.lr} findings={result.diagnosis.findings} />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
