/**
 * The lab report: export (JSON file and printable page) for students, import and side-by-side
 * comparison for instructors. Files are read locally; nothing is sent anywhere.
 */
import { useEffect, useState } from 'react';
import { LABS } from '../../../labs/shared/registry';
import { isExerciseId } from '../../../labs/shared/exercise';
import { buildLabReport, parseLabReport, type LabReport } from '../../../labs/shared/report';
import { loadProgress, onProgress, resetProgress, setStudent, type ProgressState } from '../../lib/progress';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Self-check questions and checked exercises share the report's `quizzes` map; exercise ids contain ".exercise.". */
function quizScore(r: LabReport, exercises: boolean): string {
  const answers = Object.entries(r.quizzes).filter(([id]) => isExerciseId(id) === exercises).map(([, a]) => a);
  if (answers.length === 0) return 'none answered';
  return `${answers.filter((a) => a.correct).length} of ${answers.length} correct`;
}

function exerciseAnswers(r: LabReport): string {
  return Object.entries(r.quizzes)
    .filter(([id]) => isExerciseId(id))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, a]) => `${id.replace('.exercise.', ' ')}: ${a.choice} (${a.correct ? 'right' : 'wrong'})`)
    .join('; ');
}

export default function ReportView() {
  const [state, setState] = useState<ProgressState | null>(null);
  const [imported, setImported] = useState<{ name: string; report: LabReport }[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    setState(loadProgress());
    return onProgress(setState);
  }, []);
  if (!state) return <p role="status">Loading your progress…</p>;
  const report = buildLabReport(state);

  const exportJson = () => {
    const who = (state.student || 'student').replace(/[^\w.-]+/g, '_');
    download(`bratslab-report-${who}.json`, JSON.stringify(buildLabReport(loadProgress()), null, 2));
  };
  const importFiles = async (files: FileList | null) => {
    if (!files) return;
    const ok: { name: string; report: LabReport }[] = [];
    const bad: string[] = [];
    for (const f of Array.from(files)) {
      const parsed = parseLabReport(await f.text(), f.name);
      if (parsed.ok) ok.push({ name: f.name, report: parsed.report });
      else bad.push(parsed.error);
    }
    setImported((prev) => [...prev, ...ok]);
    setErrors(bad);
  };

  return (
    <div className="report-view">
      <section aria-labelledby="mine">
        <h2 id="mine">Your report</h2>
        <label>
          Your name (goes into the report){' '}
          <input type="text" value={state.student} onChange={(e) => setStudent(e.target.value)} autoComplete="name" />
        </label>
        <p data-testid="report-summary">
          {Object.keys(report.progress).length} pages marked done · self-checks: {quizScore(report, false)} · exercises:{' '}
          {quizScore(report, true)} ·{' '}
          {Object.keys(report.labs).length} lab results
        </p>
        <div className="report-actions">
          <button type="button" onClick={exportJson}>
            Download report (JSON)
          </button>
          <button type="button" onClick={() => window.print()}>
            Print or save as PDF
          </button>
          <button
            type="button"
            onClick={() => {
              if (window.confirm('Erase all progress, answers and lab results stored in this browser?')) resetProgress();
            }}
          >
            Reset my progress
          </button>
        </div>
        <ReportTable reports={[{ name: 'This browser', report }]} />
      </section>
      <section aria-labelledby="import" className="no-print">
        <h2 id="import">Import reports (instructors)</h2>
        <label>
          Open one or more report files{' '}
          <input type="file" accept=".json,application/json" multiple onChange={(e) => importFiles(e.target.files)} data-testid="report-import" />
        </label>
        {errors.length > 0 && (
          <ul role="alert" className="report-errors">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
        {imported.length > 0 && (
          <>
            <ReportTable reports={imported} />
            <button type="button" onClick={() => setImported([])}>
              Clear imported reports
            </button>
          </>
        )}
      </section>
    </div>
  );
}

function ReportTable({ reports }: { reports: { name: string; report: LabReport }[] }) {
  return (
    <div className="table-scroll">
      <table data-testid="report-table">
        <caption>{reports.length === 1 ? 'Report contents' : `${reports.length} reports side by side`}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            {reports.map((r, i) => (
              <th scope="col" key={i}>
                {r.report.student || r.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Exported</th>
            {reports.map((r, i) => (
              <td key={i}>{new Date(r.report.createdAt).toLocaleString()}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">Pages done</th>
            {reports.map((r, i) => (
              <td key={i}>{Object.keys(r.report.progress).sort().join(', ') || 'none'}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">Self-checks</th>
            {reports.map((r, i) => (
              <td key={i}>{quizScore(r.report, false)}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">Exercises</th>
            {reports.map((r, i) => (
              <td key={i}>
                {quizScore(r.report, true)}
                {exerciseAnswers(r.report) && <div className="report-exercises">{exerciseAnswers(r.report)}</div>}
              </td>
            ))}
          </tr>
          {LABS.map((lab) => (
            <tr key={lab.id}>
              <th scope="row">{lab.title}</th>
              {reports.map((r, i) => (
                <td key={i}>{r.report.labs[lab.id]?.summary ?? '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
