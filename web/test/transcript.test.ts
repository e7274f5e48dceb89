import { describe, expect, it } from 'vitest';
import fixture from './fixtures/smoke_000.verbose.json';
import {
  clock,
  duration,
  groupTurns,
  parseTranscript,
  speakerName,
  speakersOf,
  talkTime,
  withSpeakerNames,
  wordAt,
} from '../src/lib/transcript';

const t = parseTranscript(fixture);

describe('parseTranscript', () => {
  it('reads verbose_json from vox: segments, words, speakers', () => {
    expect(t.diarized).toBe(true);
    expect(t.segments).toHaveLength(7);
    expect(t.words).toHaveLength(96);
    expect(t.duration).toBeCloseTo(33.16);
    expect(t.language).toBe('english');
    // every word lands in a segment and keeps its index into t.words
    expect(t.segments.reduce((n, s) => n + s.words.length, 0)).toBe(96);
    expect(t.words.every((w, i) => w.i === i)).toBe(true);
    expect(t.segments[0].words[0]).toMatchObject({ word: 'my', speaker: 'A', i: 0 });
  });

  it('tolerates a plain json answer and missing fields', () => {
    const p = parseTranscript({ text: 'hello world' });
    expect(p.segments).toEqual([{ id: 0, start: 0, end: 0, text: 'hello world', words: [] }]);
    expect(p.diarized).toBe(false);
    expect(parseTranscript(null).segments).toEqual([]);
    const q = parseTranscript({ segments: [{ start: 2, end: 1, text: ' x ' }] });
    expect(q.segments[0]).toMatchObject({ start: 2, end: 2, text: 'x' });
  });

  it('gives words in a gap to the nearest segment and their speaker to words without one', () => {
    const p = parseTranscript({
      segments: [
        { start: 0, end: 1, text: 'a b', speaker: 'A' },
        { start: 3, end: 4, text: 'c', speaker: 'B' },
      ],
      words: [
        { word: 'a', start: 0, end: 0.5 },
        { word: 'b', start: 1.1, end: 1.3 },
        { word: 'c', start: 2.6, end: 2.8 },
      ],
    });
    expect(p.segments[0].words.map((w) => w.word)).toEqual(['a', 'b']);
    expect(p.segments[1].words.map((w) => [w.word, w.speaker])).toEqual([['c', 'B']]);
  });
});

describe('speakers and turns', () => {
  it('lists speakers in order of appearance and groups consecutive segments', () => {
    expect(speakersOf(t)).toEqual(['A', 'B']);
    const turns = groupTurns(t);
    expect(turns.map((x) => x.speaker)).toEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A']);
    const merged = groupTurns(
      parseTranscript({
        segments: [
          { start: 0, end: 1, text: 'one', speaker: 'A' },
          { start: 1, end: 2, text: 'two', speaker: 'A' },
          { start: 2, end: 3, text: 'three', speaker: 'B' },
        ],
      }),
    );
    expect(merged.map((x) => [x.speaker, x.start, x.end, x.text])).toEqual([
      ['A', 0, 2, 'one two'],
      ['B', 2, 3, 'three'],
    ]);
  });

  it('names speakers "Speaker A" until renamed, and blank names fall back', () => {
    expect(speakerName('A')).toBe('Speaker A');
    expect(speakerName('A', { A: 'Alice' })).toBe('Alice');
    expect(speakerName('A', { A: '   ' })).toBe('Speaker A');
    expect(speakerName('')).toBe('');
  });

  it('renames every segment and word, leaving the original alone', () => {
    const r = withSpeakerNames(t, { A: 'Alice', B: 'Bob' });
    expect(new Set(r.segments.map((s) => s.speaker))).toEqual(new Set(['Alice', 'Bob']));
    expect(new Set(r.words.map((w) => w.speaker))).toEqual(new Set(['Alice', 'Bob']));
    expect(r.segments[0].words[0].speaker).toBe('Alice');
    expect(t.segments[0].speaker).toBe('A');
  });

  it('adds up talk time per speaker', () => {
    const talk = talkTime(t);
    expect(talk.map((e) => e.speaker)).toEqual(['A', 'B']);
    const a = t.segments.filter((s) => s.speaker === 'A').reduce((n, s) => n + s.end - s.start, 0);
    expect(talk[0].seconds).toBeCloseTo(a, 6);
    expect(talk[0].turns).toBe(4);
    expect(talk[1].turns).toBe(3);
    expect(talk[0].share + talk[1].share).toBeCloseTo(1, 9);
    expect(talkTime(parseTranscript({})).length).toBe(0);
  });
});

describe('wordAt', () => {
  const words = [
    { word: 'a', start: 0, end: 0.4 },
    { word: 'b', start: 0.5, end: 0.9 },
    { word: 'c', start: 3, end: 3.5 },
  ];
  it('finds the word being spoken, nothing before the first or in a long pause', () => {
    expect(wordAt(words, -1)).toBe(-1);
    expect(wordAt(words, 0)).toBe(0);
    expect(wordAt(words, 0.45)).toBe(0);
    expect(wordAt(words, 0.5)).toBe(1);
    expect(wordAt(words, 2)).toBe(-1);
    expect(wordAt(words, 3.2)).toBe(2);
    expect(wordAt([], 1)).toBe(-1);
  });
});

describe('time formatting', () => {
  it('formats clocks and durations', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(83.4)).toBe('1:23');
    expect(clock(3723)).toBe('1:02:03');
    expect(duration(8.2)).toBe('8 s');
    expect(duration(75)).toBe('1 min 15 s');
    expect(duration(120)).toBe('2 min');
    expect(duration(3900)).toBe('1 h 5 min');
  });
});
