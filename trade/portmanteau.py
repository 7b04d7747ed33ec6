"""Short names built from a long name's own words as written, in its own language (round 27b).
Plain Python (no Django).

The matcher reads a name's words in English (Petróleo Brasileiro: petroleum brazil), but a
short form is built from the words as the organisation writes them:

- initials of every word, particles and the legal form's letters too: PDVSA, Petróleos De
  Venezuela S.A.; and
- a portmanteau of the first 2-6 letters of some of the words, in order (after two such
  pieces, initials too; a piece may end in a combining o): Petrobras (PETROleo BRASileiro),
  Pemex (PEtróleos MEXicanos), Gazprom (GAZovaya PROMyshlennost), Embraer (EMpresa BRasileira
  de AERonáutica), Eletrobras (Centrais ELETRicas + o BRASileiras), Embrapa (EMpresa BRAsileira
  de Pesquisa Agropecuária), Vinacomin (VIetNAm COal and MINeral Industries).

A one-word name of 5-12 letters meets a long name so only when its pieces cover at least two
thirds of the long name's words that are not particles, legal forms or words an acronym leaves
out (national, group, company), at least two of them, one of those a distinctive word (a place,
a name: two common words, International Technology, are not Intertech); and its first piece is
cut from a word the vocabulary knows (a brand cut first is another brand: Kingsoft is not
Kingdee International Software); and its first two pieces are not cut from a legal form (Co,
Ltd). Blocking finds such pairs by the first piece whole and the first two letters of the second
(`short_keys`, `long_keys`: petro|br), both sides' keys made once per name, a party's keys as a
long name only for the entries' short names that begin as its words do; scoring gives them the
acronym score (trade.scoring.acronym_match). Keyed on two letters of each piece alone, a party's
one word met thousands of long names, and checking them was a third of a re-screen's time.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import cache, lru_cache

from trade.acronyms import ACRONYM_OPTIONAL, syllable_acronym
from trade.name_words import vocabulary
from trade.names import NameForm, fold, normalise_name

WORD_RE = re.compile(r"[a-z0-9]+")
# Particles and the letters of a legal form, besides [stopwords] and one-word legal forms.
PARTICLES = frozenset(
    {"de", "da", "do", "das", "dos", "del", "della", "di", "la", "le", "les", "des", "du", "et",
     "pour", "y", "e", "i", "und", "fur", "der", "die", "van", "von", "s", "a", "sa", "sae",
     "ao", "oao", "zao", "ooo", "pao", "pjsc", "jsc", "ojsc", "cjsc", "tbk", "pt", "nv", "bv"}
)  # fmt: skip
MIN_PIECE, MAX_PIECE = 2, 6
MIN_SHORT, MAX_SHORT = 5, 12


@cache
def _skippable() -> frozenset[str]:
    # legal forms as one word (Co, Ltd, GmbH, Companhia, coltd): no piece is counted from them,
    # and the first two pieces are never cut from them
    vocab = vocabulary()
    return frozenset(PARTICLES | ACRONYM_OPTIONAL | vocab.stopwords | vocab.legal_joined)


@lru_cache(maxsize=200_000)
def native_words(text: str) -> tuple[str, ...]:
    """The name's words as written (folded: no accents, lower case), particles included."""
    return tuple(WORD_RE.findall(fold(text)))


@lru_cache(maxsize=100_000)
def _distinctive(word: str) -> bool:
    """Whether a word as written reads as a distinctive word (a place, a name)."""
    form = normalise_name(word)
    return bool(form.weights) and max(form.weights) >= 1


@lru_cache(maxsize=100_000)
def _known(word: str) -> bool:
    """Whether the vocabulary reads a word as written (a common word or a place in any
    language: petróleo, brasileira), not a name of its own."""
    vocab = vocabulary()
    if word in (vocab.foreign or {}) or word in (vocab.other_places or {}) or word in vocab.places:
        return True
    form = normalise_name(word)
    return form.words != (word,) or min(form.weights, default=1.0) < 1


def _content(words: tuple[str, ...]) -> list[int]:
    skip = _skippable()
    return [k for k, w in enumerate(words) if w not in skip and w.isalpha()]


