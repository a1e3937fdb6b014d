/** Where an own run comes from: this project's trainer, its log files, and the reproducing command. */
import { OWN_RUNS_SETUP, type OwnRun } from '../../../labs/training-log/own-runs';
import strings from '../../i18n/en/log-lab.json';
import { fill } from '../../i18n/fill';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

function Command({ own }: { own: OwnRun }) {
  return (
    <>
      <pre className="loglab-command">
        <code>{own.commands.join('\n')}</code>
      </pre>
      <p className="lab-hint">{fill(strings.ownSetup, { setup: OWN_RUNS_SETUP })}</p>
    </>
  );
}

/** `hideFault`: in the quiz the fault and the command (which names it) stay folded away. */
export default function OwnSource({ own, hideFault = false }: { own: OwnRun; hideFault?: boolean }) {
  const files = own.files.map((name, i) => (
    <span key={name}>
      {i > 0 ? ', ' : ''}
      <a href={`${base}/data/runs/${own.folder}/${name}`}>{name}</a>
    </span>
  ));
  if (hideFault)
    return (
      <div className="lab-hint loglab-own-source">
        <p>
          {strings.source}: {strings.ownSource} {files}
        </p>
        <details>
          <summary>{strings.ownCommandQuiz}</summary>
          <Command own={own} />
        </details>
      </div>
    );
  return (
    <>
      <dt>{strings.source}</dt>
      <dd>
        {strings.ownSource} {files}
      </dd>
      <dt>{strings.ownFault}</dt>
      <dd>{own.fault}</dd>
      <dt>{strings.ownCommand}</dt>
      <dd>
        <Command own={own} />
      </dd>
    </>
  );
}
