"""Party names brought to a comparable form, in either script. Plain Python (no Django).

`normalise_name("北京华为技术有限公司")` and `normalise_name("Beijing Huawei Technologies Co.,
Ltd.")` both give the words `beijing huawei technology`:

1. Unicode NFKC (full-width letters, digits and brackets become their usual forms), case
   folded, accents and tone marks dropped (Société → societe, Běijīng → beijing); numbers
   are one word in either script (第十四, 14th, No. 14 → 14); syllables written with hyphens
   are one word (Chiang-su).
2. Chinese and Japanese runs: legal forms removed (有限公司, 股份有限公司, 集团, 株式会社 …); the
   rest split into known words, longest first (科技 → technology, 钨业 → tungsten, 北京 →
   beijing, from data/name_words.toml), and whatever is left romanised with pypinyin into one
   word per run (华为 → huawei; ü written u). Traditional characters are read as simplified.
3. Latin runs: punctuation becomes space, apostrophes go (Xi'an → xian), tone numbers go
   (zhong1guo2), a run of single letters is one word (S.A. → sa); pinyin split by syllable is
   joined where the joined word is known (ke ji → keji → technology), pinyin run together is
   split before a known word (weichaidongli → weichai power); abbreviations and plurals read
   as their word (Techs → technology); legal forms and stop words removed; a few phrases read
   as fewer words (science and technology → technology); old spellings of places read as
   pinyin (Peking → beijing); a misspelt common word (Technolgy, Powr) as that word.
4. Each word gets a weight: common words (technology, trading, places, countries) count for
   `generic_weight` (China, national, international half that), distinctive words (huawei)
   and numbers for 1.

The word lists are data (trade/data/name_words.toml).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import OSA

DATA = Path(__file__).resolve().parent / "data" / "name_words.toml"

CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
APOSTROPHES_RE = re.compile(r"['’‘`´]")
NON_WORD_RE = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
DIGIT_RE = re.compile(r"\d")
ADMINISTRATIVE = frozenset("市省区县")
ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"
)  # fmt: skip
ORDINAL_RE = re.compile(r"(\d+)(?:st|nd|rd|th)")
# Chinese numbers: 第十四 (positional) and 七一八研究所 / 二〇三 (digit by digit).
CN_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER_RE = re.compile(
    r"第([〇零一二两三四五六七八九十百千]+)|([〇零一二三四五六七八九]{2,})(?=研究|所|厂|院|分厂)"
)
# Pinyin with tone numbers (zhong1guo2) and Wade-Giles written with hyphens (Chiang-su).
TONE_NUMBERS_RE = re.compile(r"(?:[a-z]+[1-5])+[a-z]*")
HYPHENATED_RE = re.compile(r"[a-z]+(?:-[a-z]+)+")


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
    traditional_keys: frozenset[int]
    known_joins: frozenset[str]  # joined pinyin words worth joining syllables for
    join_starts: frozenset[str]  # every beginning of a known join (and of its plural)
    phrase_starts: frozenset[str]  # first words of [phrases]
    legal_joined: frozenset[str]  # legal-form phrases written as one word ("coltd")
    legal_by_first: dict[str, tuple[tuple[str, ...], ...]]  # phrases by first word, longest first
    fuzzy_vocabulary: tuple[str, ...]  # long common words a typo may stand for
    prefixable: tuple[str, ...]  # common English words a cut-off spelling may stand for
    short_fuzzy: tuple[str, ...]  # common English words of 5 letters a slip may stand for
    readings: dict[str, str]  # the usual reading of characters with several
    ordinals: dict[str, str]  # first → 1 … tenth → 10
    places: frozenset[str]  # canonical place words (beijing)
    place_sounds: dict[str, str]  # sound key → place, for older spellings not listed (chiangsu)
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # words read as fewer words
    faint: frozenset[str]  # common words that weigh half as much again
    word_class: dict[str, bool]  # common words: whether faint
    related: frozenset[tuple[str, str]]  # common words that stand for each other, both ways
    pinyin_glossary: dict[str, tuple[str, ...]]  # joined pinyin of glossary words → words


@cache
def vocabulary() -> Vocabulary:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    synonyms: dict[str, tuple[str, ...]] = {
        k: tuple(v.split()) for k, v in data["abbreviations"].items() if k != v
    }
    glossary: dict[str, tuple[str, ...]] = {
        k: tuple(v.split()) for k, v in data["glossary"].items()
    }
    generic = set(data["generic"]["words"]) | set(data["generic"].get("words_more", ()))
    known_joins = set()
    for chinese, spellings in data["places"].items():
        glossary[chinese] = (spellings[0],)
        generic.add(spellings[0])
        known_joins.add(spellings[0])  # "hong kong" → hongkong
        for other in spellings[1:]:
            synonyms[other] = (spellings[0],)
    # The pinyin of a glossary word, written as one word, is that word in a Latin name too
    # (keji → technology). Single syllables are left alone: too many names contain them.
    not_read = set(data.get("glossary_pinyin", {}).get("not_read", ()))
    pinyin_glossary: dict[str, tuple[str, ...]] = {}
    for chinese, words in glossary.items():
        if len(chinese) >= 2:
            joined = "".join(lazy_pinyin(chinese, style=Style.NORMAL)).replace("v", "u")
            if joined in not_read:
                continue
            synonyms.setdefault(joined, words)
            pinyin_glossary.setdefault(joined, words)
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
    known_places = {s for spellings in data["places"].values() for s in spellings}
    traditional = {ord(k): v for k, v in data["traditional"].items() if k != v}
    for line in data.get("traditional_more", {}).get("pairs", ()):
        for pair in line.split():
            traditional.setdefault(ord(pair[0]), pair[1])
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
        traditional_keys=frozenset(traditional),
        known_joins=frozenset(known_joins),
        join_starts=frozenset(
            {j[:k] for j in known_joins for k in range(2, len(j) + 1)}
            | {j + "s" for j in known_joins}
        ),
        phrase_starts=frozenset(k.split()[0] for k in data.get("phrases", {})),
        legal_joined=frozenset(legal_joined),
        legal_by_first={
            first: tuple(p for p in latin_legal if p[0] == first)
            for first in {p[0] for p in latin_legal}
        },
        fuzzy_vocabulary=fuzzy,
        readings=dict(data["readings"]),
        prefixable=tuple(sorted(w for w in data["generic"]["words"] if len(w) >= 6)),
        short_fuzzy=tuple(
            sorted(
                w
                for w in generic
                if 5 <= len(w) <= 6 and w not in known_places and pinyin_split(w) is None
            )
        ),
        ordinals={w: str(n) for n, w in enumerate(ORDINAL_WORDS, start=1)},
        places=frozenset(spellings[0] for spellings in data["places"].values()),
        phrases={tuple(k.split()): tuple(v.split()) for k, v in data.get("phrases", {}).items()},
        faint=frozenset(data.get("faint", {}).get("words", ())),
        word_class={w: w in set(data.get("faint", {}).get("words", ())) for w in generic},
        related=frozenset(
            (a, b) for x, y in data.get("related", {}).get("pairs", ()) for a, b in ((x, y), (y, x))
        ),
        pinyin_glossary=pinyin_glossary,
        place_sounds=_place_sounds([spellings[0] for spellings in data["places"].values()]),
    )


def _place_sounds(places: list[str]) -> dict[str, str]:
    by_sound: dict[str, list[str]] = {}
    for place in places:
        by_sound.setdefault(sound_key(place), []).append(place)
    return {key: found[0] for key, found in by_sound.items() if len(found) == 1}


@dataclass(frozen=True)
class NameForm:
    """One name as the matcher compares it."""

    text: str  # as given
    words: tuple[str, ...]  # canonical words, in order
    weights: tuple[float, ...]
    cjk: str  # Chinese/Japanese characters after legal forms went ('' when none)
    pinyin: frozenset[str]  # words that came from Chinese characters by romanisation
    hanzi: tuple[str, ...] = ()  # for each word romanised from Chinese, its characters
    traditional: bool = False  # written with traditional characters (some of them)
    initial_words: tuple[str, ...] = ()  # Latin words before legal forms went (for NORINCO)
    # Glossary words translated from Chinese: (first word, number of words, their pinyin), so
    # that a name that writes the pinyin (Jinduicheng Muye) still meets 钼业 molybdenum.
    spans: tuple[tuple[int, int, str], ...] = ()
    distinctive: tuple[str, ...] = ()  # the words of weight 1, in order

    @property
    def key(self) -> str:
        return " ".join(self.words)

    @property
    def acronyms(self) -> frozenset[str]:
        """Initials a short form of this name could be (worked out when first asked)."""
        return _acronyms(self.initial_words, self.words)[0]

    @property
    def acronym_stems(self) -> tuple[str, ...]:
        """Letters by pinyin syllable whose first 3 or more a short form could be too."""
        return _acronyms(self.initial_words, self.words)[1]

    def acronym_heads(self) -> frozenset[str]:
        """The first three letters of every acronym and stem, cheaply (a superset)."""
        return _acronym_heads(self.initial_words, self.words)

    def could_be_initials(self, word: str) -> bool:
        """Whether `word` (2-8 letters) is the initials of this name: of its words, or the
        first 3 or more of its letters by pinyin syllable."""
        return 2 <= len(word) <= 8 and (
            word in self.acronyms
            or (len(word) >= 3 and any(stem.startswith(word) for stem in self.acronym_stems))
        )


def fold(text: str) -> str:
    """NFKC, case folded, accents dropped, traditional glossary characters simplified."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).translate(vocabulary().traditional)


