/** The command builder island: settings in the URL (assignment links), commands from the core. */
import { useEffect, useMemo, useState } from 'react';
import { buildCommands, CONFIGURATIONS, DEFAULT_SETTINGS, FOLDS, PLANS, type BuilderSettings } from '../../../labs/command-builder';
import { readLabState, writeLabState } from '../../lib/url-state';
import { recordLabResult } from '../../lib/progress';
import strings from '../../i18n/en/command-builder.json';
import { Field, ResultCard, Toolbar } from '../ui/lab-ui';

const schema = {
  id: { type: 'int', default: DEFAULT_SETTINGS.datasetId, min: 1, max: 999 },
  config: { type: CONFIGURATIONS, default: DEFAULT_SETTINGS.configuration },
  fold: { type: FOLDS, default: DEFAULT_SETTINGS.fold },
  trainer: { type: 'string', default: DEFAULT_SETTINGS.trainer },
  plans: { type: Object.keys(PLANS) as (keyof typeof PLANS)[], default: DEFAULT_SETTINGS.plans },
  npz: { type: 'bool', default: DEFAULT_SETTINGS.npz },
  gpu: { type: 'int', default: DEFAULT_SETTINGS.gpu, min: -1, max: 63 },
} as const;

export default function CommandBuilder() {
  // The address is only known in the browser: start empty so the server HTML and hydration agree.
  const [state, setState] = useState<ReturnType<typeof readLabState<typeof schema>> | null>(null);
  const [link, setLink] = useState('');
  const [copied, setCopied] = useState('');
  useEffect(() => setState(readLabState('command-builder', schema)), []);

  const settings: BuilderSettings | null = state && {
    datasetId: state.id,
    configuration: state.config,
    fold: state.fold,
    trainer: state.trainer,
    plans: state.plans,
    npz: state.npz,
    gpu: state.gpu,
  };
  const result = useMemo(() => (settings ? buildCommands(settings) : null), [JSON.stringify(settings)]);
  useEffect(() => {
    if (!state || !result) return;
    setLink(writeLabState('command-builder', schema, state));
    recordLabResult({
      lab: 'command-builder',
      schemaVersion: 1,
      summary: `Dataset ${state.id}, ${state.config}, fold ${state.fold}`,
      data: { settings: state, commands: result.commands.map((c) => c.command) },
    });
  }, [state, result]);
  if (!state || !result) return <p role="status">{strings.loading}</p>;

  const set = <K extends keyof typeof state>(key: K, value: (typeof state)[K]) => setState({ ...state, [key]: value });
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} ${strings.copied}`);
    } catch {
      setCopied(strings.copyRefused);
    }
  };

  return (
    <div className="lab command-builder" data-testid="command-builder">
      <fieldset>
        <legend>{strings.settings}</legend>
        <div className="cb-grid">
          <Field label={strings.datasetId}>
            <input type="number" min={1} max={999} value={state.id} onChange={(e) => set('id', Math.trunc(Number(e.target.value)) || 1)} />
          </Field>
          <Field label={strings.configuration}>
            <select value={state.config} onChange={(e) => set('config', e.target.value as typeof state.config)}>
              {CONFIGURATIONS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label={strings.fold}>
            <select value={state.fold} onChange={(e) => set('fold', e.target.value as typeof state.fold)}>
              {FOLDS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </Field>
          <Field label={strings.trainer}>
            <input type="text" value={state.trainer} onChange={(e) => set('trainer', e.target.value.trim())} spellCheck={false} />
          </Field>
          <Field label={strings.plans}>
            <select value={state.plans} onChange={(e) => set('plans', e.target.value as typeof state.plans)}>
              {Object.entries(PLANS).map(([k, p]) => (
                <option key={k} value={k}>
                  {p.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label={strings.gpu}>
            <input type="number" min={-1} max={63} value={state.gpu} onChange={(e) => set('gpu', Math.trunc(Number(e.target.value)))} />
          </Field>
          <Field label={strings.npz} inline>
            <input type="checkbox" checked={state.npz} onChange={(e) => set('npz', e.target.checked)} />
          </Field>
        </div>
      </fieldset>
      {result.warnings.length > 0 && (
        <ResultCard tone="warning">
          <ul className="cb-warnings" role="status">
            {result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </ResultCard>
      )}
      <ol className="cb-commands">
        {result.commands.map((c) => (
          <li key={c.step}>
            <strong>{c.step}</strong>
            <pre tabIndex={0}>
              <code data-testid="command">{c.command}</code>
            </pre>
            <p>{c.explains}</p>
          </li>
        ))}
      </ol>
      <Toolbar>
        <button type="button" className="is-primary" onClick={() => copy(result.commands.map((c) => c.command).join('\n'), strings.commands)}>
          {strings.copyAll}
        </button>
        <button type="button" onClick={() => copy(link, strings.link)}>
          {strings.copyLink}
        </button>
        <span role="status">{copied}</span>
      </Toolbar>
    </div>
  );
}
