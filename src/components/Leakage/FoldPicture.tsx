/**
 * Which slices went where in one fold: a column per subject (colour = subject), its training
 * slices in the upper band, its test slices in the lower band. Under a slice-level split most
 * columns appear in both bands; under a subject-level split each column sits in exactly one.
 */
import type { FoldResult } from '../../../labs/leakage';
import strings from '../../i18n/en/leakage.json';
import { fill } from '../../i18n/fill';
import { pct, subjectColour } from './format';

const MAX_SUBJECTS = 40;
const LEFT = 64;
const COL = 12;
const GAP_BANDS = 14;

interface Props {
  id: string;
  split: string;
  fold: FoldResult;
  subjects: number;
  slicesPerSubject: number;
}

export default function FoldPicture({ id, split, fold, subjects, slicesPerSubject }: Props) {
  const shown = Math.min(subjects, MAX_SUBJECTS);
  const cellH = Math.max(2, Math.min(10, Math.floor(120 / slicesPerSubject)));
  const rowH = cellH + (cellH > 4 ? 2 : 0);
  const bandH = slicesPerSubject * rowH;
  const testBySubject = new Map<number, { same: boolean }[]>();
  for (const t of fold.test) {
    const list = testBySubject.get(t.subject) ?? [];
    list.push({ same: t.nearestSubject === t.subject });
    testBySubject.set(t.subject, list);
  }
  const width = LEFT + shown * COL;
  const height = 2 * bandH + GAP_BANDS + 4;
  const alt = fill(strings.pictureAlt, {
    split,
    fold: fold.fold + 1,
    train: fold.trainSlices,
    test: fold.testSlices,
    both: fold.subjectsOnBothSides,
    subjects,
    same: pct(fold.sameSubjectNeighbour),
  });
  const cells = [];
  for (let s = 0; s < shown; s++) {
    const tests = testBySubject.get(s) ?? [];
    const trainCount = slicesPerSubject - tests.length;
    const x = LEFT + s * COL;
    for (let j = 0; j < trainCount; j++) {
      cells.push(<rect key={`tr${s}-${j}`} x={x} y={j * rowH} width={COL - 2} height={cellH} fill={subjectColour(s)} />);
    }
    tests.forEach((t, j) => {
      const y = bandH + GAP_BANDS + j * rowH;
      cells.push(<rect key={`te${s}-${j}`} x={x} y={y} width={COL - 2} height={cellH} fill={subjectColour(s)} />);
      if (t.same && cellH >= 6) cells.push(<circle key={`nn${s}-${j}`} cx={x + (COL - 2) / 2} cy={y + cellH / 2} r={2} fill="#fff" stroke="#000" strokeWidth={0.6} />);
    });
  }
  return (
    <figure className="leakage-picture">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-title`}>{`${split}, ${fill(strings.pictureHeading, { fold: fold.fold + 1 }).toLowerCase()}`}</title>
        <desc id={`${id}-desc`}>{alt}</desc>
        <text x={0} y={Math.min(bandH, 24) / 2 + 4} fontSize={11} fill="currentColor">
          {strings.pictureTrain}
        </text>
        <text x={0} y={bandH + GAP_BANDS + Math.min(bandH, 24) / 2 + 4} fontSize={11} fill="currentColor">
          {strings.pictureTest}
        </text>
        <line x1={LEFT} x2={width} y1={bandH + GAP_BANDS / 2} y2={bandH + GAP_BANDS / 2} stroke="currentColor" strokeDasharray="3 3" strokeWidth={0.8} />
        {cells}
      </svg>
      <figcaption>
        {alt}
        {subjects > shown && ` ${fill(strings.pictureFirst, { shown, total: subjects })}`}
      </figcaption>
    </figure>
  );
}
