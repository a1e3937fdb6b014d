/**
 * Loads the shipped real runs and diagnoses them with the core: the transcribed public runs
 * (public/data/curves) and this project's own runs, whose log files (public/data/runs) are parsed
 * as a student's own log would be.
 */
import { useEffect, useState } from 'react';
import type { Curve } from '../../../labs/training-log/curve';
import { diagnose, type Diagnosis } from '../../../labs/training-log/diagnose';
import { OWN_RUN_REGIONS, ownRun, type OwnRun } from '../../../labs/training-log/own-runs';
import { parseLogs } from '../../../labs/training-log/parse';
import { classNames, runToCurve, type RunFile, type RunIndexEntry } from '../../../labs/training-log/runs';

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');
const DATA = `${BASE}/data/curves/`;

export interface LoadedRun {
  id: string;
  /** The transcribed public run, or null for an own run. */
  run: RunFile | null;
  /** The own run, or null for a public one. */
  own: OwnRun | null;
  curve: Curve;
  names: string[];
  diagnosis: Diagnosis;
}

async function getJson<T>(name: string): Promise<T> {
  const res = await fetch(DATA + name);
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function getText(path: string): Promise<string> {
  const res = await fetch(`${BASE}/${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.text();
}

async function loadOwn(own: OwnRun): Promise<LoadedRun> {
  const files = await Promise.all(own.files.map(async (name) => ({ name, text: await getText(`data/runs/${own.folder}/${name}`) })));
  const curve = parseLogs(files);
  const names = classNames(curve, OWN_RUN_REGIONS);
  return { id: own.id, run: null, own, curve, names, diagnosis: diagnose(curve, names) };
}

const cache = new Map<string, Promise<LoadedRun>>();

export function loadRun(id: string): Promise<LoadedRun> {
  let p = cache.get(id);
  if (!p) {
    const own = ownRun(id);
    p = own
      ? loadOwn(own)
      : getJson<RunFile>(`${id}.json`).then((run) => {
          const curve = runToCurve(run, `${id}.json`);
          const names = classNames(curve, run.classes);
          return { id, run, own: null, curve, names, diagnosis: diagnose(curve, names) };
        });
    cache.set(id, p);
  }
  return p;
}

export function useRunIndex(): { runs: RunIndexEntry[] | null; error: string } {
  const [runs, setRuns] = useState<RunIndexEntry[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    getJson<{ runs: RunIndexEntry[] }>('index.json')
      .then((x) => setRuns(x.runs))
      .catch((e: Error) => setError(e.message));
  }, []);
  return { runs, error };
}

export function useRun(id: string | null): { run: LoadedRun | null; error: string } {
  const [run, setRun] = useState<LoadedRun | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!id) return;
    let live = true;
    setRun(null);
    loadRun(id)
      .then((r) => live && setRun(r))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [id]);
  return { run, error };
}
