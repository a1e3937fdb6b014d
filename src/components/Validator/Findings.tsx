/** The findings of a check: summary, filters (severity, rule), the findings with "why and how to fix", JSON download. */
import { useEffect, useMemo, useState } from 'react';
import { RULES, type RuleId } from '../../../labs/dataset-check';
import { SEVERITIES, type Finding, type Severity } from '../../../labs/shared/findings';
import type { CheckReport } from '../../../labs/shared/report';
import strings from '../../i18n/en/dataset-validator.json';
import { fill } from '../../i18n/fill';
import { Field, FindingsList, ResultCard, Toolbar } from '../ui/lab-ui';

/** Findings rendered at once; 10,000 stray files would otherwise make a page nobody can read. */
const MAX_ROWS = 300;

const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
const siteLink = (path: string) => `${base}${path.replace(/^\//, '')}`;

export interface Filters {
  severity: Severity | 'all';
  rule: string;
}

function where(f: Finding): string {
  if (f.path && f.case && !f.path.includes(f.case)) return `${f.path} (${f.case})`;
  return f.path ?? f.case ?? '';
}

/**
 * What was checked, by the dataset's own name: a zip or folder holding one dataset under another
 * name is titled "Dataset137_BraTS2021 (upload.zip)".
 */
export function checkedName(report: CheckReport): { title: string; file: string } {
  const names = ((report.details as { datasets?: { name: string }[] }).datasets ?? []).map((d) => d.name);
  if (names.length !== 1) return { title: report.target, file: report.target.replace(/\.zip$/i, '') };
  const [name] = names;
  const same = report.target === name || report.target.replace(/\.zip$/i, '') === name;
  return { title: same ? name : `${name} (${report.target})`, file: name };
}

export default function Findings({ report, filters, onFilters }: { report: CheckReport; filters: Filters; onFilters: (f: Filters) => void }) {
  const rules = useMemo(() => [...new Set(report.findings.map((f) => f.rule))].sort(), [report]);
  const shown = report.findings.filter((f) => (filters.severity === 'all' || f.severity === filters.severity) && (filters.rule === '' || f.rule === filters.rule));
  const [url, setUrl] = useState('');
  useEffect(() => {
    const u = URL.createObjectURL(new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: 'application/json' }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [report]);
  const name = checkedName(report);

  return (
    <ResultCard tone={report.summary.error ? 'danger' : report.summary.warning ? 'warning' : 'success'} className="validator-findings">
      <p className="validator-summary" data-testid="validator-summary">
        {fill(strings.summary, { target: name.title, ...report.summary })} {report.summary.error === 0 ? strings.clean : ''}
      </p>
      <Toolbar label={strings.filtersLegend}>
        <Field label={strings.severity}>
          <select value={filters.severity} onChange={(e) => onFilters({ ...filters, severity: e.target.value as Filters['severity'] })}>
            <option value="all">{strings.all}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {strings[s]} ({report.summary[s]})
              </option>
            ))}
          </select>
        </Field>
        <Field label={strings.rule}>
          <select value={filters.rule} onChange={(e) => onFilters({ ...filters, rule: e.target.value })}>
            <option value="">{strings.all}</option>
            {rules.map((r) => (
              <option key={r} value={r}>
                {r} ({report.findings.filter((f) => f.rule === r).length})
              </option>
            ))}
          </select>
        </Field>
        {url && (
          <a className="lab-button" href={url} download={`${name.file}.check.json`}>
            {strings.download}
          </a>
        )}
      </Toolbar>
      {shown.length === 0 ? (
        report.findings.length > 0 && <p>{strings.noneMatch}</p>
      ) : (
        <FindingsList
          testId="validator-findings"
          detailsLabel={strings.whyFix}
          items={shown.slice(0, MAX_ROWS).map((f, i) => {
            const info = RULES[f.rule as RuleId] as (typeof RULES)[RuleId] | undefined;
            return {
              key: i,
              severity: f.severity,
              severityLabel: strings[f.severity],
              rule: f.rule,
              where: where(f),
              message: f.message,
              data: { rule: f.rule, path: f.path ?? '', case: f.case ?? '' },
              details: (
                <>
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
                </>
              ),
            };
          })}
        />
      )}
      {shown.length > MAX_ROWS && <p>{fill(strings.shown, { shown: MAX_ROWS, total: shown.length })}</p>}
    </ResultCard>
  );
}