def normalise_name(text: str, *, generic_weight: float = 0.35) -> NameForm:
    return _normalise(text, generic_weight)


@lru_cache(maxsize=400_000)
def _normalise(text: str, generic_weight: float) -> NameForm:
    vocab = vocabulary()
    folded = APOSTROPHES_RE.sub("", fold(text))
    if "第" in folded or "研究" in folded or "所" in folded or "厂" in folded:
        folded = CN_NUMBER_RE.sub(_cn_number, folded)
    if "-" in folded:
        folded = HYPHENATED_RE.sub(_hyphenated, folded)
    folded = NON_WORD_RE.sub(" ", folded)
    words: list[str] = []
    hanzi: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pinyin: set[str] = set()
    cjk_parts: list[str] = []
    raw_latin: list[str] = []  # words before legal forms went, for acronyms
    position = 0
    for match in CJK_RE.finditer(folded):
        latin, raw = _latin_words(folded[position : match.start()])
        words += latin
        hanzi += [""] * len(latin)
        raw_latin += raw
        chinese, chars, romanised, kept, translated = _cjk_words(match.group())
        spans += [(len(words) + start, size, spelt) for start, size, spelt in translated]
        words += chinese
        hanzi += chars
        pinyin |= romanised
        cjk_parts.append(kept)
        position = match.end()
    latin, raw = _latin_words(folded[position:])
    words += latin
    hanzi += [""] * len(latin)
    raw_latin += raw
    if not words:
        # Only legal forms or stop words: compare on them rather than on nothing.
        words = [w for w in folded.split() if w]
        hanzi = [""] * len(words)
    classes = vocab.word_class
    faint = generic_weight / 2
    weights = tuple(
        1.0 if (c := classes.get(w)) is None else faint if c else generic_weight for w in words
    )
    return NameForm(
        text=text,
        words=tuple(words),
        weights=weights,
        cjk="".join(cjk_parts),
        pinyin=frozenset(pinyin),
        hanzi=tuple(hanzi),
        traditional=not text.isascii() and not vocab.traditional_keys.isdisjoint(map(ord, text)),
        initial_words=tuple(raw_latin),
        spans=tuple(spans),
        distinctive=tuple(w for w, weight in zip(words, weights, strict=True) if weight >= 1),
    )


