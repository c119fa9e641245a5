import type { ChannelName } from '../engines/engine';

/** Output files of one analysis, DeepLIIF's names first, then ours. */
export const OUTPUT_FILES = {
  input: 'Input.png',
  dab: 'DAB.png',
  segRefined: 'SegRefined.png',
  segOverlaid: 'SegOverlaid.png',
  scoring: 'scoring.json',
  cells: 'cells.json',
  geojson: 'cells.geojson',
  csv: 'cells.csv',
  manifest: 'manifest.json',
} as const;

export function channelFile(channel: ChannelName): string {
  return `${channel}.png`;
}

/** Background each channel shows where there is no tissue (Hema is brightfield: white). */
export function channelBackground(channel: ChannelName): number {
  return channel === 'Hema' ? 255 : 0;
}
