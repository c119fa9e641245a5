'use client';
import { useMemo } from 'react';
import { type ApiClient, createApiClient } from './api-client';
import { useSettings } from './use-settings';

/** The API client with the stored key; `ready` is false until settings are read (first render). */
export function useApiClient(): { client: ApiClient; apiKey: string | undefined; ready: boolean } {
  const settings = useSettings();
  const apiKey = settings?.apiKey || undefined;
  const client = useMemo(() => createApiClient({ apiKey }), [apiKey]);
  return { client, apiKey, ready: settings !== null };
}
