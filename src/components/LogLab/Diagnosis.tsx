/** The diagnosis of a run: findings in order of severity, with epochs, evidence and the lesson link. */
import type { Finding } from '../../../labs/shared/findings';
import type { UnparsedLine } from '../../../labs/training-log/curve';
import strings from '../../i18n/en/log-lab.json';
import { FindingsList } from '../ui/lab-ui';
import { fill } from '../../i18n/fill';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

export default function Diagnosis({ findings, unparsed = [] }: { findings: readonly Finding[]; unparsed?: readonly UnparsedLine[] }) {
  return (
    <section className="loglab-diagnosis" aria-label={strings.diagnosisTitle}>
      <h4>{strings.diagnosisTitle}</h4>
      {findings.length === 0 ? <p>{strings.noFindings}</p> : null}
      <FindingsList
        detailsLabel={strings.whyFix}
        items={findings.map((f, i) => ({
          key: i,
          severity: f.severity,
          severityLabel: f.severity,
          rule: f.rule,
          where: f.epochs ? fill(strings.epochs, { from: f.epochs[0], to: f.epochs[1] }) : undefined,
          message: f.message,
          data: { rule: f.rule },
          details: (
            <p>
              {f.hint} <a href={`${base}${f.docs}`}>{strings.readMore}</a>
            </p>
          ),
        }))}
      />
      {unparsed.length > 0 ? (
        <details>
          <summary>
            {strings.unparsedTitle} ({unparsed.length})
          </summary>
          <ul className="loglab-unparsed">
            {unparsed.slice(0, 200).map((u) => (
              <li key={`${u.file}:${u.line}`}>
                <code>
                  {u.file}:{u.line}
                </code>{' '}
                {u.reason}: <q>{u.text}</q>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
