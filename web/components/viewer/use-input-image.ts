'use client';
import { useEffect, useState } from 'react';

/** An object URL for an image fetched with the given headers (API keys cannot ride on <img src>). */
export function useInputImage(url: string | null, headers: Readonly<Record<string, string>>): { src: string | null; error: string | null } {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headerKey = JSON.stringify(headers);
  useEffect(() => {
    if (!url) return;
    let objectUrl: string | null = null;
    let cancelled = false;
    fetch(url, { headers: JSON.parse(headerKey) as Record<string, string> })
      .then(async (response) => {
        if (!response.ok) throw new Error(`Could not load the input image: HTTP ${response.status}`);
        const blob = await response.blob();
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      })
      .catch((reason: unknown) => !cancelled && setError(reason instanceof Error ? reason.message : String(reason)));
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, headerKey]);
  return { src, error };
}
