/**
 * The labs' shared building blocks (see README.md in this folder): one look for every lab, drawn
 * with Starlight's CSS custom properties (--sl-color-*), so light/dark mode and the accent colour
 * follow the site. Labs compose these and keep their own CSS for layout only.
 */
import { useId, type ReactNode } from 'react';
import './lab-ui.css';

/** A row of controls that wraps on narrow screens. */
export function Toolbar({ children, label, className }: { children: ReactNode; label?: string; className?: string }) {
  return (
    <div className={`lab-toolbar${className ? ` ${className}` : ''}`} role={label ? 'group' : undefined} aria-label={label}>
      {children}
    </div>
  );
}

export interface SegmentOption<T extends string> {
  value: T;
  label: ReactNode;
  disabled?: boolean;
}

/** A choice among a few options: radio buttons drawn as one segmented control (arrow keys move). */
export function Segmented<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  testId,
}: {
  legend: ReactNode;
  name: string;
  value: T;
  options: readonly SegmentOption<T>[];
  onChange: (v: T) => void;
  testId?: string;
}) {
  return (
    <fieldset className="lab-segmented" data-testid={testId}>
      <legend>{legend}</legend>
      <div className="lab-segments">
        {options.map((o) => (
          <label key={o.value} className={o.disabled ? 'is-disabled' : undefined}>
            <input type="radio" name={name} value={o.value} checked={value === o.value} disabled={o.disabled} onChange={() => onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * A labelled control: the label above the control, an optional hint below it. `inline` puts a
 * checkbox before its label instead.
 */
export function Field({ label, hint, children, inline, className }: { label: ReactNode; hint?: ReactNode; children: ReactNode; inline?: boolean; className?: string }) {
  const hintId = useId();
  return (
    <label className={`lab-field${inline ? ' is-inline' : ''}${className ? ` ${className}` : ''}`} aria-describedby={hint ? hintId : undefined}>
      {inline ? (
        <>
          {children}
          <span className="lab-field-label">{label}</span>
        </>
      ) : (
        <>
          <span className="lab-field-label">{label}</span>
          {children}
        </>
      )}
      {hint && (
        <span className="lab-field-hint" id={hintId}>
          {hint}
        </span>
      )}
    </label>
  );
}

export type Tone = 'neutral' | 'success' | 'warning' | 'danger';

/** A framed result: title, body, an accent stripe for its tone. */
export function ResultCard({ title, tone = 'neutral', children, testId, className }: { title?: ReactNode; tone?: Tone; children: ReactNode; testId?: string; className?: string }) {
  return (
    <section className={`lab-card tone-${tone}${className ? ` ${className}` : ''}`} data-testid={testId}>
      {title && <h4 className="lab-card-title">{title}</h4>}
      {children}
    </section>
  );
}

export interface FindingItem {
  key: string | number;
  severity: 'error' | 'warning' | 'info';
  /** Severity as the user reads it. */
  severityLabel: string;
  rule?: string;
  where?: string;
  message: ReactNode;
  /** Shown under "details" (fix, links). */
  details?: ReactNode;
  /** Extra data-* attributes for tests and styling. */
  data?: Record<string, string>;
}

/**
 * Findings as a list of cards: severity, rule and place on one line that wraps, the message under
 * them at full width. Reads the same at 375 px and 1280 px (no table columns to squeeze).
 */
export function FindingsList({ items, detailsLabel, testId }: { items: readonly FindingItem[]; detailsLabel: string; testId?: string }) {
  return (
    <ul className="lab-findings" data-testid={testId}>
      {items.map((f) => (
        <li key={f.key} className={`lab-finding sev-${f.severity}`} {...Object.fromEntries(Object.entries(f.data ?? {}).map(([k, v]) => [`data-${k}`, v]))}>
          <div className="lab-finding-head">
            <span className={`lab-badge sev-${f.severity}`}>{f.severityLabel}</span>
            {f.rule && <code className="lab-finding-rule">{f.rule}</code>}
            {f.where && <span className="lab-finding-where">{f.where}</span>}
          </div>
          <div className="lab-finding-message">{f.message}</div>
          {f.details && (
            <details>
              <summary>{detailsLabel}</summary>
              {f.details}
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Progress of a long job: a bar (indeterminate without `max`) and a line of text, announced politely. */
export function Progress({ label, value, max, text }: { label: string; value?: number; max?: number; text?: ReactNode }) {
  return (
    <div className="lab-progress" role="status" aria-live="polite">
      <progress aria-label={label} value={max ? value : undefined} max={max} />
      {text && <p>{text}</p>}
    </div>
  );
}

/** What went wrong, where, and (in `children`) what to do next: announced at once. */
export function ErrorBox({ title, children, testId }: { title?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="lab-error" role="alert" data-testid={testId}>
      {title && <p className="lab-error-title">{title}</p>}
      {children}
    </div>
  );
}
