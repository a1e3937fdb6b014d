/**
 * The patch-size trade-off, live: patch edge and overlap → windows, redundancy, memory, and a time
 * estimate scaled from this browser's last measured run (labs/inference/plan.ts). Embeddable on its
 * own (lesson 7) and inside the inference lab.
 */
import { useEffect, useMemo, useState } from 'react';
import { estimateSeconds, patchDivisor, patchPlan, type NetworkShape } from '../../../labs/inference/plan';
import type { Vec3 } from '../../../labs/inference/volume';
import strings from '../../i18n/en/inference.json';
import { fill } from '../../i18n/fill';
import { Field, Toolbar } from '../ui/lab-ui';

const TIMING_KEY = 'bratslab:inference:timing';

export interface Timing {
  patch: number;
  secondsPerPatch: number;
  backend: string;
}

export function saveTiming(t: Timing): void {
  try {
    localStorage.setItem(TIMING_KEY, JSON.stringify(t));
    window.dispatchEvent(new Event(TIMING_KEY));
  } catch {
    // Storage may be disabled; the explorer then shows no time estimate.
  }
}

function loadTiming(): Timing | null {
  try {
    const t = JSON.parse(localStorage.getItem(TIMING_KEY) ?? 'null') as Timing | null;
    return t && t.patch > 0 && t.secondsPerPatch > 0 ? t : null;
  } catch {
    return null;
  }
}

interface Props {
  /** The model's network (default: the course model, features 8-16-32-64). */
  spec?: { net: NetworkShape };
  /** Volume at the model's spacing; default: a whole sample case at 3 mm (52 × 80 × 80). */
  shape?: Vec3;
}

const DEFAULT_NET: NetworkShape = { inChannels: 4, outChannels: 3, features: [8, 16, 32, 64] };
const MB = 1024 * 1024;

export default function PatchExplorer({ spec, shape }: Props) {
  const net = spec?.net ?? DEFAULT_NET;
  const step = patchDivisor(net);
  const [edge, setEdge] = useState(48);
  const [overlap, setOverlap] = useState(0.5);
  const [timing, setTiming] = useState<Timing | null>(null);
  const vol: Vec3 = shape ?? [52, 80, 80];
  useEffect(() => {
    setTiming(loadTiming());
    const on = () => setTiming(loadTiming());
    window.addEventListener(TIMING_KEY, on);
    return () => window.removeEventListener(TIMING_KEY, on);
  }, []);
  const plan = useMemo(() => patchPlan(vol, [edge, edge, edge], overlap, net), [vol.join(), edge, overlap, net]);
  const seconds = timing ? estimateSeconds(plan, { patch: [timing.patch, timing.patch, timing.patch], secondsPerPatch: timing.secondsPerPatch }) : null;
  return (
    <section className="lab patch-explorer" aria-labelledby="patch-explorer-title">
      <h4 id="patch-explorer-title">{strings.explorer}</h4>
      <p>{strings.explorerIntro}</p>
      <Toolbar>
        <Field
          label={
            <>
              {strings.patch}: <output>{edge}³</output>
            </>
          }
        >
          <input type="range" min={step * 2} max={step * 12} step={step} value={edge} onChange={(e) => setEdge(Number(e.target.value))} />
        </Field>
        <Field
          label={
            <>
              {strings.overlap}: <output>{Math.round(overlap * 100)} %</output>
            </>
          }
        >
          <input type="range" min={0} max={0.75} step={0.125} value={overlap} onChange={(e) => setOverlap(Number(e.target.value))} />
        </Field>
      </Toolbar>
      <dl className="lab-card" data-testid="patch-plan">
        <dt>{strings.volumeShape}</dt>
        <dd>{vol.join(' × ')}</dd>
        <dt>{strings.patches}</dt>
        <dd data-testid="patch-count">
          {plan.patches} ({strings.perAxis}: {plan.perAxis.join(' × ')})
        </dd>
        <dt>{strings.redundancy}</dt>
        <dd>{plan.redundancy.toFixed(2)}</dd>
        <dt>{strings.forwardMemory}</dt>
        <dd>{(plan.forwardBytes / MB).toFixed(1)} MB</dd>
        <dt>{strings.accumulatorMemory}</dt>
        <dd>{(plan.accumulatorBytes / MB).toFixed(1)} MB</dd>
        {timing && seconds !== null ? (
          <>
            <dt>{fill(strings.timeEstimate, { perPatch: timing.secondsPerPatch.toFixed(3), patch: timing.patch, backend: timing.backend })}</dt>
            <dd>{seconds.toFixed(1)} s</dd>
          </>
        ) : (
          <>
            <dt>{strings.timeUnknown}</dt>
            <dd>–</dd>
          </>
        )}
      </dl>
    </section>
  );
}
