import { describe, expect, it } from 'vitest';
import { EXPORTS, exportFileName, exportPath, serverFormat } from '../src/lib/exports';
import { jobResultPath } from '../src/lib/api';

// The page no longer writes exports itself: the server renders them from the job's result.
const query = (path: string) => new URL(path, 'http://vox.test').searchParams;

describe('export formats', () => {
  it('lists every format with the server name it is asked for as', () => {
    expect(EXPORTS.map((e) => e.format)).toEqual(['srt', 'vtt', 'txt', 'verbose_json', 'diarized_json', 'rttm']);
    expect(serverFormat('txt')).toBe('text');
    for (const f of ['srt', 'vtt', 'verbose_json', 'diarized_json', 'rttm'] as const) expect(serverFormat(f)).toBe(f);
  });

  it('names export files after the upload', () => {
    expect(exportFileName('meeting.wav', 'srt')).toBe('meeting.srt');
    expect(exportFileName('a.b.mp3', 'diarized_json')).toBe('a.b.diarized.json');
    expect(exportFileName('talk.webm', 'verbose_json')).toBe('talk.json');
    expect(exportFileName('x.wav', 'rttm')).toBe('x.rttm');
    expect(exportFileName('', 'txt')).toBe('transcript.txt');
    expect(exportFileName('.wav', 'txt')).toBe('transcript.txt');
  });
});

describe('export URLs', () => {
  it('asks the job result route for the format with the typed names', () => {
    const p = exportPath('job_123', 'srt', { A: 'Alice', B: 'Bob' });
    expect(p.startsWith('/v1/jobs/job_123/result?')).toBe(true);
    const q = query(p);
    expect(q.get('format')).toBe('srt');
    expect(JSON.parse(q.get('speaker_names')!)).toEqual({ A: 'Alice', B: 'Bob' });
    expect(query(exportPath('j', 'txt')).get('format')).toBe('text');
  });

  it('leaves out blank names, trims the others, and sends no speaker_names without any', () => {
    expect(JSON.parse(query(exportPath('j', 'vtt', { A: '  Ann Lee ', B: '   ', C: '' })).get('speaker_names')!)).toEqual({
      A: 'Ann Lee',
    });
    expect(query(exportPath('j', 'vtt', { A: ' ' })).has('speaker_names')).toBe(false);
    expect(exportPath('j', 'vtt')).toBe('/v1/jobs/j/result?format=vtt');
  });

  it('encodes names and ids so that the URL stays one query', () => {
    const names = { A: 'Zoë & "Co" +1 / 50%', B: 'a=b?c#d' };
    const p = jobResultPath('id with/slash', 'srt', names);
    expect(p.startsWith('/v1/jobs/id%20with%2Fslash/result?format=srt&speaker_names=')).toBe(true);
    expect(p).not.toMatch(/[ #"+]/); // spaces as %20, never "+" (which some servers read as "+")
    expect(JSON.parse(query(p).get('speaker_names')!)).toEqual(names);
    expect(decodeURIComponent(p.split('speaker_names=')[1])).toBe(JSON.stringify(names));
  });
});
