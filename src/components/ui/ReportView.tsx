/**
 * The lab report: export (JSON file and printable page) for students, import and side-by-side
 * comparison for instructors. Files are read locally; nothing is sent anywhere.
 */
import { useEffect, useState } from 'react';
import { LABS } from '../../../labs/shared/registry';
import { isExerciseId } from '../../../labs/shared/exercise';
import { buildLabReport, parseLabReport, selfCheckScore, unknownIds, type LabReport } from '../../../labs/shared/report';
import { loadProgress, onProgress, resetProgress, setStudent, type ProgressState } from '../../lib/progress';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Self-check questions and checked exercises share the report's `quizzes` map; exercise ids contain ".exercise.". Lab quiz answers count as neither. */
function quizScore(r: LabReport, exercises: boolean): string {
  const { correct, answered } = selfCheckScore({ quizzes: Object.fromEntries(Object.entries(r.quizzes).filter(([id]) => isExerciseId(id) === exercises)) });
  if (answered === 0) return 'none answered';
  return `${correct} of ${answered} correct`;
}

/** A warning for a report holding ids this course does not have, or null. */
function strangeIds(name: string, r: LabReport, known: Known): string | null {
  const u = unknownIds(r, known);
  if (u.pages.length === 0 && u.quizzes.length === 0) return null;
  const list = (ids: string[]) => (ids.length > 4 ? `${ids.slice(0, 4).join(', ')} and ${ids.length - 4} more` : ids.join(', '));
  const parts = [
    u.pages.length ? `${u.pages.length} page ${u.pages.length === 1 ? 'id' : 'ids'} (${list(u.pages)})` : '',
    u.quizzes.length ? `${u.quizzes.length} self-check ${u.quizzes.length === 1 ? 'id' : 'ids'} (${list(u.quizzes)})` : '',
  ].filter(Boolean);
  return `${name}: ${parts.join(' and ')} that this course does not have. The report may come from another version of the course or have been edited; those entries are not counted.`;
}

interface Known {
  pages: string[];
  quizzes: string[];
}

/** A report with only the entries this course has (what the table counts). */
function knownOnly(r: LabReport, known: Known): LabReport {
  const u = unknownIds(r, known);
  const drop = <T,>(o: Record<string, T>, ids: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !ids.includes(k)));
  return { ...r, progress: drop(r.progress, u.pages), quizzes: drop(r.quizzes, u.quizzes) };
}

function exerciseAnswers(r: LabReport): string {
  return Object.entries(r.quizzes)
    .filter(([id]) => isExerciseId(id))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, a]) => `${id.replace('.exercise.', ' ')}: ${a.choice} (${a.correct ? 'right' : 'wrong'})`)
    .join('; ');
}

export default function ReportView({ known }: { known: Known }) {
  const [state, setState] = useState<ProgressState | null>(null);
  const [imported, setImported] = useState<{ name: string; report: LabReport }[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [warnings, setWarnings] = useState<string[]>([]);
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
    const odd: string[] = [];
    for (const f of Array.from(files)) {
      const parsed = parseLabReport(await f.text(), f.name);
      if (!parsed.ok) {
        bad.push(parsed.error);
        continue;
      }
      const warning = strangeIds(f.name, parsed.report, known);
      if (warning) odd.push(warning);
      ok.push({ name: f.name, report: knownOnly(parsed.report, known) });
    }
    setImported((prev) => [...prev, ...ok]);
    setErrors(bad);
    setWarnings(odd);
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
        {warnings.length > 0 && (
          <ul className="report-warnings" data-testid="report-warnings">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
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
