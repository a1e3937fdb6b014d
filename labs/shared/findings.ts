/**
 * The finding shape every check in the project reports (validator, log diagnosis, converter).
 * Rule ids are stable and namespaced by lab: `dataset.label-values`, `log.nan-loss`.
 */
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface Finding {
  /** Stable, namespaced rule id, e.g. `dataset.label-values`. */
  rule: string;
  severity: Severity;
  /** What is wrong, in one sentence a user understands. */
  message: string;
  /** How to fix it. */
  hint: string;
  /** Site-relative link to the rule's explanation, e.g. `/validator-rules/#dataset.label-values`. */
  docs: string;
  /** File the finding is about, relative to the checked root. */
  path?: string;
  /** Case identifier the finding is about. */
  case?: string;
  /** Epoch range [first, last] (inclusive) for training-log findings. */
  epochs?: [number, number];
  /** The numbers behind the finding. */
  evidence?: Record<string, unknown>;
}

const RULE_ID = /^[a-z][a-z0-9]*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;

/** True when `id` is a namespaced rule id such as `dataset.label-values`. */
export function isRuleId(id: string): boolean {
  return RULE_ID.test(id);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Errors first, then warnings, then info; stable within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f.severity) - rank(b.f.severity) || a.i - b.i)
    .map(({ f }) => f);
}
