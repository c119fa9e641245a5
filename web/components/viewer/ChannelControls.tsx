'use client';
import { HistogramWindowSlider } from './HistogramWindowSlider';
import { CHANNELS, type ChannelName, type ChannelWindow } from './multiplex/histogram-window';
import styles from './viewer.module.css';

export interface ChannelSetting {
  readonly on: boolean;
  readonly window: ChannelWindow;
  readonly colour: readonly [number, number, number];
}

const css = (c: readonly [number, number, number]): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** A toggle and a histogram window per multiplex channel. */
export function ChannelControls(props: {
  channels: Record<ChannelName, ChannelSetting>;
  histograms: Record<ChannelName, number[]> | null;
  onChange: (name: ChannelName, setting: ChannelSetting) => void;
}) {
  const { channels, histograms, onChange } = props;
  return (
    <fieldset className={styles.channels}>
      <legend>Multiplex channels</legend>
      {CHANNELS.map((name) => {
        const setting = channels[name];
        return (
          <div key={name} className={styles.channel}>
            <label className={styles.inline}>
              <input type="checkbox" checked={setting.on} onChange={(e) => onChange(name, { ...setting, on: e.target.checked })} />
              <span className={styles.swatch} style={{ background: css(setting.colour) }} aria-hidden="true" />
              {name}
            </label>
            <HistogramWindowSlider name={name} histogram={histograms?.[name] ?? null} window={setting.window} colour={css(setting.colour)}
              disabled={!setting.on} onChange={(window) => onChange(name, { ...setting, window })} />
          </div>
        );
      })}
    </fieldset>
  );
}
