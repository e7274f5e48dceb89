// Sentences and paragraphs of written words (after the punctuator): what detect_paragraphs shows,
// what sentiment is scored on, and where subtitle cues prefer to end.
#pragma once

#include <vector>

#include "vox/format/sentence_end.h"
#include "vox/format/transcript.h"

namespace vox {

struct ParagraphRules {
  // A new paragraph after a pause this long. Turns in conversation are separated by well under a
  // second; a pause of 2 s or more is a change of subject or a break.
  double max_pause_s = 2.0;
  // And when a paragraph would grow past this many sentences or words: a monologue reads as
  // paragraphs of a few sentences (tuned on the kit's podcast18 corpus: bench/text/run).
  int max_sentences = 5;
  int max_words = 90;
};

// Sentences never span speakers; a sentence also ends at a pause of max_pause_s. Paragraphs start
// at every speaker change, after a long pause, and when the current one is full; a paragraph
// always ends at a sentence end. `words` in time order.
std::vector<Paragraph> build_paragraphs(const std::vector<Word>& words, const ParagraphRules& rules = {});

}  // namespace vox
