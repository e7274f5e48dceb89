import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/smoke_000.verbose.json';
import {
  buildCues,
  exportFileName,
  exportTranscript,
  timestamp,
  toDiarizedJson,
  toSrt,
  toTxt,
  toVerboseJson,
  toVtt,
} from '../src/lib/exports';
import { parseTranscript } from '../src/lib/transcript';

const t = parseTranscript(fixture);
const names = { A: 'Alice', B: 'Bob' };

// The eval kit's strict subtitle checks (score.py check-srt / check-vtt), when it is there.
const SCORE = path.join(process.env.VOX_EVAL_DIR ?? path.resolve(import.meta.dirname, '../../../shared/eval'), 'score.py');
const haveScorer = existsSync(SCORE) && spawnSync('python3', ['--version']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'vox-web-exports-'));
function check(kind: 'srt' | 'vtt', text: string, extra: string[] = []) {
  const file = path.join(dir, `check-${Math.random().toString(36).slice(2)}.${kind}`);
  writeFileSync(file, text);
  const r = spawnSync('python3', [SCORE, `check-${kind}`, file, ...extra], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

// A transcript that stresses the cue rules: a long turn, a long word, odd characters, no words.
const hard = parseTranscript({
  duration: 30,
  segments: [
    {
      start: 0,
      end: 12,
      speaker: 'A',
      text:
        'This is a long turn that goes on and on well past the length of one subtitle line. ' +
        'It has several sentences. Short one. And a supercalifragilisticexpialidociousnessnessnessness word.',
    },
    { start: 11.5, end: 12.4, speaker: 'B', text: 'Overlap --> <b>&</b>' },
    { start: 12.4, end: 12.4, speaker: 'B', text: 'zero length' },
    { start: 13, end: 14, text: 'no speaker\tat all' },
  ],
});

describe('SRT', () => {
  it('writes numbered cues with the renamed speakers', () => {
    const srt = toSrt(t, names);
    const blocks = srt.trim().split('\n\n');
    expect(blocks[0].split('\n')[0]).toBe('1');
    expect(blocks[0].split('\n')[1]).toBe('00:00:00,394 --> ' + blocks[0].split('\n')[1].slice(17));
    expect(blocks[0]).toContain('[Alice] my laptop');
    expect(srt).toContain('[Bob] ');
    expect(srt).not.toContain('[A]');
    expect(srt.endsWith('\n\n')).toBe(true);
  });

  it('keeps lines within 42 characters and cues within 7 s, never overlapping', () => {
    for (const tr of [t, hard]) {
      const cues = buildCues(tr, names);
      for (let i = 0; i < cues.length; i++) {
        const c = cues[i];
        expect(c.endMs).toBeGreaterThan(c.startMs);
        expect(c.endMs - c.startMs).toBeLessThanOrEqual(7000);
        expect(c.lines.length).toBeGreaterThan(0);
        expect(c.lines.length).toBeLessThanOrEqual(2);
        for (const l of c.lines) expect([...l].length).toBeLessThanOrEqual(42);
        if (i > 0) expect(c.startMs).toBeGreaterThanOrEqual(cues[i - 1].endMs);
      }
    }
  });

  it('never lets "-->" or a newline into the text', () => {
    const srt = toSrt(hard, { A: 'Ann\nLee', B: 'B --> C' });
    for (const line of srt.split('\n')) if (line.includes('-->')) expect(line).toMatch(/^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$/);
    expect(srt).toContain('[Ann Lee] ');
    expect(srt).toContain('[B -> C] ');
    expect(srt).toContain('no speaker at all');
  });

  it.runIf(haveScorer)('passes score.py check-srt (no overlaps)', () => {
    for (const [tr, n] of [
      [t, names],
      [t, {}],
      [hard, { A: 'A very long speaker name indeed, too long' }],
    ] as const) {
      const r = check('srt', toSrt(tr, n), ['--no-overlap']);
      expect(r.ok, r.out).toBe(true);
    }
  });
});

describe('WebVTT', () => {
  it('writes voice spans with escaped names and text', () => {
    const vtt = toVtt(hard, { A: 'Alice', B: 'Bob <3 & co' });
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    expect(vtt).toContain('<v Alice>This is a long turn');
    expect(vtt).toContain('<v Bob &lt;3 &amp; co>');
    expect(vtt).toContain('--&gt; &lt;b&gt;&amp;&lt;/b&gt;');
    expect(vtt).toMatch(/\n00:00:00\.000 --> 00:00:0\d\.\d{3}\n/);
  });

  it.runIf(haveScorer)('passes score.py check-vtt (no overlaps)', () => {
    for (const tr of [t, hard]) {
      const r = check('vtt', toVtt(tr, names), ['--no-overlap']);
      expect(r.ok, r.out).toBe(true);
    }
  });
});

describe('TXT and JSON', () => {
  it('writes one paragraph per turn', () => {
    const txt = toTxt(t, names);
    const paras = txt.trim().split('\n\n');
    expect(paras).toHaveLength(7);
    expect(paras[0]).toMatch(/^\[0:00\] Alice: my laptop is getting slow/);
    expect(paras[1]).toMatch(/^\[0:09\] Bob: we tried three/);
    expect(toTxt(parseTranscript({ segments: [{ start: 65, end: 66, text: 'hi' }] }))).toBe('[1:05] hi\n');
  });

  it('keeps every verbose_json field the server sent, renaming speakers', () => {
    const j = JSON.parse(toVerboseJson(t, names, fixture));
    expect(j.text).toBe(fixture.text);
    expect(j.usage).toEqual(fixture.usage);
    expect(j.segments).toHaveLength(fixture.segments.length);
    expect(j.segments[0]).toMatchObject({ ...fixture.segments[0], speaker: 'Alice' });
    expect(new Set(j.words.map((w: { speaker: string }) => w.speaker))).toEqual(new Set(['Alice', 'Bob']));
    expect(j.speakers.map((s: { label: string; name: string }) => [s.label, s.name])).toEqual([
      ['A', 'Alice'],
      ['B', 'Bob'],
    ]);
    // without the raw answer it is rebuilt from the transcript
    const k = JSON.parse(toVerboseJson(t, { B: 'Bob' }));
    expect(k.segments[1]).toMatchObject({ speaker: 'Bob', start: 9.164 });
    expect(k.segments[0].speaker).toBe('Speaker A');
  });

  it('writes diarized_json in the OpenAI schema', () => {
    const j = JSON.parse(toDiarizedJson(t, names));
    expect(j.task).toBe('transcribe');
    expect(j.segments[0]).toEqual({
      type: 'transcript.text.segment',
      id: 'seg_001',
      start: 0.394,
      end: 8.314,
      text: fixture.segments[0].text,
      speaker: 'Alice',
    });
    expect(j.segments.map((s: { speaker: string }) => s.speaker)).toEqual([
      'Alice', 'Bob', 'Alice', 'Bob', 'Alice', 'Bob', 'Alice',
    ]);
  });

  it('renaming changes every export', () => {
    for (const f of ['srt', 'vtt', 'txt', 'verbose_json', 'diarized_json'] as const) {
      const out = exportTranscript(f, t, { A: 'Zelda' }, fixture);
      expect(out, f).toContain('Zelda');
    }
  });
});

describe('helpers', () => {
  it('formats subtitle timestamps', () => {
    expect(timestamp(0, ',')).toBe('00:00:00,000');
    expect(timestamp(3723500, '.')).toBe('01:02:03.500');
    expect(timestamp(59999.6, ',')).toBe('00:01:00,000');
  });
  it('names export files after the upload', () => {
    expect(exportFileName('meeting.wav', 'srt')).toBe('meeting.srt');
    expect(exportFileName('a.b.mp3', 'diarized_json')).toBe('a.b.diarized.json');
    expect(exportFileName('', 'txt')).toBe('transcript.txt');
  });
});
