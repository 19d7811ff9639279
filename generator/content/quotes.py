"""Verbatim checks of quotes and evidence against the source articles.

Editors copy passages from articles that use curly quotes, en dashes and
hard-wrapped lines; the YAML they type uses straight quotes and hyphens. We
compare after folding exactly those differences and nothing else, so a
changed word still fails.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_FOLD = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9-])|\n+")


def normalize(text: str) -> str:
    """Fold quotes, dashes and white space; keep everything else as written."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


_WORD = re.compile(r"\w")


def occurrences(norm: str, passage: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """Every (start, end) of ``passage`` in the normalised ``norm``, on word boundaries.

    A passage neither starts nor ends inside a longer word of the text: without
    the bounds "interested in ending his war" is found in "uninterested in
    ending his war", and a passage marked verbatim says the opposite. Found
    with ``str.find`` and a look at each end (a regex per passage would be
    compiled thousands of times a check).
    """
    needle = normalize(passage)
    if not needle:
        return
    head, tail = _WORD.match(needle), _WORD.match(needle, len(needle) - 1)
    at = norm.find(needle, start)
    while at >= 0:
        end = at + len(needle)
        cut_head = head and at > 0 and _WORD.match(norm, at - 1)
        cut_tail = tail and end < len(norm) and _WORD.match(norm, end)
        if not cut_head and not cut_tail:
            yield at, end
        at = norm.find(needle, at + 1)


def find_words(norm: str, passage: str, start: int = 0) -> int:
    """Offset of the first word-bounded ``passage`` in ``norm`` at or after ``start``, or -1.

    An empty passage is found at ``start``, as ``str.find`` finds it.
    """
    if not normalize(passage):
        return start if start <= len(norm) else -1
    return next((at for at, _ in occurrences(norm, passage, start)), -1)


@dataclass
class SourceText:
    """An article's text, ready for verbatim look-ups and coverage."""

    raw: str
    norm: str = field(init=False)
    sentences: list[tuple[int, int]] = field(init=False)
    key: bytes = field(init=False)  # a digest of the text passages are looked up in

    def __post_init__(self) -> None:
        self.norm = normalize(self.raw)
        self.sentences = self._split(self.raw)
        self.key = hashlib.blake2b(self.norm.encode(), digest_size=16).digest()

    def _split(self, raw: str) -> list[tuple[int, int]]:
        """Sentence spans in the normalised text, found on the raw text's line breaks too."""
        spans: list[tuple[int, int]] = []
        cursor = 0
        for piece in _SENTENCE_END.split(raw):
            sentence = normalize(piece)
            if not sentence:
                continue
            start = self.norm.find(sentence, cursor)
            if start < 0:  # cannot happen with consistent folding; be safe
                continue
            spans.append((start, start + len(sentence)))
            cursor = start + len(sentence)
        return spans

    def find(self, passage: str) -> int:
        """Offset of ``passage`` in the normalised text, on word boundaries, or -1."""
        return find_words(self.norm, passage)

    def contains(self, passage: str) -> bool:
        return self.find(passage) >= 0

    def explain(self, passage: str) -> str:
        """Why a passage was not found: the closest passage, and the words that differ."""
        near = self.closest(passage, limit=None)
        shown = near if len(near) <= 240 else near[:239].rstrip() + "…"
        return f'closest passage: "{shown}"; {word_diff(near, passage)}'

    def closest(self, passage: str, limit: int | None = 240) -> str:
        """The passage of the source most like ``passage``, to show the editor.

        Windows of one to three sentences are compared, since an editor's
        passage may run over a sentence end.
        """
        target = normalize(passage)
        best, best_ratio = "", 0.0
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(target)
        for i in range(len(self.sentences)):
            for width in (1, 2, 3):
                if i + width > len(self.sentences):
                    break
                start, end = self.sentences[i][0], self.sentences[i + width - 1][1]
                candidate = self.norm[start:end]
                matcher.set_seq1(candidate)
                if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                    continue
                ratio = matcher.ratio()
                if ratio > best_ratio:
                    best, best_ratio = candidate, ratio
        if limit is not None and len(best) > limit:
            best = best[: limit - 1].rstrip() + "…"
        return best

    def uncovered(self, passages: list[str]) -> list[str]:
        """Sentences that no passage overlaps: what the fact base does not yet cite."""
        covered = self.covered(passages)
        return [self.norm[s:e] for (s, e), c in zip(self.sentences, covered, strict=True) if not c]

    def covered(self, passages: list[str]) -> list[bool]:
        """For each sentence, whether a passage overlaps it."""
        covered = [False] * len(self.sentences)
        starts = [s for s, _ in self.sentences]
        for passage in passages:
            for at, end in occurrences(self.norm, passage):
                i = max(bisect.bisect_right(starts, at) - 1, 0)
                while i < len(self.sentences) and self.sentences[i][0] < end:
                    if self.sentences[i][1] > at:
                        covered[i] = True
                    i += 1
        return covered


def _bare(word: str) -> str:
    return word.strip(".,;:!?\"'()[]") or word


#: Words of unchanged text kept on each side of a change in a word diff.
_CONTEXT = 3


def word_diff(source: str, typed: str) -> str:
    """The words ``typed`` changed from ``source``, wdiff style: 'its [-entire-]{+whole+} east'.

    ``[-…-]`` is in the source but not in the typed passage, ``{+…+}`` the
    other way round; long unchanged runs are cut to a few words each side.
    An editor sees at once which word to copy again.
    """
    old, new = normalize(source).split(), normalize(typed).split()
    # Words are compared without the punctuation around them ('Sea,' is 'Sea'),
    # and the source's words before and after the typed passage are left out.
    ops = difflib.SequenceMatcher(
        a=[_bare(w) for w in old], b=[_bare(w) for w in new], autojunk=False
    ).get_opcodes()
    while ops and ops[0][0] == "delete":
        ops = ops[1:]
    while ops and ops[-1][0] == "delete":
        ops = ops[:-1]
    if all(tag == "equal" for tag, *_ in ops):
        return "the words are the same: check punctuation and letter case"
    parts: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = old[i1:i2]
            head = words[:_CONTEXT] if n > 0 else []
            tail = words[-_CONTEXT:] if n < len(ops) - 1 else []
            cut = len(words) > len(head) + len(tail)
            parts += [*head, "…", *tail] if cut else words
            continue
        if i2 > i1:
            parts.append(f"[-{' '.join(old[i1:i2])}-]")
        if j2 > j1:
            parts.append(f"{{+{' '.join(new[j1:j2])}+}}")
    return "differences: " + " ".join(parts)
