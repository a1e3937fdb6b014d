/** Loads the shipped real runs (public/data/curves) and diagnoses them with the core. */
import { useEffect, useState } from 'react';
import type { Curve } from '../../../labs/training-log/curve';
import { diagnose, type Diagnosis } from '../../../labs/training-log/diagnose';
import { classNames, runToCurve, type RunFile, type RunIndexEntry } from '../../../labs/training-log/runs';

const DATA = `${import.meta.env.BASE_URL.replace(/\/$/, '')}/data/curves/`;

export interface LoadedRun {
  id: string;
  run: RunFile;
  curve: Curve;
  names: string[];
  diagnosis: Diagnosis;
}

async function getJson<T>(name: string): Promise<T> {
  const res = await fetch(DATA + name);
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

const cache = new Map<string, Promise<LoadedRun>>();

export function loadRun(id: string): Promise<LoadedRun> {
  let p = cache.get(id);
  if (!p) {
    p = getJson<RunFile>(`${id}.json`).then((run) => {
      const curve = runToCurve(run, `${id}.json`);
      const names = classNames(curve, run.classes);
      return { id, run, curve, names, diagnosis: diagnose(curve, names) };
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
