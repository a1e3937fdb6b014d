/** An nnUNet_results dataset folder: per configuration its folds, the cross-validation table and the next commands. */
import type { ResultsReport } from '../../../labs/evaluate';
import strings from '../../i18n/en/evaluate.json';

const pm = (s: { mean: number; sd: number; n: number } | null | undefined) =>
  !s || !s.n ? '—' : `${s.mean.toFixed(4)} ± ${Number.isNaN(s.sd) ? '—' : s.sd.toFixed(4)} (${s.n})`;

export default function ResultsView({ report }: { report: ResultsReport }) {
  if (!report.configurations.length) return <p role="alert">{strings.noConfigs}</p>;
  return (
    <div data-testid="evaluate-results">
      <h4>{report.dataset}</h4>
      {report.configurations.map((c) => (
        <section key={c.folder} className="eval-config">
          <h5>{c.folder}</h5>
          <div className="eval-scroll" tabIndex={0} role="region" aria-label={c.folder}>
            <table className="eval-table">
              <thead>
                <tr>
                  {strings.foldCols.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {c.folds.map((f) => (
                  <tr key={String(f.fold)} data-status={f.status}>
                    <th scope="row">fold_{f.fold}</th>
                    <td>{f.summary}</td>
                    <td>{[f.checkpoints.final && 'final', f.checkpoints.best && 'best', f.checkpoints.latest && 'latest'].filter(Boolean).join(', ') || '—'}</td>
                    <td>{f.validation ? f.validation.foreground.toFixed(4) : '—'}</td>
                    <td>
                      {f.findings.filter((x) => x.severity !== 'info').map((x) => (
                        <div key={x.rule}>
                          {x.severity}: {x.message}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {c.missingFolds.length > 0 && (
            <p>
              {strings.missing}: {c.missingFolds.map((f) => `fold_${f}`).join(', ')}
            </p>
          )}
          {Object.keys(c.cv).length > 0 && (
            <table className="eval-table" data-testid="evaluate-cv">
              <caption>{strings.cvCaption}</caption>
              <tbody>
                {Object.entries(c.cv).map(([k, s]) => (
                  <tr key={k}>
                    <th scope="row">
                      {k}
                      {c.names[k] ? ` ${c.names[k]}` : ''}
                    </th>
                    <td>{pm(s)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">foreground mean</th>
                  <td>{pm(c.foreground)}</td>
                </tr>
              </tbody>
            </table>
          )}
        </section>
      ))}
      {report.next.length > 0 && (
        <>
          <h5>{strings.next}</h5>
          <pre tabIndex={0} aria-label={strings.next}>
            <code>{report.next.join('\n')}</code>
          </pre>
        </>
      )}
    </div>
  );
}
