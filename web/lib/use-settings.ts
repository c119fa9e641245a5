'use client';
import { useEffect, useState } from 'react';
import { type Settings, readSettings, subscribeSettings } from './settings-store';

/** Settings from localStorage, null until mounted (the static HTML cannot know them). */
export function useSettings(): Settings | null {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    const update = () => setSettings(readSettings());
    update();
    return subscribeSettings(update);
  }, []);
  return settings;
}