def _read_phrases(words: list[str]) -> list[str]:
    vocab = vocabulary()
    phrases = vocab.phrases
    if len(words) < 2 or vocab.phrase_starts.isdisjoint(words):
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (3, 2):
            span = tuple(words[i : i + size])
            if len(span) == size and span in phrases:
                out += phrases[span]
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _cn_number(match: re.Match[str]) -> str:
    """第十四 → 14, 三十八 → 38, 二〇三 → 203 (as a word of its own)."""
    numerals = match.group(1) or match.group(2)
    if any(c in CN_UNITS for c in numerals):
        total, current = 0, 0
        for c in numerals:
            if c in CN_UNITS:
                total += (current or 1) * CN_UNITS[c]
                current = 0
            else:
                current = CN_DIGITS[c]
        value = str(total + current)
    else:
        value = "".join(str(CN_DIGITS[c]) for c in numerals)
    return f" {value} "


def _hyphenated(match: re.Match[str]) -> str:
    """Syllables written with hyphens (Wade-Giles Chiang-su, Shuang-liang) are one word; other
    hyphenated words (Rolls-Royce, High-Tech) are words."""
    parts = match.group().split("-")
    if all(_is_syllable(part) for part in parts):
        return "".join(parts)
    return " ".join(parts)


def _latin_words(text: str) -> tuple[list[str], list[str]]:
    """(canonical words, words before legal forms and stop words went) of a Latin run."""
    vocab = vocabulary()
    split = text.split()
    tokens: list[str] = []
    for i, t in enumerate(split):
        if t[-1].isdigit():
            t = _untoned(t)
        elif t in ("no", "nr", "num") and i + 1 < len(split) and split[i + 1].isdigit():
            continue  # "No. 14", "Nr 14": the number is the word
        elif t[-2:] in ("st", "nd", "rd", "th") and t[0].isdigit():
            t = _untoned(t)
        tokens.append(vocab.ordinals.get(t, t))
    tokens = _join_syllables(_join_single_letters(tokens))
    expanded: list[str] = []
    for token in tokens:
        expanded += _canonical(token)
    stopwords = vocab.stopwords
    raw = [t for t in expanded if t not in stopwords]
    return _read_phrases(_drop_legal_forms(raw)), raw


