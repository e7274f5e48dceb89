import type { Progress } from '../lib/api';
import { duration } from '../lib/transcript';

const STAGES: Record<string, string> = {
  upload: 'Uploading',
  decode: 'Decoding audio',
  vad: 'Finding speech',
  asr: 'Recognising speech',
  diarize: 'Telling speakers apart',
  merge: 'Putting the transcript together',
};

export function stageLabel(p: Progress): string {
  if (p.status === 'uploading') return 'Uploading';
  if (p.status === 'queued') return 'Waiting in the queue';
  if (p.status === 'transcribing') return 'Transcribing (this server reports no progress)';
  if (p.stage && STAGES[p.stage]) return STAGES[p.stage];
  if (p.stage) return p.stage[0].toUpperCase() + p.stage.slice(1);
  return p.status === 'succeeded' ? 'Done' : 'Working';
}

interface Props {
  progress: Progress;
  onCancel: () => void;
}

/** The job's progress: stage, percent and ETA, indeterminate when the server gives none. */
export function ProgressBar({ progress: p, onCancel }: Props) {
  const pct = p.progress == null ? null : Math.round(p.progress * 100);
  const label = stageLabel(p);
  return (
    <div className="progress" data-testid="progress" data-job-id={p.jobId}>
      <div className="progress-head">
        <span className="progress-stage">{label}</span>
        <span className="progress-numbers" aria-hidden="true">
          {pct != null && <span className="progress-pct">{pct}%</span>}
          {p.etaS != null && p.etaS >= 0.5 && <span> · about {duration(p.etaS)} left</span>}
          {p.elapsedS != null && p.elapsedS >= 1 && <span> · {duration(p.elapsedS)} so far</span>}
        </span>
      </div>
      <div
        className={`progress-track${pct == null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={pct == null ? label : `${label}: ${pct}%${p.etaS != null && p.etaS >= 0.5 ? `, about ${duration(p.etaS)} left` : ''}`}
      >
        <div className="progress-fill" style={pct == null ? undefined : { width: `${pct}%` }} />
      </div>
      <button type="button" className="danger" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
