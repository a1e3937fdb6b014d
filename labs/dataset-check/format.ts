/**
 * The human-readable report: findings grouped by severity, then by rule, each with its fix.
 * Plain text (the CLI prints it; tests read it); `color` adds ANSI colours for terminals.
 */
import { SEVERITIES, type Severity } from '../shared/findings';
import type { CheckReport } from '../shared/report';
import { RULES, type RuleId } from './rules';
import { groupBy } from './group';

const HEAD: Record<Severity, string> = { error: 'ERRORS', warning: 'WARNINGS', info: 'INFO' };
const COLOUR: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };

export interface FormatOptions {
  color?: boolean;
  /** Findings shown per rule before "… and N more" (default 10). */
  perRule?: number;
  /** Site origin for the docs links (default: the links stay site-relative). */
  site?: string;
}

export function formatReport(report: CheckReport, opts: FormatOptions = {}): string {
  const c = (s: Severity, t: string) => (opts.color ? `${COLOUR[s]}${t}\x1b[0m` : t);
  const bold = (t: string) => (opts.color ? `\x1b[1m${t}\x1b[0m` : t);
  const perRule = opts.perRule ?? 10;
  const lines: string[] = [];
  const d = report.details as { mode?: string; casesChecked?: number; seconds?: number } | undefined;
  lines.push(bold(`${report.tool}: ${report.target}`) + (d?.mode ? ` (${d.mode === 'headers' ? 'headers only' : 'full check'}, ${d.casesChecked ?? 0} cases${d.seconds !== undefined ? `, ${d.seconds.toFixed(1)} s` : ''})` : ''));
  for (const sev of SEVERITIES) {
    const fs = report.findings.filter((f) => f.severity === sev);
    if (!fs.length) continue;
    lines.push('', c(sev, `${HEAD[sev]} (${fs.length})`));
    const byRule = groupBy(fs, (f) => f.rule);
    for (const [rule, group] of byRule) {
      const info = RULES[rule as RuleId];
      lines.push(`  ${c(sev, rule)}${info ? ` — ${info.title}` : ''} (${group.length})`);
      for (const f of group.slice(0, perRule)) lines.push(`    • ${f.message}`);
      if (group.length > perRule) lines.push(`    … and ${group.length - perRule} more (--json lists all)`);
      const hints = [...new Set(group.map((f) => f.hint))];
      for (const h of hints.slice(0, 3)) lines.push(`    fix: ${h}`);
      lines.push(`    why: ${opts.site ?? ''}${group[0].docs}${info ? `  lesson: ${opts.site ?? ''}${info.lesson}` : ''}`);
    }
  }
  const s = report.summary;
  lines.push('', s.error ? c('error', bold(`${s.error} error(s), ${s.warning} warning(s), ${s.info} info.`)) : bold(`No errors. ${s.warning} warning(s), ${s.info} info.`));
  return lines.join('\n') + '\n';
}
