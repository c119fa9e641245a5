'use client';
import { type FormEvent, useId, useState } from 'react';
import { type ApiClient, describeError } from '../../lib/api-client';

const MAX_CHARS = 2000;

interface Props {
  readonly jobId: string;
  readonly client: ApiClient;
  readonly initial: readonly { text: string; createdAt: string }[];
}

/** Notes about a result (wrong cells, odd stain), stored with the job on the server. */
export function FeedbackBox({ jobId, client, initial }: Props) {
  const [entries, setEntries] = useState(initial);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const fieldId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') return setError('Write something first.');
    setBusy(true);
    setError(null);
    setSent(false);
    try {
      const entry = await client.addFeedback(jobId, text);
      setEntries((before) => [...before, entry]);
      setText('');
      setSent(true);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="feedback">
      <label htmlFor={fieldId}>Feedback on this result</label>
      <textarea id={fieldId} rows={3} maxLength={MAX_CHARS} value={text} onChange={(e) => setText(e.target.value)} placeholder="E.g. cells missed in the upper left, stain looks unusual…" />
      <div className="row">
        <button type="submit" className="button-secondary" disabled={busy}>
          {busy ? 'Sending…' : 'Send feedback'}
        </button>
        <span className="muted small">{text.length} / {MAX_CHARS}</span>
        {sent ? <span role="status" className="ok-text">Thank you; your note is saved with this job.</span> : null}
      </div>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      {entries.length > 0 ? (
        <ul className="feedback-list" aria-label="Feedback sent">
          {entries.map((entry) => (
            <li key={entry.createdAt + entry.text}>
              <span className="muted small">{new Date(entry.createdAt).toLocaleString()}</span> {entry.text}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
