/** The per-case table for one region: sortable columns (aria-sort), a "Show" button per row. */
import type { CaseResult, EvalRegion } from '../../../labs/evaluate';
import strings from '../../i18n/en/evaluate.json';

export const COLUMNS = ['Dice', 'IoU', 'LesionWise_Score_Dice', 'LesionWise_Score_HD95', 'Legacy_Dice', 'Legacy_HD95', 'Num_TP', 'Num_FP', 'Num_FN'] as const;
export type Column = (typeof COLUMNS)[number];

export function value(c: CaseResult, region: EvalRegion, col: Column): number {
  if (col === 'Dice' || col === 'IoU') return c.nnunet?.[region.key]?.[col] ?? NaN;
  return c.brats?.[region.name]?.[col] ?? NaN;
}

export const format = (v: number, col: Column) =>
  Number.isNaN(v) ? 'NaN' : col.startsWith('Num_') ? String(v) : col.includes('HD95') ? v.toFixed(1) : v.toFixed(3);

interface Props {
  cases: CaseResult[];
  region: EvalRegion;
  sort: Column;
  desc: boolean;
  onSort: (col: Column) => void;
  onShow: (c: CaseResult) => void;
}

export default function CaseTable({ cases, region, sort, desc, onSort, onShow }: Props) {
  // NaN (nnU-Net: empty in both) sorts last either way.
  const rows = [...cases].sort((a, b) => {
    const x = value(a, region, sort);
    const y = value(b, region, sort);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return desc ? y - x : x - y;
  });
  return (
    <div className="eval-scroll" tabIndex={0} role="region" aria-label={strings.tableTitle}>
      <table className="eval-table" data-testid="evaluate-table">
        <caption>{strings.tableCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{strings.case}</th>
            {COLUMNS.map((col) => (
              <th key={col} scope="col" aria-sort={sort === col ? (desc ? 'descending' : 'ascending') : 'none'}>
                <button type="button" onClick={() => onSort(col)}>
                  {strings.columns[col]}
                  <span aria-hidden="true">{sort === col ? (desc ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">{strings.view}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.id}</th>
              {COLUMNS.map((col) => (
                <td key={col}>{format(value(c, region, col), col)}</td>
              ))}
              <td>
                <button type="button" onClick={() => onShow(c)} aria-label={`${strings.view} ${c.id}`}>
                  {strings.view}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
