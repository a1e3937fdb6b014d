/**
 * "Load your own": pick or drop a case's files, a BraTS case folder or a zip, see which role each
 * name gave, override it. Files are read in the tab through the shared browser FileSources.
 */
import DropZone from '../ui/DropZone';
import { useMemo, useState, type DragEvent } from 'react';
import type { FileEntry, FileSource } from '../../../labs/shared/files';
import { assignRoles, caseIdFromNames, groupByCase, isNiftiName, ROLES, type Naming, type Role } from '../../../labs/viewer';
import { fill } from '../../i18n/fill';
import strings from '../../i18n/en/viewer.json';
import { ErrorBox, Field, Toolbar } from '../ui/lab-ui';
import { droppedSource, inputFilesSource, zipSource } from '../../lib/files';

export interface PickedFile {
  /** Path inside the chosen source (folder, zip or loose files). */
  path: string;
  size: number;
  role: Role | null;
}

interface Props {
  onShow: (source: FileSource, files: PickedFile[], caseId: string, naming: Naming) => void;
}

/** Loose files or a folder from an input; a single zip opens as a zip. */
async function sourceFromInput(list: FileList): Promise<FileSource> {
  const files = [...list];
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) return zipSource(files[0], files[0].name);
  return inputFilesSource(files);
}

export default function OwnCase({ onShow }: Props) {
  const [source, setSource] = useState<FileSource | null>(null);
  const [all, setAll] = useState<FileEntry[]>([]);
  const [problem, setProblem] = useState('');
  const [caseKey, setCaseKey] = useState('');
  const [overrides, setOverrides] = useState<Record<string, Role | ''>>({});

  const groups = useMemo(() => groupByCase(all), [all]);
  const keys = [...groups.keys()].sort();
  const current = groups.get(caseKey) ?? groups.get(keys[0]) ?? [];
  const ignored = all.filter((f) => !isNiftiName(f.path)).map((f) => f.path);
  const auto = useMemo(() => assignRoles(current.map((f) => f.path)), [current]);
  const rows = current.map((f) => {
    const a = auto.files.find((x) => x.name === f.path)!;
    const o = overrides[f.path];
    return { ...f, auto: a, role: o === undefined ? a.role : o || null };
  });
  const claimed = (r: Role) => rows.filter((x) => x.role === r).length;
  const duplicates = ROLES.filter((r) => claimed(r) > 1);
  const missing = ROLES.filter((r) => claimed(r) === 0);
  const hasImage = rows.some((x) => x.role && x.role !== 'seg');

  const take = async (pending: Promise<FileSource>) => {
    setProblem('');
    try {
      const src = await pending;
      setSource(src);
      setAll((await src.list()).filter((e) => e.kind === 'file'));
    } catch (e) {
      setSource(null);
      setAll([]);
      setProblem((e as Error).message);
    }
    setOverrides({});
    setCaseKey('');
  };
  const onDrop = (e: DragEvent) => {
    // droppedSource must run inside the handler: the browser empties the drop's items afterwards.
    void take(droppedSource(e.dataTransfer));
  };
  const fromInput = (list: FileList | null) => list && list.length > 0 && void take(sourceFromInput(list));

  return (
    <section className="viewer-own" aria-labelledby="viewer-own-title">
      <h3 id="viewer-own-title">{strings.own}</h3>
      <p>{strings.ownIntro}</p>
      <Toolbar>
        <Field label={strings.chooseFiles}>
          <input type="file" multiple accept=".nii,.gz,.zip,application/gzip,application/zip" onChange={(e) => fromInput(e.target.files)} data-testid="viewer-files" />
        </Field>
        <Field label={strings.chooseFolder}>
          <input type="file" multiple ref={(el) => el?.setAttribute('webkitdirectory', '')} onChange={(e) => fromInput(e.target.files)} />
        </Field>
      </Toolbar>
      <DropZone testId="viewer-drop" onDrop={onDrop}>
        {strings.dropHere}
      </DropZone>
      {problem && <ErrorBox>{problem}</ErrorBox>}
      {ignored.length > 0 && <p>{fill(strings.ignoredFiles, { names: ignored.join(', ') })}</p>}
      {keys.length > 1 && (
        <Field label={fill(strings.tooManyFolders, { count: keys.length })}>
          <select value={caseKey || keys[0]} onChange={(e) => { setCaseKey(e.target.value); setOverrides({}); }}>
            {keys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
      )}
      {rows.length > 0 && (
        <>
          <table className="viewer-table" data-testid="viewer-assign">
            <thead>
              <tr>
                <th scope="col">{strings.file}</th>
                <th scope="col">{strings.role}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.path} data-file={r.path} data-role={r.role ?? ''}>
                  <th scope="row">{r.path}</th>
                  <td>
                    <select
                      aria-label={`${strings.role}: ${r.path}`}
                      value={r.role ?? ''}
                      onChange={(e) => setOverrides({ ...overrides, [r.path]: e.target.value as Role | '' })}
                    >
                      <option value="">{strings.roleNone}</option>
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {strings.channels[role]}
                        </option>
                      ))}
                    </select>{' '}
                    <small>{overrides[r.path] === undefined ? strings.how[r.auto.how] : ''}</small>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {auto.naming === 'nnunet' && <p>{strings.nnunetOrder}</p>}
          {missing.length > 0 && <p>{fill(strings.missingRoles, { roles: missing.map((r) => strings.channels[r]).join(', ') })}</p>}
          {duplicates.length > 0 && <ErrorBox>{fill(strings.duplicateRoles, { roles: duplicates.map((r) => strings.channels[r]).join(', ') })}</ErrorBox>}
          {!hasImage && <ErrorBox>{strings.noImage}</ErrorBox>}
          <button
            type="button"
            className="is-primary"
            disabled={duplicates.length > 0 || !hasImage}
            onClick={() => source && onShow(source, rows.map((r) => ({ path: r.path, size: r.size, role: r.role })), caseIdFromNames(rows.map((r) => r.path)), auto.naming)}
          >
            {strings.showCase}
          </button>
        </>
      )}
    </section>
  );
}
