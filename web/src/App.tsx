import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type Model, type Voice, VoxClient } from './lib/api';
import { ApiError } from './lib/errors';
import { loadString, saveString } from './lib/browser';
import { KeyField } from './components/KeyField';
import { TranscribePanel } from './components/TranscribePanel';
import { SpeakPanel } from './components/SpeakPanel';
import { LivePanel } from './components/LivePanel';

const KEY_STORAGE = 'vox.apiKey';
type Tab = 'transcribe' | 'live' | 'speak';
const TABS: { id: Tab; label: string }[] = [
  { id: 'transcribe', label: 'Transcribe' },
  { id: 'live', label: 'Live' },
  { id: 'speak', label: 'Speak' },
];
const tabFromHash = (hash: string): Tab => (hash === '#speak' ? 'speak' : hash === '#live' ? 'live' : 'transcribe');

export function App() {
  const [key, setKey] = useState(() => loadString(KEY_STORAGE));
  const [keyRefused, setKeyRefused] = useState(false);
  const [tab, setTab] = useState<Tab>(() => tabFromHash(location.hash));
  const [models, setModels] = useState<Model[]>([]);
  const [voices, setVoices] = useState<Voice[]>([]);
  const [catalogError, setCatalogError] = useState<unknown>(null);
  const client = useMemo(() => new VoxClient('', key), [key]);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  const changeKey = (k: string) => {
    saveString(KEY_STORAGE, k);
    setKey(k);
    setKeyRefused(false);
  };

  // Any call answered 401 marks the key as refused.
  const onError = useCallback((e: unknown) => {
    if (e instanceof ApiError && e.status === 401) setKeyRefused(true);
  }, []);

  useEffect(() => {
    let live = true;
    setCatalogError(null);
    Promise.all([client.models(), client.voices()])
      .then(([m, v]) => {
        if (!live) return;
        setModels(m);
        setVoices(v);
        setKeyRefused(false);
      })
      .catch((e) => {
        if (!live) return;
        setCatalogError(e);
        onError(e);
      });
    return () => {
      live = false;
    };
  }, [client, onError]);

  const selectTab = (t: Tab) => {
    setTab(t);
    history.replaceState(null, '', t === 'transcribe' ? location.pathname + location.search : `#${t}`);
  };

  const onTabKey = (e: React.KeyboardEvent, i: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    selectTab(TABS[next].id);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand" aria-label="vox">
          <span className="brand-mark" aria-hidden="true">
            <svg viewBox="0 0 24 24" width="22" height="22">
              <path d="M3 12h1M6.5 8v8M10 4v16M13.5 7v10M17 9.5v5M20.5 12h0" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
            </svg>
          </span>
          <span className="brand-name">vox</span>
        </div>
        <nav role="tablist" aria-label="Mode" className="tabs">
          {TABS.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className="tab"
              onClick={() => selectTab(t.id)}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <KeyField value={key} onChange={changeKey} refused={keyRefused} />
      </header>
      <main id="main" tabIndex={-1}>
        <section role="tabpanel" id="panel-transcribe" aria-labelledby="tab-transcribe" hidden={tab !== 'transcribe'}>
          <TranscribePanel client={client} models={models} catalogError={catalogError} onError={onError} />
        </section>
        <section role="tabpanel" id="panel-live" aria-labelledby="tab-live" hidden={tab !== 'live'}>
          <LivePanel client={client} models={models} onError={onError} />
        </section>
        <section role="tabpanel" id="panel-speak" aria-labelledby="tab-speak" hidden={tab !== 'speak'}>
          <SpeakPanel client={client} voices={voices} catalogError={catalogError} onError={onError} />
        </section>
      </main>
      <footer className="footer">
        Served by <code>vox serve</code>. Everything stays on this server: nothing is sent elsewhere.
      </footer>
    </div>
  );
}
