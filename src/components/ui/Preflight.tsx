/** Capability pre-flight panel: what this browser supports and how each lab will run. */
import { useEffect, useState } from 'react';
import { LABS, labSupport, type LabId } from '../../../labs/shared/registry';
import { detectCapabilities, type CapabilityReport } from '../../lib/capabilities';

interface Props {
  /** Show only these labs (inside a lab); all labs when absent (Labs page). */
  labs?: LabId[];
}

const CAP_NAMES: Record<string, string> = {
  webgl2: 'WebGL2',
  webgpu: 'WebGPU',
  workers: 'Web Workers',
  wasm: 'WebAssembly',
  fsAccess: 'File System Access API',
};

export default function Preflight({ labs }: Props) {
  const [report, setReport] = useState<CapabilityReport | null>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    detectCapabilities().then(setReport);
  }, []);
  if (!report) return <p role="status">Checking what this browser supports…</p>;

  const support = labSupport(report.caps).filter((s) => !labs || labs.includes(s.id));
  const diagnostics = JSON.stringify(report, null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(diagnostics);
      setCopied('Diagnostics copied to the clipboard.');
    } catch {
      setCopied('Copying was refused by the browser; select the text below instead.');
    }
  };

  return (
    <div className="preflight" data-testid="preflight">
      <table>
        <caption>Browser features</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Available</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(report.caps).map(([k, v]) => (
            <tr key={k} data-cap={k} data-available={String(v)}>
              <th scope="row">{CAP_NAMES[k]}</th>
              <td>{v ? 'yes' : 'no'}</td>
              <td>
                {k === 'webgpu' && (report.webgpu.adapter ?? report.webgpu.error)}
                {k === 'webgl2' && (report.webgl2Renderer ?? 'no WebGL2 context')}
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">Device memory</th>
            <td colSpan={2}>{report.deviceMemoryGiB ? `about ${report.deviceMemoryGiB} GiB (as the browser reports it)` : 'not reported by this browser'}</td>
          </tr>
          <tr>
            <th scope="row">Cross-origin isolated</th>
            <td colSpan={2}>{report.crossOriginIsolated ? 'yes: multi-threaded WebAssembly available' : 'no: WebAssembly runs on one thread'}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <caption>Labs on this browser</caption>
        <thead>
          <tr>
            <th scope="col">Lab</th>
            <th scope="col">Runs</th>
            <th scope="col">Fallback</th>
          </tr>
        </thead>
        <tbody>
          {support.map((s) => (
            <tr key={s.id} data-lab={s.id} data-runs={String(s.runs)}>
              <th scope="row">{LABS.find((l) => l.id === s.id)!.title}</th>
              <td>{s.runs ? 'yes' : `no (needs ${s.missing.map((m) => CAP_NAMES[m]).join(', ')})`}</td>
              <td>{s.fallbacks.length ? s.fallbacks.join('; ') : 'none needed'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={copy}>
        Copy diagnostics
      </button>
      <p role="status">{copied}</p>
      <details>
        <summary>Diagnostics text</summary>
        <pre>{diagnostics}</pre>
      </details>
    </div>
  );
}
