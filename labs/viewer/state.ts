/**
 * The viewer's state in an assignment link (`?viewer.case=…&viewer.display=regions`) and its
 * section of the student's lab report.
 */
import type { LabResult } from '../shared/report';
import type { RegionId, SchemeId, TissueId } from '../shared/labels';
import type { StateSchema, StateOf } from '../shared/url-state';
import type { DisplayMode } from './labels';
import { CHANNELS, type Channel } from './modalities';
import type { ViewId } from './geometry';
import type { VolumeTable } from './volumes';
import type { PresetId } from './window';

export const VIEWS: readonly ViewId[] = ['axial', 'coronal', 'sagittal', 'multiplanar', 'render'];

export const VIEWER_STATE = {
  /** Sample case id; empty = the first sample. */
  case: { type: 'string', default: '' },
  modality: { type: CHANNELS, default: 'flair' },
  layout: { type: ['single', 'grid'], default: 'single' },
  view: { type: VIEWS, default: 'axial' },
  /** Voxel index along the view's slice axis; -1 = the slice through the tumour's centre. */
  slice: { type: 'int', default: -1, min: -1, max: 100000 },
  display: { type: ['raw', 'regions'], default: 'raw' },
  opacity: { type: 'number', default: 0.7, min: 0, max: 1 },
  preset: { type: ['default', 'lesion', 'full'], default: 'default' },
} as const satisfies StateSchema;

export type ViewerState = StateOf<typeof VIEWER_STATE>;

/** What the report keeps about one inspected case. */
export interface InspectedCase {
  source: 'sample' | 'own';
  scheme: SchemeId;
  modalities: Channel[];
  views: ViewId[];
  displays: DisplayMode[];
  presets: PresetId[];
  volumesMl: { labels: Partial<Record<TissueId, number>>; regions: Partial<Record<RegionId, number>> };
}

export interface ViewerReportData {
  cases: Record<string, InspectedCase>;
}

export const VIEWER_RESULT_VERSION = 1;

const addOnce = <T>(list: T[], x: T): T[] => (list.includes(x) ? list : [...list, x]);
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Folds what the student just looked at into the report section. Pure: takes the previous data
 * (or nothing) and returns the next result, ready for recordLabResult.
 */
export function noteInspection(
  previous: ViewerReportData | undefined,
  caseId: string,
  seen: { source: 'sample' | 'own'; scheme: SchemeId; modality: Channel; view: ViewId; display: DisplayMode; preset: PresetId; volumes: VolumeTable },
): Omit<LabResult, 'updatedAt'> {
  const cases = { ...(previous?.cases ?? {}) };
  const before = cases[caseId];
  const labels: Partial<Record<TissueId, number>> = {};
  for (const l of seen.volumes.labels) labels[l.tissue] = round2(l.ml);
  const regions: Partial<Record<RegionId, number>> = {};
  for (const r of seen.volumes.regions) regions[r.id] = round2(r.ml);
  cases[caseId] = {
    source: seen.source,
    scheme: seen.scheme,
    modalities: addOnce(before?.modalities ?? [], seen.modality),
    views: addOnce(before?.views ?? [], seen.view),
    displays: addOnce(before?.displays ?? [], seen.display),
    presets: addOnce(before?.presets ?? [], seen.preset),
    volumesMl: { labels, regions },
  };
  const ids = Object.keys(cases);
  const both = ids.filter((id) => cases[id].displays.length === 2).length;
  const summary =
    `Inspected ${ids.length} case${ids.length === 1 ? '' : 's'} (${ids.join(', ')}); ` +
    (both ? `compared raw labels with nested regions on ${both}` : 'raw labels and nested regions not yet compared');
  const data: ViewerReportData = { cases };
  return { lab: 'viewer', schemaVersion: VIEWER_RESULT_VERSION, summary, data: data as unknown as Record<string, unknown> };
}
