/** The pre-training checklist island: ticks persist in the progress store and go into the report. */
import { useEffect, useState } from 'react';
import { CHECKLIST, checklistScore } from '../../../labs/checklist';
import { loadProgress, recordLabResult } from '../../lib/progress';
import strings from '../../i18n/en/checklist.json';
import { Field } from '../ui/lab-ui';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

function savedTicks(): string[] {
  const data = loadProgress().labs.checklist?.data as { ticked?: unknown } | undefined;
  return Array.isArray(data?.ticked) ? data.ticked.filter((t): t is string => typeof t === 'string') : [];
}

export default function Checklist() {
  const [ticked, setTicked] = useState<string[] | null>(null);
  useEffect(() => setTicked(savedTicks()), []);
  if (!ticked) return <p role="status">{strings.loading}</p>;

  const toggle = (id: string, on: boolean) => {
    const next = on ? [...new Set([...ticked, id])] : ticked.filter((t) => t !== id);
    setTicked(next);
    const done = next.filter((t) => CHECKLIST.some((i) => i.id === t)).length;
    recordLabResult({
      lab: 'checklist',
      schemaVersion: 1,
      summary: `${done} of ${CHECKLIST.length} checks done`,
      score: checklistScore(next),
      data: { ticked: next },
    });
  };
  const done = ticked.filter((t) => CHECKLIST.some((i) => i.id === t)).length;

  return (
    <div className="lab checklist" data-testid="checklist">
      <p role="status" data-testid="checklist-count" className="lab-card-title">
        {done} {strings.of} {CHECKLIST.length} {strings.done}
      </p>
      <ul className="checklist-items">
        {CHECKLIST.map((item) => (
          <li key={item.id}>
            <Field label={<strong>{item.text}</strong>} inline>
              <input type="checkbox" checked={ticked.includes(item.id)} onChange={(e) => toggle(item.id, e.target.checked)} data-item={item.id} />
            </Field>
            <p>
              {item.how} <a href={`${base}${item.link}`}>{item.linkText}</a>
            </p>
            {item.command && (
              <pre tabIndex={0}>
                <code>{item.command}</code>
              </pre>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