@lru_cache(maxsize=200_000)
def built_from(short: str, text: str) -> bool:
    """Whether `short` (one word) is the initials of every word of `text` as written (5 or
    more: PDVSA) or a portmanteau of its words' beginnings (Petrobras, Gazprom, Embraer)."""
    if not (MIN_SHORT - 1 <= len(short) <= MAX_SHORT and short.isalpha()):
        return False
    words = native_words(text)
    if len(words) < 2 or short in words:
        return False
    if len(short) >= 4 and len(words) >= 4 and "".join(w[0] for w in words) == short:
        return True
    if len(short) < MIN_SHORT:
        return False
    content = _content(words)
    if len(content) < 2:
        return False
    skip, legal = _skippable(), vocabulary().legal_joined
    need = max(2, -(-2 * len(content) // 3))

    @cache
    def best(pos: int, k: int, pieces: int) -> tuple[int, bool]:
        # (most content words used spelling short[pos:] from words[k:], one distinctive),
        # (-1, False) when impossible; the first two pieces have 2 letters or more, later
        # ones may be initials (EMBRAPA: EMpresa BRAsileira de Pesquisa Agropecuária)
        if pos == len(short):
            return (0, False) if pieces >= 2 else (-1, False)
        if k == len(words):
            return -1, False
        result = best(pos, k + 1, pieces)
        word = words[k]
        least = MIN_PIECE if pieces < 2 else 1
        if pieces < 2 and word in legal:
            return result
        for size in range(1, min(MAX_PIECE, len(word), len(short) - pos) + 1):
            piece = short[pos : pos + size]
            if piece != word[:size] and not (size >= 4 and piece == word[: size - 1] + "o"):
                break  # (a combining vowel: ELETROBRAS, eletr(icas) + o)
            if size < least or (pieces == 0 and size < len(word) and not _known(word)):
                continue  # (a brand cut first is another brand: Kingsoft, Kingdee Software)
            used, named = best(pos + size, k + 1, min(pieces + 1, 2))
            if used >= 0:
                counts = word not in skip
                option = (used + counts, named or (counts and _distinctive(word)))
                result = max(result, option)
        return result

    used, named = best(0, 0, 0)
    return used >= need and named


def _first_pieces(word: str) -> set[str]:
    """The first pieces a short form could cut from a word: its first 2-6 letters (fewer than
    all only from a word the vocabulary knows), or those with a combining o (ELETRO)."""
    sizes = range(MIN_PIECE, min(MAX_PIECE, len(word)) + 1)
    pieces = {word[:size] for size in sizes if size == len(word) or _known(word)}
    return pieces | {p[:-1] + "o" for p in pieces if len(p) >= 4}


def _content_pairs(words: tuple[str, ...], begins: Container[str] | None) -> set[str]:
    """Keys of a long name: a first piece the short form may begin with (`_first_pieces`) and
    the first two letters of a word after it, where its second piece may begin: every pair of
    words `built_from` could cut its first two pieces from, leaving out no more content words
    than it allows (a third of them: Dezaeelcaraf may begin at Dezvoltare, the fourth)."""
    legal = vocabulary().legal_joined
    content = _content(words)
    if len(content) < 2:
        return set()
    spare = len(content) - max(2, -(-2 * len(content) // 3))  # content words left out
    usable = [
        k for k, w in enumerate(words) if w.isalpha() and len(w) >= MIN_PIECE and w not in legal
    ]
    keys = set()
    if spare < 2:  # the usual name, of five content words or fewer: the first two and after
        firsts = [k for k in usable if k <= content[1]]
        for a in firsts:
            if begins is None or words[a][:2] in begins:
                later = {words[b][:2] for b in [k for k in usable if k > a][:4]}
                keys |= {f"{p}|{second}" for p in _first_pieces(words[a]) for second in later}
        return keys
    for a in usable:
        left_out = sum(1 for k in content if k < a)
        if left_out > spare:
            break
        if begins is not None and words[a][:2] not in begins:
            continue
        later = set()
        for b in (k for k in usable if k > a):
            if left_out > spare:
                break
            later.add(words[b][:2])
            left_out += b in content  # left out when the next piece is cut from a later word
        keys |= {f"{piece}|{second}" for piece in _first_pieces(words[a]) for second in later}
    return keys


@lru_cache(maxsize=200_000)
def short_keys(form: NameForm) -> frozenset[str]:
    """Keys of a name as a short form (one word of 4-12 letters) for blocking."""
    if len(form.words) > 2 or len(form.distinctive) != 1 or form.cjk:
        return frozenset()
    word = form.distinctive[0]
    if not (MIN_SHORT - 1 <= len(word) <= MAX_SHORT and word.isalpha()):
        return frozenset()
    keys = {"=" + word}
    if len(word) >= MIN_SHORT:
        keys |= {
            f"{word[:cut]}|{word[cut : cut + 2]}"
            for cut in range(MIN_PIECE, min(MAX_PIECE, len(word) - MIN_PIECE) + 1)
        }
    return frozenset(keys)


def long_keys(form: NameForm, begins: Container[str] | None = None) -> frozenset[str]:
    """Keys of a name as the long name a short form is built from, for blocking; with
    `begins` (the first two letters of the short forms it may meet), only those that begin
    so."""
    words = native_words(form.text)
    if not 2 <= len(words) <= 24:
        return frozenset()
    keys = _content_pairs(words, begins)
    if len(words) >= 4 and (begins is None or words[0][0] + words[1][0] in begins):
        keys.add("=" + "".join(w[0] for w in words))
    return frozenset(keys)


def built_short(word: str, long: NameForm, one_word: bool) -> bool:
    """Whether a short name's one word is a short form built from `long`'s words: a syllable
    acronym of its words read in English (NORINCO, for a name of one word) or one built from
    them as written (`built_from`)."""
    return (one_word and syllable_acronym(word, long.initial_words)) or built_from(word, long.text)
