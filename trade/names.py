"""Party names brought to a comparable form, in either script. Plain Python (no Django).

`normalise_name("北京华为技术有限公司")` and `normalise_name("Beijing Huawei Technologies Co.,
Ltd.")` both give the words `beijing huawei technology`:

1. Unicode NFKC (full-width letters, digits and brackets become their usual forms), case
   folded, accents dropped (Société → societe, Běijīng → beijing).
2. Chinese and Japanese runs: legal forms removed (有限公司, 股份有限公司, 集团, 株式会社 …); the
   rest split into known words, longest first (科技 → technology, 北京 → beijing, from
   data/name_words.toml), and whatever is left romanised with pypinyin into one word per run
   (华为 → huawei). A few traditional characters of those words are read as simplified ones.
3. Latin runs: punctuation becomes space, apostrophes go (Xi'an → xian), a run of single
   letters is one word (S.A. → sa); pinyin split by syllable is joined where the joined word
   is known (ke ji → keji → technology); abbreviations and plurals read as their word
   (Techs → technology); legal forms and stop words removed; old spellings of places read
   as pinyin (Peking → beijing); a misspelt common word (Technolgy) as that word.
4. Each word gets a weight: common words (technology, trading, places, countries) count for
   `generic_weight`, distinctive words (huawei) for 1.

The word lists are data (trade/data/name_words.toml).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from rapidfuzz import process
from rapidfuzz.distance import OSA

DATA = Path(__file__).resolve().parent / "data" / "name_words.toml"

CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
APOSTROPHES_RE = re.compile(r"['’‘`´]")
NON_WORD_RE = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
DIGIT_RE = re.compile(r"\d")
ADMINISTRATIVE = frozenset("市省区县")


@dataclass(frozen=True)
class Vocabulary:
    latin_legal: tuple[tuple[str, ...], ...]  # phrases as word tuples, longest first
    cjk_legal: tuple[str, ...]  # longest first
    stopwords: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]  # a Latin word (or joined pinyin) → its word(s)
    generic: frozenset[str]
    glossary: dict[str, tuple[str, ...]]  # Chinese word → words
    glossary_max: int
    traditional: dict[int, str]  # str.translate table
    known_joins: frozenset[str]  # joined pinyin words worth joining syllables for
    legal_joined: frozenset[str]  # legal-form phrases written as one word ("coltd")
    legal_by_first: dict[str, tuple[tuple[str, ...], ...]]  # phrases by first word, longest first
    fuzzy_vocabulary: tuple[str, ...]  # long common words a typo may stand for
    prefixable: tuple[str, ...]  # common English words a cut-off spelling may stand for
    readings: dict[str, str]  # the usual reading of characters with several


@cache
def vocabulary() -> Vocabulary:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    synonyms: dict[str, tuple[str, ...]] = {
        k: tuple(v.split()) for k, v in data["abbreviations"].items() if k != v
    }
    glossary: dict[str, tuple[str, ...]] = {
        k: tuple(v.split()) for k, v in data["glossary"].items()
    }
    generic = set(data["generic"]["words"])
    known_joins = set()
    for chinese, spellings in data["places"].items():
        glossary[chinese] = (spellings[0],)
        generic.add(spellings[0])
        known_joins.add(spellings[0])  # "hong kong" → hongkong
        for other in spellings[1:]:
            synonyms[other] = (spellings[0],)
    # The pinyin of a glossary word, written as one word, is that word in a Latin name too
    # (keji → technology). Single syllables are left alone: too many names contain them.
    for chinese, words in glossary.items():
        if len(chinese) >= 2:
            joined = "".join(lazy_pinyin(chinese, style=Style.NORMAL))
            synonyms.setdefault(joined, words)
            known_joins.add(joined)
    latin_legal = sorted(
        (tuple(phrase.split()) for phrase in data["legal_forms"]["latin"]),
        key=len,
        reverse=True,
    )
    for phrase in latin_legal:
        known_joins.add("".join(phrase))
    known_joins.update(k for k in synonyms if len(k) >= 4)
    known_joins.update(w for w in generic if len(w) >= 6)  # high tech → hightech
    traditional = {ord(k): v for k, v in data["traditional"].items() if k != v}
    legal_joined = {"".join(p) for p in latin_legal}
    # Misspellings are corrected towards English words and places only: a pinyin word one
    # letter from a glossary word (haikang, haiyang) is a different name, not a slip.
    english = set(data["abbreviations"]) | {
        s for spellings in data["places"].values() for s in spellings
    }
    long_words = {w for w in generic | english | legal_joined if len(w) >= 6}
    fuzzy = tuple(sorted(long_words))
    return Vocabulary(
        latin_legal=tuple(latin_legal),
        cjk_legal=tuple(sorted(data["legal_forms"]["cjk"], key=len, reverse=True)),
        stopwords=frozenset(data["stopwords"]["latin"]),
        synonyms=synonyms,
        generic=frozenset(generic),
        glossary=glossary,
        glossary_max=max(len(k) for k in glossary),
        traditional=traditional,
        known_joins=frozenset(known_joins),
        legal_joined=frozenset(legal_joined),
        legal_by_first={
            first: tuple(p for p in latin_legal if p[0] == first)
            for first in {p[0] for p in latin_legal}
        },
        fuzzy_vocabulary=fuzzy,
        readings=dict(data["readings"]),
        prefixable=tuple(sorted(w for w in data["generic"]["words"] if len(w) >= 6)),
    )


@dataclass(frozen=True)
class NameForm:
    """One name as the matcher compares it."""

    text: str  # as given
    words: tuple[str, ...]  # canonical words, in order
    weights: tuple[float, ...]
    cjk: str  # Chinese/Japanese characters after legal forms went ('' when none)
    pinyin: frozenset[str]  # words that came from Chinese characters by romanisation
    acronyms: frozenset[str]  # initials a short form of this name could be

    @property
    def key(self) -> str:
        return " ".join(self.words)

    @property
    def distinctive(self) -> tuple[str, ...]:
        return tuple(w for w, weight in zip(self.words, self.weights, strict=True) if weight >= 1)


def fold(text: str) -> str:
    """NFKC, case folded, accents dropped, traditional glossary characters simplified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).translate(vocabulary().traditional)