def _untoned(token: str) -> str:
    """14th → 14; zhong1guo2 → zhongguo (pinyin with tone numbers); other tokens as they are."""
    ordinal = ORDINAL_RE.fullmatch(token)
    if ordinal:
        return ordinal.group(1)
    if TONE_NUMBERS_RE.fullmatch(token):
        parts = [p for p in re.split(r"[1-5]", token) if p]
        if all(_is_syllable(p) or pinyin_split(p) for p in parts):
            return "".join(parts)
    return token


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
    vocab = vocabulary()
    known, starts = vocab.known_joins, vocab.join_starts
    if len(tokens) < 2:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        # Only where two words begin a known word (most names have none).
        if i + 1 >= len(tokens) or tokens[i] + tokens[i + 1] not in starts:
            out.append(tokens[i])
            i += 1
            continue
        for size in (4, 3, 2):
            if i + size <= len(tokens):
                joined = "".join(tokens[i : i + size])
                if joined in known or (joined[-1:] == "s" and joined[:-1] in known):
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
    # An older spelling of a place that is not listed (Chiangsu: Jiangsu in Wade-Giles).
    if len(token) >= 4 and not certainly_pinyin(token):
        place = vocab.place_sounds.get(sound_key(token))
        if place is not None:
            return (place,)
    # Plurals of known words: "batteries" → battery, "engines" → engine.
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) > len(suffix) + 3:
            stem = token[: -len(suffix)] + replacement
            if stem in vocab.generic:
                return (stem,)
            if stem in vocab.synonyms:
                return vocab.synonyms[stem]
    # Pinyin written without spaces, ending in a glossary word: weichaidongli → weichai power.
    if len(token) >= 7 and token.isalpha() and pinyin_split(token) is not None:
        for cut in range(2, len(token) - 3):
            tail = token[cut:]
            if tail in vocab.pinyin_glossary and pinyin_split(token[:cut]) is not None:
                return (*_canonical(token[:cut]), *vocab.pinyin_glossary[tail])
    # A cut-off common word ("optoelec", "semicond") is the one word it begins; a pinyin
    # syllable (hong) is not cut off.
    if len(token) >= 4 and token.isalpha() and token not in pinyin_syllables():
        start = bisect_left(vocab.prefixable, token)
        longer = []
        for w in vocab.prefixable[start : start + 3]:
            if w.startswith(token) and len(w) >= len(token) + 2:
                longer.append(w)
        if len(longer) == 1:
            return (longer[0],)
    # A misspelt long common word ("technolgy", "limted", "missles") is that word.
    spellings = [token] + [token[:-1]] * (token.endswith("s") and len(token) >= 7)
    for spelling in spellings:
        if len(spelling) >= 6:
            found = _nearest(spelling, vocab.fuzzy_vocabulary)
            if found is not None and found != token:
                return vocab.synonyms.get(found, (found,))
        elif len(spelling) >= 4 and spelling.isalpha() and pinyin_split(spelling) is None:
            # A short word with a letter left out (powr, stel) is that common word.
            found = _nearest(spelling, vocab.short_fuzzy)
            if found is not None and len(found) == len(spelling) + 1:
                return vocab.synonyms.get(found, (found,))
    return (token,)


