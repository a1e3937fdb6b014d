/**
 * Where the validator and the converter get a folder or zip from the user's disk: the folder
 * picker (File System Access API, else the upload field), the upload field, a zip field and a drop
 * zone. Files are read in the tab; nothing is uploaded.
 */
import { useEffect, useRef, type DragEvent } from 'react';
import type { FileSource } from '../../../labs/shared/files';
import { directoryHandleSource, droppedSource, inputFilesSource, zipSource, type SourceDescriptor } from '../../lib/files';
import DropZone from '../ui/DropZone';
import { Field, Toolbar } from '../ui/lab-ui';
import strings from '../../i18n/en/dataset-validator.json';

export type Source = FileSource & { descriptor: SourceDescriptor };

export default function SourcePicker({
  onSource,
  disabled,
  testIdPrefix,
  dropText,
}: {
  /** Called with a loader (listing may take a while) and a name to show meanwhile. */
  onSource: (load: () => Promise<Source>, name: string) => void;
  disabled: boolean;
  testIdPrefix: string;
  dropText: string;
}) {
  const folderInput = useRef<HTMLInputElement>(null);
  // webkitdirectory is not a React prop: set it on the element.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const chooseFolder = async () => {
    const picker = (window as unknown as { showDirectoryPicker?: (o: { mode: 'read' }) => Promise<Parameters<typeof directoryHandleSource>[0]> }).showDirectoryPicker;
    if (!picker) {
      folderInput.current?.click();
      return;
    }
    let handle: Parameters<typeof directoryHandleSource>[0];
    try {
      handle = await picker({ mode: 'read' });
    } catch {
      return; // the user closed the picker
    }
    onSource(() => directoryHandleSource(handle), handle.name);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    // Taken synchronously: the DataTransfer is emptied when this handler returns.
    const pending = droppedSource(e.dataTransfer);
    onSource(() => pending, strings.dropZone);
  };

  return (
    <>
      <Toolbar>
        <button type="button" className="is-primary" onClick={chooseFolder} disabled={disabled}>
          {strings.chooseFolder}
        </button>
        <Field label={strings.folderInput}>
          <input
            ref={folderInput}
            type="file"
            multiple
            data-testid={`${testIdPrefix}-folder-input`}
            disabled={disabled}
            onChange={(e) => {
              const files = e.target.files;
              if (!files || files.length === 0) return;
              const list = [...files];
              onSource(async () => inputFilesSource(list), list[0].webkitRelativePath.split('/')[0] || list[0].name);
              e.target.value = '';
            }}
          />
        </Field>
        <Field label={strings.zipInput}>
          <input
            type="file"
            accept=".zip,application/zip"
            data-testid={`${testIdPrefix}-zip-input`}
            disabled={disabled}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              onSource(() => zipSource(file, file.name), file.name);
              e.target.value = '';
            }}
          />
        </Field>
      </Toolbar>
      <DropZone className="validator-drop" testId={`${testIdPrefix}-drop`} onDrop={onDrop}>
        {(dragging) => (dragging ? strings.dropZoneActive : dropText)}
      </DropZone>
    </>
  );
}