def normalise_name(text: str, *, generic_weight: float = 0.35) -> NameForm:
    return _normalise(text, generic_weight)


@lru_cache(maxsize=200_000)
def _normalise(text: str, generic_weight: float) -> NameForm:
    vocab = vocabulary()
    folded = APOSTROPHES_RE.sub("", fold(text))
    folded = NON_WORD_RE.sub(" ", folded)
    words: list[str] = []
    pinyin: set[str] = set()
    cjk_parts: list[str] = []
    raw_latin: list[str] = []  # words before legal forms went, for acronyms
    position = 0
    for match in CJK_RE.finditer(folded):
        latin, raw = _latin_words(folded[position : match.start()])
        words += latin
        raw_latin += raw
        chinese, romanised, kept = _cjk_words(match.group())
        words += chinese
        pinyin |= romanised
        cjk_parts.append(kept)
        position = match.end()
    latin, raw = _latin_words(folded[position:])
    words += latin
    raw_latin += raw
    if not words:
        # Only legal forms or stop words: compare on them rather than on nothing.
        words = [w for w in folded.split() if w]
    weights = tuple(
        generic_weight if (w in vocab.generic or DIGIT_RE.fullmatch(w)) else 1.0 for w in words
    )
    return NameForm(
        text=text,
        words=tuple(words),
        weights=weights,
        cjk="".join(cjk_parts),
        pinyin=frozenset(pinyin),
        acronyms=_acronyms(raw_latin, words),
    )


def _latin_words(text: str) -> tuple[list[str], list[str]]:
    """(canonical words, words before legal forms and stop words went) of a Latin run."""
    vocab = vocabulary()
    tokens = _join_single_letters(text.split())
    tokens = _join_syllables(tokens)
    expanded: list[str] = []
    for token in tokens:
        expanded += _canonical(token)
    raw = [t for t in expanded if t not in vocab.stopwords]
    return _drop_legal_forms(raw), raw


def _join_single_letters(tokens: list[str]) -> list[str]:
    joined: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(token)
    if run:
        joined.append(run)
    return joined


def _join_syllables(tokens: list[str]) -> list[str]:
    """Join 2-4 neighbouring words whose joined spelling is a known word (ke ji → keji)."""
    known = vocabulary().known_joins
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in (4, 3, 2):
            if i + size <= len(tokens):
                joined = "".join(tokens[i : i + size])
                if joined in known:
                    out.append(joined)
                    i += size
                    break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=100_000)
def _canonical(token: str) -> tuple[str, ...]:
    vocab = vocabulary()
    if token in vocab.synonyms:
        return vocab.synonyms[token]
    if token in vocab.generic or token in vocab.stopwords or DIGIT_RE.search(token):
        return (token,)
    # Plurals of known words: "batteries" → battery, "engines" → engine.
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) > len(suffix) + 3:
            stem = token[: -len(suffix)] + replacement
            if stem in vocab.generic:
                return (stem,)
            if stem in vocab.synonyms:
                return vocab.synonyms[stem]
    # A cut-off common word ("optoelec", "semicond") is the one word it begins.
    if len(token) >= 4 and token.isalpha():
        longer = [w for w in vocab.prefixable if w.startswith(token) and len(w) >= len(token) + 2]
        if len(longer) == 1:
            return (longer[0],)
    # A misspelt long common word ("technolgy", "limted", "missles") is that word.
    spellings = [token] + [token[:-1]] * (token.endswith("s") and len(token) >= 7)
    for spelling in spellings:
        if len(spelling) >= 6:
            found = process.extractOne(
                spelling, vocab.fuzzy_vocabulary, scorer=OSA.distance, score_cutoff=1
            )
            if found is not None and found[0] != token and found[0][0] == token[0]:
                return vocab.synonyms.get(found[0], (found[0],))
    return (token,)