def _nearest(word: str, words: tuple[str, ...]) -> str | None:
    """The word of `words` one edit from `word` with the same first letter (the first in order
    when several are), else None."""
    buckets = _buckets(words)
    if word in buckets.get((word[0], len(word)), ()):
        return word
    best = None
    for size in (len(word), len(word) - 1, len(word) + 1):
        for candidate in buckets.get((word[0], size), ()):
            if OSA.distance(word, candidate, score_cutoff=1) <= 1 and (
                best is None or candidate < best
            ):
                best = candidate
    return best


@cache
def _buckets(words: tuple[str, ...]) -> dict[tuple[str, int], tuple[str, ...]]:
    found: dict[tuple[str, int], list[str]] = {}
    for w in words:
        found.setdefault((w[0], len(w)), []).append(w)
    return {k: tuple(v) for k, v in found.items()}


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


def _cjk_words(
    run: str,
) -> tuple[list[str], list[str], set[str], str, list[tuple[int, int, str]]]:
    """(words, for each word its characters when romanised ('' when translated), the words
    romanised by pinyin, the characters kept) of a Chinese/Japanese run."""
    vocab = vocabulary()
    for form in vocab.cjk_legal:
        run = run.replace(form, " ")
    words: list[str] = []
    chars: list[str] = []
    romanised: set[str] = set()
    translated: list[tuple[int, int, str]] = []
    for piece in run.split():
        pending = ""
        i = 0
        while i < len(piece):
            for size in range(min(vocab.glossary_max, len(piece) - i), 1, -1):
                if piece[i : i + size] in vocab.glossary:
                    if pending:
                        words.append(_romanise(pending))
                        chars.append(pending)
                        romanised.add(words[-1])
                        pending = ""
                    english = vocab.glossary[piece[i : i + size]]
                    translated.append((len(words), len(english), _romanise(piece[i : i + size])))
                    words += english
                    chars += [""] * len(english)
                    i += size
                    # 深圳市, 广东省: the administrative word after a place says nothing.
                    if words[-1] in vocab.generic and piece[i : i + 1] in ADMINISTRATIVE:
                        i += 1
                    break
            else:
                if piece[i].isdigit():
                    if pending:
                        words.append(_romanise(pending))
                        chars.append(pending)
                        romanised.add(words[-1])
                        pending = ""
                    # piece[i] is a digit, so the match is there.
                    digits = re.match(r"\d+", piece[i:]).group()  # type: ignore[union-attr]
                    words.append(digits)
                    chars.append("")
                    i += len(digits)
                    continue
                pending += piece[i]
                i += 1
        if pending:
            words.append(_romanise(pending))
            chars.append(pending)
            romanised.add(words[-1])
    return words, chars, romanised, run.replace(" ", ""), translated


def _romanise(chinese: str) -> str:
    """Character by character, each in its most common reading (names have no context that
    would choose another; places, where it matters, are in the glossary)."""
    return "".join(_syllable(c) for c in chinese)


