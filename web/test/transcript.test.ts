import { describe, expect, it } from 'vitest';
import fixture from './fixtures/smoke_000.verbose.json';
import {
  clock,
  duration,
  entityTypesOf,
  entityWords,
  groupParagraphs,
  groupTurns,
  parseTranscript,
  speakerName,
  speakersOf,
  signedScore,
  splitEntityWord,
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

// smoke_000 as the text stage would send it: the first turn in two paragraphs, the others one
// each (sentiment on every paragraph), a few entities and the overall tone.
const seg = fixture.segments;
const withText = {
  ...fixture,
  paragraphs: [
    { start: 0.394, end: 4.894, speaker: 'A', text: 'My laptop is getting slow, so I think it is time for a new one.',
      sentences: [{ start: 0.394, end: 4.894, text: 'My laptop is getting slow, so I think it is time for a new one.' }],
      sentiment: { label: 'neutral', score: 0 } },
    { start: 5.104, end: 8.314, speaker: 'A', text: 'I wrote my first short story when I was 14.',
      sentences: [{ start: 5.104, end: 8.314, text: 'I wrote my first short story when I was 14.' }],
      sentiment: { label: 'positive', score: 0.31 } },
    ...seg.slice(1).map((s) => ({ start: s.start, end: s.end, speaker: s.speaker, text: s.text, sentences: [],
      sentiment: { label: 'negative', score: -0.4 } })),
  ],
  entities: [
    { type: 'ordinal', text: '1st', start: 5.694, end: 6.214, speaker: 'A' },
    { type: 'number', text: '14', start: 7.814, end: 8.314, speaker: 'A' },
    { type: 'number', text: '3', start: 9.734, end: 10.014, speaker: 'B' },
    { type: 'location', text: 'My Laptop', start: 0.394, end: 1.324, speaker: 'A' },
    { type: 'number', text: 'not said by B', start: 0.394, end: 1.324, speaker: 'B' },
  ],
  sentiment: { label: 'positive', score: 0.12 },
};

describe('paragraphs', () => {
  const p = parseTranscript(withText);

  it('reads paragraphs, entities and the overall sentiment, and leaves them out when absent', () => {
    expect(p.paragraphs).toHaveLength(8);
    expect(p.paragraphs![1]).toMatchObject({ speaker: 'A', start: 5.104, sentiment: { label: 'positive', score: 0.31 } });
    expect(p.paragraphs![1].sentences).toHaveLength(1);
    expect(p.entities!.map((e) => e.start)).toEqual([0.394, 0.394, 5.694, 7.814, 9.734]); // in time order
    expect(p.sentiment).toEqual({ label: 'positive', score: 0.12 });
    expect(t.paragraphs).toBeUndefined();
    expect(t.entities).toBeUndefined();
    expect(t.sentiment).toBeUndefined();
    // an empty entity list is kept: "asked for, none found"
    expect(parseTranscript({ ...fixture, entities: [] }).entities).toEqual([]);
    // odd values are tolerated: the score is clamped, a missing speaker is ""
    const odd = parseTranscript({ paragraphs: [{ start: 1, text: 'x', sentiment: { score: 7 } }, null] });
    expect(odd.paragraphs).toEqual([{ start: 1, end: 1, speaker: '', text: 'x', sentences: [], sentiment: { label: 'positive', score: 1 } }]);
  });

  it('gives each paragraph the words of its speaker between its start and end', () => {
    const paras = groupParagraphs(p);
    expect(paras).toHaveLength(8);
    expect(paras[0].words.map((w) => w.i)).toEqual([...Array(15).keys()]);
    expect(paras[1].words.map((w) => w.word).join(' ')).toBe('i wrote my first short story when i was fourteen');
    expect(paras[1].sentiment).toEqual({ label: 'positive', score: 0.31 });
    expect(paras[2].words[0]).toMatchObject({ word: 'we', speaker: 'B', i: 25 });
    // every word exactly once, in order
    expect(paras.flatMap((x) => x.words.map((w) => w.i))).toEqual(t.words.map((w) => w.i));
    expect(paras[0].segments).toEqual([p.segments[0]]);
    expect(groupParagraphs(t)).toEqual([]);
  });

  it('puts a word outside every paragraph into the nearest one of its speaker', () => {
    const q = parseTranscript({
      segments: [
        { start: 0, end: 3, speaker: 'A', text: 'a b c' },
        { start: 2, end: 4, speaker: 'B', text: 'x y' },
      ],
      words: [
        { word: 'a', start: 0, end: 0.5, speaker: 'A' },
        { word: 'x', start: 2.0, end: 2.4, speaker: 'B' }, // overlaps A's paragraph in time
        { word: 'b', start: 2.1, end: 2.5, speaker: 'A' }, // in a gap between A's paragraphs
        { word: 'c', start: 2.8, end: 3.0, speaker: 'A' },
        { word: 'y', start: 3.5, end: 4.0, speaker: 'B' },
      ],
      paragraphs: [
        { start: 0, end: 0.5, speaker: 'A', text: 'A.' },
        { start: 2.0, end: 4.0, speaker: 'B', text: 'X y.' },
        { start: 2.8, end: 3.0, speaker: 'A', text: 'C.' },
      ],
    });
    const paras = groupParagraphs(q);
    expect(paras.map((x) => x.words.map((w) => w.word))).toEqual([['a'], ['x', 'y'], ['b', 'c']]);
  });

  it('without diarization a paragraph takes every word in its time', () => {
    const q = parseTranscript({
      segments: [{ start: 0, end: 2, text: 'one two three' }],
      words: [
        { word: 'One', start: 0, end: 0.5 },
        { word: 'two.', start: 0.6, end: 1 },
        { word: 'Three.', start: 1.2, end: 2 },
      ],
      paragraphs: [
        { start: 0, end: 1, text: 'One two.' },
        { start: 1.2, end: 2, speaker: '', text: 'Three.' },
      ],
    });
    expect(groupParagraphs(q).map((x) => [x.speaker, x.words.map((w) => w.word)])).toEqual([
      ['', ['One', 'two.']],
      ['', ['Three.']],
    ]);
  });
});

describe('entities', () => {
  const p = parseTranscript(withText);

  it('marks the words inside each entity (same speaker only)', () => {
    const m = entityWords(p);
    expect([...m.keys()].sort((a, b) => a - b)).toEqual([0, 1, 18, 24, 27]);
    expect(m.get(24)).toMatchObject({ type: 'number', text: '14' });
    expect(m.get(27)).toMatchObject({ type: 'number', text: '3', speaker: 'B' });
    expect(m.get(0)).toMatchObject({ type: 'location' }); // not B's entity at the same time
    expect(m.get(18)).toMatchObject({ type: 'ordinal' });
    expect(entityWords(t).size).toBe(0);
  });

  it('lists the types present in a fixed order', () => {
    expect(entityTypesOf(p.entities!)).toEqual(['location', 'number', 'ordinal']);
    expect(entityTypesOf([{ type: 'zzz', text: 'a', start: 0, end: 0, speaker: '' }, { type: 'person', text: 'b', start: 0, end: 0, speaker: '' }])).toEqual([
      'person',
      'zzz',
    ]);
  });

  it('leaves the mark after an entity word out of its colour', () => {
    expect(splitEntityWord('14.', '14')).toEqual(['14', '.']);
    expect(splitEntityWord('Paris,', 'Paris')).toEqual(['Paris', ',']);
    expect(splitEntityWord('Inc.', 'Acme Inc.')).toEqual(['Inc.', '']);
    expect(splitEntityWord('$25', '$25')).toEqual(['$25', '']);
    expect(splitEntityWord('...', '...')).toEqual(['...', '']);
  });

  it('formats sentiment scores with a sign', () => {
    expect(signedScore(0.314)).toBe('+0.31');
    expect(signedScore(-0.4)).toBe('\u22120.40');
    expect(signedScore(0.001)).toBe('0.00');
  });
});