def _drop_legal_forms(tokens: list[str]) -> list[str]:
    vocab = vocabulary()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] in vocab.legal_joined:
            i += 1
            continue
        for phrase in vocab.legal_by_first.get(tokens[i], ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _cjk_words(run: str) -> tuple[list[str], set[str], str]:
    """(words, the words romanised by pinyin, the characters kept) of a Chinese/Japanese run."""
    vocab = vocabulary()
    for form in vocab.cjk_legal:
        run = run.replace(form, " ")
    words: list[str] = []
    romanised: set[str] = set()
    for piece in run.split():
        pending = ""
        i = 0
        while i < len(piece):
            for size in range(min(vocab.glossary_max, len(piece) - i), 1, -1):
                if piece[i : i + size] in vocab.glossary:
                    if pending:
                        words.append(_romanise(pending))
                        romanised.add(words[-1])
                        pending = ""
                    words += vocab.glossary[piece[i : i + size]]
                    i += size
                    # 深圳市, 广东省: the administrative word after a place says nothing.
                    if words[-1] in vocab.generic and piece[i : i + 1] in ADMINISTRATIVE:
                        i += 1
                    break
            else:
                pending += piece[i]
                i += 1
        if pending:
            words.append(_romanise(pending))
            romanised.add(words[-1])
    return words, romanised, run.replace(" ", "")


def _romanise(chinese: str) -> str:
    """Character by character, each in its most common reading (names have no context that
    would choose another; places, where it matters, are in the glossary)."""
    return "".join(_syllable(c) for c in chinese)


@lru_cache(maxsize=50_000)
def _syllable(char: str) -> str:
    reading = vocabulary().readings.get(char)
    if reading:
        return reading
    return "".join(lazy_pinyin(char, style=Style.NORMAL, errors="default")).replace(" ", "")


def _acronyms(raw: list[str], words: list[str]) -> frozenset[str]:
    """Initials this name could be shortened to: of every word, without legal forms, and by
    pinyin syllable (比亚迪 biyadi → BYD; 大疆创新 dajiang innovation → DJI)."""
    found = set()
    for sequence in (raw, words, [w for w in raw if w != "group"]):
        letters = "".join(w[0] for w in sequence if w and w[0].isalpha())
        if len(letters) >= 3:
            found.add(letters)
    generic = vocabulary().generic
    syllabic, first_distinctive = "", -1
    for word in words:
        if first_distinctive < 0 and word not in generic:
            first_distinctive = len(syllabic)
        split = pinyin_split(word) if word not in generic else None
        syllabic += "".join(s[0] for s in split) if split and len(split) >= 2 else word[:1]
    if syllabic != "".join(w[:1] for w in words):
        for start in {0, max(first_distinctive, 0)}:
            found |= {syllabic[start:end] for end in range(start + 3, len(syllabic) + 1)}
    return frozenset(found)


# --- pinyin syllables -------------------------------------------------------------------------


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows, from the common CJK block."""
    chars = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    return frozenset(s for s in lazy_pinyin(chars, style=Style.NORMAL) if s.isalpha())


@lru_cache(maxsize=100_000)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """The word as pinyin syllables (fewest syllables), or None when it is not pinyin."""
    syllables = pinyin_syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables:
                candidate = (*head, word[start:end])
                if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = candidate
    return best[len(word)]


SOUND_RULES = (
    ("tsz", "j"),
    ("zh", "j"),
    ("ch", "j"),
    ("ts", "j"),
    ("tz", "j"),
    ("hs", "s"),
    ("sh", "s"),
    ("kw", "gu"),
    ("hw", "hu"),
    ("ung", "ong"),
    ("ieh", "ie"),
    ("ow", "ou"),
)
SOUND_LETTERS = str.maketrans(
    {"q": "j", "z": "j", "c": "j", "x": "s", "k": "g", "p": "b", "t": "d"}
)


@lru_cache(maxsize=100_000)
def sound_key(word: str) -> str:
    """A coarse key under which Wade-Giles and pinyin spellings of a syllable meet
    (Chang/Zhang → jang, Hsu/Xu → su, Tsinghua/Qinghua → jinghua)."""
    for old, new in SOUND_RULES:
        word = word.replace(old, new)
    word = word.translate(SOUND_LETTERS)
    return re.sub(r"(.)\1+", r"\1", word)


def has_han(text: str) -> bool:
    return bool(HAN_RE.search(text))
