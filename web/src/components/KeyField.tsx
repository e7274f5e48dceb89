import { useEffect, useId, useState } from 'react';
import { LockIcon } from './Icons';

interface Props {
  value: string;
  onChange: (key: string) => void;
  refused: boolean; // the server answered 401 with this key
}

/** The API key, kept in this browser (localStorage) and sent as "Authorization: Bearer KEY". */
export function KeyField({ value, onChange, refused }: Props) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(false);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft.trim() !== value) onChange(draft.trim());
  };
  const state = refused ? 'refused' : value ? 'set' : 'none';
  return (
    <form
      className={`keyfield keyfield-${state}`}
      onSubmit={(e) => {
        e.preventDefault();
        commit();
      }}
    >
      <label htmlFor={id} className="keyfield-label" title="API key">
        <LockIcon open={!value} />
        <span className="visually-hidden">API key</span>
      </label>
      <input
        id={id}
        name="api-key"
        type={shown ? 'text' : 'password'}
        autoComplete="off"
        spellCheck={false}
        placeholder="API key (vox_…)"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        aria-invalid={refused}
        aria-describedby={`${id}-status`}
      />
      <button type="button" className="ghost small" onClick={() => setShown(!shown)} aria-pressed={shown}>
        {shown ? 'Hide' : 'Show'}
      </button>
      <button type="submit" className="small">
        Save
      </button>
      <span id={`${id}-status`} className="keyfield-status" role="status">
        {refused
          ? value
            ? 'Key refused by the server'
            : 'This server needs an API key'
          : value
            ? 'Saved in this browser'
            : 'No key: fine on an open loopback server'}
      </span>
    </form>
  );
}
