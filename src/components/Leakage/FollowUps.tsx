/** The nnU-Net angle: nnU-Net's default split of a generated dataset with follow-up scans. */
import { useMemo } from 'react';
import { compareSplits } from '../../../labs/leakage';
import { createRng } from '../../../labs/shared/prng';
import strings from '../../i18n/en/leakage.json';
import { fill } from '../../i18n/fill';

const PATIENTS = 30;

export default function FollowUps({ seed }: { seed: number }) {
  const cmp = useMemo(() => compareSplits(PATIENTS, createRng(seed).fork('follow-ups')), [seed]);
  const followUps = new Set(cmp.cases.filter((c) => !c.caseId.endsWith('_s1')).map((c) => c.patient)).size;
  const leaked = new Set(cmp.nnunet.flatMap((f) => f.leakedPatients)).size;
  const fixed = new Set(cmp.grouped.flatMap((f) => f.leakedPatients)).size;
  return (
    <section className="leakage-nnunet" aria-labelledby="leakage-nnunet-h">
      <h3 id="leakage-nnunet-h">{strings.nnunetHeading}</h3>
      <p>{fill(strings.nnunetIntro, { patients: PATIENTS, followUps, cases: cmp.cases.length })}</p>
      <p data-testid="leakage-nnunet-summary">
        <strong>{fill(strings.nnunetSummary, { leaked, fixed })}</strong>
      </p>
      <div className="table-scroll">
        <table>
          <caption>{strings.nnunetTableCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{strings.fold}</th>
              <th scope="col">{strings.nnunetVal}</th>
              <th scope="col">{strings.nnunetLeaked}</th>
            </tr>
          </thead>
          <tbody>
            {cmp.nnunet.map((f) => (
              <tr key={f.fold}>
                <th scope="row">{f.fold}</th>
                <td className="leakage-cases">
                  {f.val.map((c, i) => (
                    <span key={c}>
                      {i > 0 && ', '}
                      {f.leakedCases.includes(c) ? (
                        <mark>
                          {c} {strings.leakMark}
                        </mark>
                      ) : (
                        c
                      )}
                    </span>
                  ))}
                </td>
                <td>{f.leakedPatients.length ? f.leakedPatients.join(', ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>{strings.nnunetFix}</p>
      <pre tabIndex={0}>
        <code>{`bratslab splits "$nnUNet_raw/Dataset137_BraTS2021" --groups patients.csv\nbratslab splits "$nnUNet_raw/Dataset137_BraTS2021" --group-by '^(P\\d+)_'`}</code>
      </pre>
      <p>{strings.nnunetFixAfter}</p>
    </section>
  );
}