@lru_cache(maxsize=50_000)
def _syllable(char: str) -> str:
    reading = vocabulary().readings.get(char)
    if reading:
        return reading
    # ü is written u, as names written in pinyin without diacritics have it (lü → lu).
    return (
        "".join(lazy_pinyin(char, style=Style.NORMAL, errors="default"))
        .replace(" ", "")
        .replace("v", "u")
    )


COMPASS = {"northwest": "nw", "northeast": "ne", "southwest": "sw", "southeast": "se"}


@lru_cache(maxsize=100_000)
def _acronym_heads(raw: tuple[str, ...], words: tuple[str, ...]) -> frozenset[str]:
    heads = set()
    latin = [w for w in raw if w[:1].isalpha()]
    alpha = [w for w in words if w[:1].isalpha()]
    for sequence in (latin, [w for w in latin if w != "group"], alpha):
        heads.add("".join([COMPASS.get(w) or w[0] for w in sequence[:3]])[:3])
    generic = vocabulary().generic
    first = next((i for i, w in enumerate(words) if w not in generic), 0)
    for place in (False, True):
        for start in {0, first}:
            parts = [_syllable_initials(w, place=place) for w in words[start : start + 3]]
            heads.add("".join(parts)[:3])
    return frozenset(h for h in heads if len(h) == 3)


@lru_cache(maxsize=200_000)
def _acronyms(
    raw: tuple[str, ...], words: tuple[str, ...]
) -> tuple[frozenset[str], tuple[str, ...]]:
    """(Initials this name could be shortened to: of every word, without legal forms; letters
    by pinyin syllable any 3 or more first of which it could be: 比亚迪 biyadi → BYD; 大疆创新
    dajiang innovation → DJI; 南京理工大学 nanjing university technology → NJUST; southwest →
    SW)."""
    found = set()
    stems: set[str] = set()
    initial = [COMPASS.get(w) or w[0] for w in raw if w[:1].isalpha()]
    if len(initial) >= 3:
        found.add("".join(initial))
    if "group" in raw:
        without = "".join(COMPASS.get(w) or w[0] for w in raw if w[:1].isalpha() and w != "group")
        if len(without) >= 3:
            found.add(without)
    letters = "".join([COMPASS.get(w) or w[0] for w in words if w[:1].isalpha()])
    if len(letters) >= 3:
        found.add(letters)
    vocab = vocabulary()
    has_places = False
    parts: list[str] = []
    first_distinctive = -1
    for word in words:
        if first_distinctive < 0 and word not in vocab.generic:
            first_distinctive = len(parts)
        parts.append(_syllable_initials(word))
        has_places = has_places or word in vocab.places
    variants = [parts]
    if has_places:
        variants.append([_syllable_initials(w, place=True) for w in words])
    for variant in variants:
        starts = {0, sum(len(x) for x in variant[: max(first_distinctive, 0)])}
        syllabic = "".join(variant)
        if syllabic not in found:
            for start in starts:
                if len(syllabic) - start >= 3:
                    stems.add(syllabic[start:])
    return frozenset(found), tuple(sorted(stems))


@lru_cache(maxsize=100_000)
def _syllable_initials(word: str, *, place: bool = False) -> str:
    """A word's letters in a syllable acronym: a pinyin word's syllables' (biyadi → byd; a
    place's too when `place`), a compass word's two (southwest → sw), else its first."""
    if word in COMPASS:
        return COMPASS[word]
    vocab = vocabulary()
    if word not in vocab.generic or (place and word in vocab.places):
        split = pinyin_split(word)
        if split and len(split) >= 2:
            return "".join(s[0] for s in split)
    return word[:1]


# Words an acronym built from syllables may leave out (NORINCO: China North Industries Corp.).
ACRONYM_OPTIONAL = frozenset(
    {"china", "chinese", "group", "company", "corporation", "co", "corp", "limited", "ltd", "inc",
     "of", "the", "and", "national"}
)  # fmt: skip


