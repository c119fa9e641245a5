import type { ResultView } from '../../lib/api-types';

const LABELS: Record<string, string> = {
  seg_thresh: 'Segmentation threshold',
  size_thresh: 'Minimum size (px)',
  size_thresh_upper: 'Maximum size (px)',
  size_thresh_relative: 'Minimum size (fraction of median cell)',
  marker_thresh: 'Marker threshold',
};

function text(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The thresholds a version was scored with, and the model and code that made it (manifest.json). */
export function ParametersTable({ result }: { result: ResultView }) {
  const manifest = (result.manifest ?? {}) as {
    engine?: { name?: string; version?: string };
    restain?: { codeVersion?: string };
    scale?: { requested?: string; pixelSizeMicrons?: number };
  };
  const rows: Array<[string, string]> = Object.entries(result.parameters).map(([key, value]) => [LABELS[key] ?? key, text(value)]);
  const effective = result.scoring;
  rows.push(['Effective size gate (px)', `${effective.size_thresh} – ${effective.size_thresh_upper ?? 'none'}`]);
  rows.push(['Effective marker threshold', text(effective.marker_thresh)]);
  if (manifest.scale?.requested) {
    const pixel = manifest.scale.pixelSizeMicrons;
    rows.push(['Resolution', `${manifest.scale.requested}${typeof pixel === 'number' ? ` (${pixel.toFixed(3)} µm/px)` : ''}`]);
  }
  if (manifest.engine?.name) rows.push(['Engine', `${manifest.engine.name}${manifest.engine.version ? ` ${manifest.engine.version}` : ''}`]);
  if (manifest.restain?.codeVersion) rows.push(['Code version', manifest.restain.codeVersion]);
  return (
    <table className="param-table">
      <caption className="visually-hidden">Parameters used</caption>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
