// The export buttons. The server renders every export from the job's stored result
// (GET /v1/jobs/{id}/result?format=…&speaker_names=…) with the names the user typed, so the
// subtitle cue rules live in one place (src/vox/format/subtitle_cues.cpp): the page only knows
// which formats there are, what the server calls them and how to name the files.
import { jobResultPath } from './api';
import type { SpeakerNames } from './transcript';

export type ExportFormat = 'srt' | 'vtt' | 'txt' | 'verbose_json' | 'diarized_json' | 'rttm';

export interface ExportSpec {
  format: ExportFormat;
  label: string;
  extension: string;
  server: string; // the server's format name
}

export const EXPORTS: ExportSpec[] = [
  { format: 'srt', label: 'SRT', extension: 'srt', server: 'srt' },
  { format: 'vtt', label: 'VTT', extension: 'vtt', server: 'vtt' },
  { format: 'txt', label: 'TXT', extension: 'txt', server: 'text' },
  { format: 'verbose_json', label: 'JSON (verbose)', extension: 'json', server: 'verbose_json' },
  { format: 'diarized_json', label: 'JSON (diarized)', extension: 'diarized.json', server: 'diarized_json' },
  { format: 'rttm', label: 'RTTM', extension: 'rttm', server: 'rttm' },
];

const spec = (format: ExportFormat) => EXPORTS.find((e) => e.format === format)!;

/** The server's name for an export format ("txt" → "text"). */
export function serverFormat(format: ExportFormat): string {
  return spec(format).server;
}

/** The server route that renders job `jobId`'s result as `format` with the display names. */
export function exportPath(jobId: string, format: ExportFormat, names: SpeakerNames = {}): string {
  return jobResultPath(jobId, serverFormat(format), names);
}

/** "meeting.wav" → "meeting.srt". */
export function exportFileName(source: string, format: ExportFormat): string {
  const base = (source || 'transcript').replace(/\.[^./\\]*$/, '') || 'transcript';
  return `${base}.${spec(format).extension}`;
}
