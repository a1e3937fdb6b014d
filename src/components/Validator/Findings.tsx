/** The findings of a check: summary, filters (severity, rule), a table with "why and how to fix", JSON download. */
import { useEffect, useMemo, useState } from 'react';
import { RULES, type RuleId } from '../../../labs/dataset-check';
import { SEVERITIES, type Finding, type Severity } from '../../../labs/shared/findings';
import type { CheckReport } from '../../../labs/shared/report';
import strings from '../../i18n/en/dataset-validator.json';
import { fill } from '../../i18n/fill';

/** Rows rendered at once; 10,000 stray files would otherwise make a page nobody can read. */
const MAX_ROWS = 300;

const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
const siteLink = (path: string) => `${base}${path.replace(/^\//, '')}`;

export interface Filters {
  severity: Severity | 'all';
  rule: string;
}

function where(f: Finding): string {
  if (f.path && f.case && !f.path.includes(f.case)) return `${f.path} (${f.case})`;
  return f.path ?? f.case ?? '—';
}

export default function Findings({ report, filters, onFilters, fileName }: { report: CheckReport; filters: Filters; onFilters: (f: Filters) => void; fileName: string }) {
  const rules = useMemo(() => [...new Set(report.findings.map((f) => f.rule))].sort(), [report]);
  const shown = report.findings.filter((f) => (filters.severity === 'all' || f.severity === filters.severity) && (filters.rule === '' || f.rule === filters.rule));
  const [url, setUrl] = useState('');
  useEffect(() => {
    const u = URL.createObjectURL(new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: 'application/json' }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [report]);

  return (
    <section className="validator-findings" aria-label={strings.filtersLegend}>
      <p className={report.summary.error ? 'validator-summary has-errors' : 'validator-summary'} data-testid="validator-summary">
        {fill(strings.summary, { target: report.target, ...report.summary })} {report.summary.error === 0 ? strings.clean : ''}
      </p>
      <div className="validator-row">
        <label>
          {strings.severity}{' '}
          <select value={filters.severity} onChange={(e) => onFilters({ ...filters, severity: e.target.value as Filters['severity'] })}>
            <option value="all">{strings.all}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {strings[s]} ({report.summary[s]})
              </option>
            ))}
          </select>
        </label>
        <label>
          {strings.rule}{' '}
          <select value={filters.rule} onChange={(e) => onFilters({ ...filters, rule: e.target.value })}>
            <option value="">{strings.all}</option>
            {rules.map((r) => (
              <option key={r} value={r}>
                {r} ({report.findings.filter((f) => f.rule === r).length})
              </option>
            ))}
          </select>
        </label>
        {url && (
          <a className="validator-button" href={url} download={`${fileName}.check.json`}>
            {strings.download}
          </a>
        )}
      </div>
      {shown.length === 0 ? (
        <p>{report.findings.length ? strings.noneMatch : ''}</p>
      ) : (
        <div className="validator-table-wrap">
          <table className="validator-table" data-testid="validator-findings">
            <thead>
              <tr>
                <th scope="col">{strings.colSeverity}</th>
                <th scope="col">{strings.colRule}</th>
                <th scope="col">{strings.colWhere}</th>
                <th scope="col">{strings.colMessage}</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, MAX_ROWS).map((f, i) => {
                const info = RULES[f.rule as RuleId] as (typeof RULES)[RuleId] | undefined;
                return (
                  <tr key={i} data-rule={f.rule} data-path={f.path ?? ''} data-case={f.case ?? ''}>
                    <td>
                      <span className={`validator-sev sev-${f.severity}`}>{strings[f.severity]}</span>
                    </td>
                    <td>
                      <code>{f.rule}</code>
                    </td>
                    <td className="validator-where">{where(f)}</td>
                    <td>
                      {f.message}
                      <details>
                        <summary>{strings.whyFix}</summary>
                        <p>
                          {strings.fix} {f.hint}
                        </p>
                        <p>
                          <a href={siteLink(f.docs)}>{strings.rulePage}</a>
                          {info && (
                            <>
                              {' · '}
                              <a href={siteLink(info.lesson)}>{strings.lesson}</a>
                            </>
                          )}
                        </p>
                      </details>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {shown.length > MAX_ROWS && <p>{fill(strings.shown, { shown: MAX_ROWS, total: shown.length })}</p>}
    </section>
  );
}
