'use client';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { saveApiKey } from '../lib/settings-store';
import { useSettings } from '../lib/use-settings';

/** The API key for deployments that require one: kept in this browser only, sent as a Bearer token. */
export function ApiKeyField() {
  const settings = useSettings();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const [saved, setSaved] = useState(false);
  const panelId = useId();
  const inputId = useId();
  useEffect(() => {
    if (open) setDraft(settings?.apiKey ?? '');
  }, [open, settings?.apiKey]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    saveApiKey(draft);
    setSaved(true);
    setOpen(false);
  };
  const hasKey = Boolean(settings?.apiKey);
  return (
    <div className="api-key">
      <button type="button" className="button-quiet" aria-expanded={open} aria-controls={panelId} onClick={() => (setOpen(!open), setSaved(false))}>
        API key{hasKey ? ' (set)' : ''}
      </button>
      {saved && !open ? <span className="visually-hidden" role="status">API key {hasKey ? 'saved' : 'removed'}</span> : null}
      {open ? (
        <form id={panelId} className="api-key-panel" onSubmit={submit}>
          <label htmlFor={inputId}>API key</label>
          <input id={inputId} type="password" autoComplete="off" spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Only needed when the server asks for one" />
          <p className="hint">Stored in this browser only and sent with every request. Leave empty to remove it.</p>
          <div className="row">
            <button type="submit" className="button-primary">Save</button>
            <button type="button" className="button-quiet" onClick={() => setOpen(false)}>Cancel</button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
