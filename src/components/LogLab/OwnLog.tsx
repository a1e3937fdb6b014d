/**
 * "Diagnose your own log": pasted text or local training_log_*.txt files (chosen or dropped) are
 * read in the browser with File.text(), parsed and diagnosed by the core. Nothing leaves the page.
 */
import DropZone from '../ui/DropZone';
import { useState } from 'react';
import { MAX_LOG_BYTES, parseLogs } from '../../../labs/training-log/parse';
import { diagnose, type Diagnosis as Result } from '../../../labs/training-log/diagnose';
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
  const [result, setResult] = useState<{ curve: Curve; names: string[]; diagnosis: Result; key: number } | null>(null);

  const run = async (chosen: File[], pasted: string) => {
    setProblem('');
    const logs: { name: string; text: string }[] = [];
    const skipped: string[] = [];
    for (const f of chosen) {
      if (f.size > MAX_LOG_BYTES) skipped.push(fill(strings.tooBig, { name: f.name }));
      else logs.push({ name: f.name, text: await f.text() });
    }
    if (pasted.trim()) logs.push({ name: strings.pasted, text: pasted });
    if (logs.length === 0) {
      setResult(null);
      setProblem(skipped.join(' ') || strings.ownEmpty);
      return;
    }
    const curve = parseLogs(logs);
    const names = classNames(curve);
    setResult({ curve, names, diagnosis: diagnose(curve, names), key: Date.now() });
    setProblem(skipped.join(' '));
  };

  return (
    <div className="loglab-own" data-testid="log-lab-own">
      <p>{strings.ownIntro}</p>
      <Field label={strings.pasteLabel} className="loglab-paste">
        <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </Field>
      <Field label={strings.filesLabel}>
        <input type="file" multiple accept=".txt,text/plain" onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />
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
          <Diagnosis findings={result.diagnosis.findings} unparsed={result.curve.unparsed} />
          {result.curve.epochs.length > 0 ? (
            <CurveView key={result.key} curve={result.curve} classNames={result.names} lr={result.diagnosis.lr} findings={result.diagnosis.findings} />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