def syllable_acronym(short: str, words: tuple[str, ...]) -> bool:
    """Whether `short` (4-8 letters) is made of the first 1-3 letters of each of at least three
    of the words, in order, leaving out only words such as China, Group, Corporation: NORINCO
    (NORth INdustries COrporation), COMAC (COMmercial Aircraft Corporation of China), AVIC."""
    if not 4 <= len(short) <= 8 or len(words) < 3 or len(words) > 10:
        return False

    @cache
    def ways(pos: int, k: int) -> int:
        # The most words used to spell short[pos:] from words[k:] (-1: impossible).
        if pos == len(short):
            return 0 if all(w in ACRONYM_OPTIONAL for w in words[k:]) else -1
        if k == len(words):
            return -1
        best = ways(pos, k + 1) if words[k] in ACRONYM_OPTIONAL else -1
        word = words[k]
        for size in range(1, min(3, len(word), len(short) - pos) + 1):
            if short[pos : pos + size] != word[:size]:
                break
            rest = ways(pos + size, k + 1)
            if rest >= 0:
                best = max(best, rest + 1)
        return best

    return ways(0, 0) >= 3


def acronym_initials(words: tuple[str, ...]) -> set[str]:
    """The initials of every word, leaving out optional words in any combination (index keys
    for syllable acronyms; at most 2^4 of them)."""
    optional = [i for i, w in enumerate(words) if w in ACRONYM_OPTIONAL][:4]
    found = set()
    for mask in range(1 << len(optional)):
        skip = {optional[b] for b in range(len(optional)) if mask >> b & 1}
        letters = "".join(w[0] for i, w in enumerate(words) if i not in skip and w)
        if len(letters) >= 3:
            found.add(letters)
    return found


# --- pinyin syllables -------------------------------------------------------------------------


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows, from the common CJK block."""
    chars = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    found = {s for s in lazy_pinyin(chars, style=Style.NORMAL) if s.isalpha()}
    # Interjections without a vowel (嗯 n, 呒 m) would make almost any word pinyin.
    found -= {"n", "m", "ng", "hm", "hng"}
    return frozenset(found | {s.replace("v", "u") for s in found})


@cache
def syllable_sounds() -> frozenset[str]:
    """The sound keys of pinyin syllables: a Wade-Giles or postal syllable has one of them."""
    return frozenset(sound_key(s) for s in pinyin_syllables())


@lru_cache(maxsize=100_000)
def _is_syllable(part: str) -> bool:
    """One syllable in pinyin, Wade-Giles or postal spelling (chiang, hsin, chih, tzu)."""
    if not part.isalpha() or len(part) > 7:
        return False
    if part in pinyin_syllables():
        return True
    sounds = syllable_sounds()
    return sound_key(part) in sounds or (part.endswith("h") and sound_key(part[:-1]) in sounds)


@lru_cache(maxsize=100_000)
def certainly_pinyin(word: str) -> bool:
    """Pinyin that no older romanisation would write: it has letters Wade-Giles and postal
    spellings do not use (b, d, g, q, x, z, c, r as initials). Two such words that differ are
    two names (Ruijun, Ruichun), not two spellings of one."""
    if pinyin_split(word) is None:
        return False
    rest = word
    for cluster in ("ng", "ch", "sh", "ts", "tz", "er"):
        rest = rest.replace(cluster, "-")
    return any(c in rest for c in "bdgqxzcr")


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
                known = best[end]
                if known is None or len(candidate) < len(known):
                    best[end] = candidate
    return best[len(word)]


SOUND_RULES = (
    ("tsz", "j"),
    ("zh", "j"),
    ("ch", "j"),
    ("ts", "j"),
    ("tz", "j"),
    ("hs", "s"),
    ("kw", "gu"),
    ("hw", "hu"),
    ("ung", "ong"),
    ("ieh", "ie"),
    ("ow", "ou"),
)
SOUND_LETTERS = str.maketrans(
    {"q": "j", "z": "j", "c": "j", "x": "s", "k": "g", "p": "b", "t": "d", "v": "u", "r": "j"}
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
