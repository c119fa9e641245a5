'use client';
import { useEffect, useState } from 'react';
import { type ApiClient, sameOriginPath } from '../../lib/api-client';

interface Props {
  readonly url: string;
  readonly alt: string;
  readonly client: ApiClient;
  readonly apiKey: string | undefined;
  readonly className?: string;
}

/**
 * A result image. Without a key the browser loads it directly (cached, streamed); with one, it is
 * fetched with the Authorization header (an <img> cannot send it) and shown from a blob URL.
 */
export function AuthorizedImage({ url, alt, client, apiKey, className }: Props) {
  const [blobUrl, setBlobUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setFailed(false);
    if (!apiKey) return setBlobUrl(null);
    const controller = new AbortController();
    let created: string | null = null;
    client.fetchBlob(url, controller.signal).then(
      (blob) => setBlobUrl((created = URL.createObjectURL(blob))),
      () => controller.signal.aborted || setFailed(true),
    );
    return () => {
      controller.abort();
      if (created) URL.revokeObjectURL(created);
    };
  }, [url, apiKey, client]);
  if (failed) return <span className="thumb-placeholder">Could not load</span>;
  const src = apiKey ? blobUrl : sameOriginPath(url);
  return src ? <img src={src} alt={alt} className={className} loading="lazy" decoding="async" /> : <span className="thumb-placeholder">Loading…</span>;
}
