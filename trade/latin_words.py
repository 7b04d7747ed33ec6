"""The Latin-letter runs of a party name → canonical words: numbers and tone numbers, single
letters and pinyin syllables joined, abbreviations, plurals, older spellings of places, cut-off
and misspelt common words, stop words, legal forms and phrases (step 3 of trade.names). Plain
Python (no Django).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import cache, lru_cache

from rapidfuzz.distance import OSA

from trade.foreign_spellings import foreign_spelling, in_foreign_context
from trade.keyboard import doubled_slip, neighbour_slip, ocr_word, place_slip
from trade.known_names import a_place, known_organisation, known_words
from trade.latin_legal import (
    cut_legal_starts,
    drop_legal_forms,
    legal_letters,
    legal_pair,
    legal_seconds,
)
from trade.name_words import vocabulary
from trade.russian_words import russian_word
from trade.syllables import (
    ROMANISED_SYLLABLES,
    certainly_pinyin,
    is_syllable,
    pinyin_split,
    pinyin_syllables,
    sound_key,
    wade_giles_spellings,
)

DIGIT_RE = re.compile(r"\d")
ORDINAL_RE = re.compile(r"(\d+)(?:st|nd|rd|th)")
# (no ordinal begins with 0: 0rdnance is Ordnance read by a scanner)
ORDINAL_RUN_RE = re.compile(r"^(the)?([1-9]\d*(?:st|nd|rd|th))([a-z]{3,})?$")
# Pinyin with tone numbers (zhong1guo2).
TONE_NUMBERS_RE = re.compile(r"(?:[a-z]+[1-5])+[a-z]*")
# A Russian adjective in -icheskiy is the English one in -ical (Radiotekhnicheskiy).
# So is a Ukrainian one in -ichnyi (Elektrotekhnichnyi, the fifteenth round) and a Belarusian
# one in -ichny, -ichnaya, -ichnae (Metalurhichny, Elektramekhanichny: the twenty-first round).
RUSSIAN_ICAL_RE = re.compile(
    r"([a-z]{4,})(?:ichesk(?:iy|ii|ij|yy|yi|y|aya|oye|oe|ogo|ikh|iye|ie)"
    r"|ichn(?:yi|yy|iy|y|a|e|oho|ykh|aya|ae|aha|aga))"
)
# Arabic names of Abd (servant of): Abdul Aziz, Abdulaziz and Abd al-Aziz are abd aziz (the
# article al is a stop word), Abdullah abd allah.
ARABIC_ABD_RE = re.compile(r"abd(?:ul|el|al|ol|oul)?(l?lah|[a-z]{3,})?")


def latin_words(text: str) -> tuple[list[str], list[str]]:
    """(canonical words, words before legal forms and stop words went) of a Latin run."""
    vocab = vocabulary()
    split = text.split()
    if DIGIT_RE.search(text):
        # An ordinal run together with a word (54thResearch, The718th): two words.
        split = [w for t in split for w in ORDINAL_RUN_RE.sub(r"\1 \2 \3", t).split()]
    tokens: list[str] = []
    for i, t in enumerate(split):
        if t[-1].isdigit():
            t = _untoned(t)
        elif t in ("no", "nr", "num") and i + 1 < len(split) and split[i + 1].isdigit():
            continue  # "No. 14", "Nr 14": the number is the word
        elif t[-2:] in ("st", "nd", "rd", "th") and t[0].isdigit():
            t = _untoned(t)
        tokens.append(vocab.ordinals.get(t, t))
    tokens = _join_pieces(_join_syllables(_join_single_letters(tokens)))
    if "yu" in tokens or "ji" in tokens:
        tokens = _without_pinyin_and(tokens)
    if not vocab.joining.isdisjoint(tokens) or not vocab.foreign_pinyin.keys().isdisjoint(tokens):
        tokens = in_foreign_context(tokens)
    expanded: list[str] = []
    for token in tokens:
        expanded += _canonical(token)
    if len(expanded) >= 2 and not legal_seconds().keys().isdisjoint([t[:3] for t in expanded[1:]]):
        expanded = cut_legal_starts(expanded)
    stopwords = vocab.stopwords
    if not stopwords.isdisjoint(expanded) and _written_in_pinyin(expanded, tokens):
        # Da Jiang Chuangxin, De Xin Trading: da and de are syllables, not Portuguese words.
        stopwords = stopwords - pinyin_syllables()
    raw = [t for t in expanded if t not in stopwords]
    return _read_phrases(drop_legal_forms(raw)), raw


def _written_in_pinyin(tokens: list[str], written: list[str]) -> bool:
    """Whether every word of a Latin run not common, legal or a stop word is pinyin or an older
    romanisation's syllable (and there is one), none `written` a foreign word (Politecnico di)."""
    vocab = vocabulary()
    names = [
        t
        for t in tokens
        if t not in vocab.generic and t not in vocab.legal_joined and t not in vocab.stopwords
    ]
    pinyin = all(is_syllable(t) or pinyin_split(t) is not None for t in names)
    return bool(names) and pinyin and (vocab.foreign or {}).keys().isdisjoint(written)


def _untoned(token: str) -> str:
    """14th → 14; zhong1guo2 → zhongguo (pinyin with tone numbers); other tokens as they are."""
    ordinal = ORDINAL_RE.fullmatch(token)
    if ordinal:
        return ordinal.group(1)
    if TONE_NUMBERS_RE.fullmatch(token) and not _ocr_final(token):
        parts = [p for p in re.split(r"[1-5]", token) if p]
        if all(is_syllable(p) or pinyin_split(p) for p in parts):
            return "".join(parts)
    return token


def _without_pinyin_and(tokens: list[str]) -> list[str]:
    """The words without yu and ji, "and" (与, 及), between two pinyin words of two syllables or
    more, as a Chinese name's are (Jixie yu Wuli: machinery and physics; round 30)."""

    def pinyin(word: str) -> bool:
        split = pinyin_split(word)  # not a place: Shenzhen Yu Dianzi keeps its brand Yu
        return split is not None and len(split) >= 2 and not a_place(word)

    return [
        t
        for i, t in enumerate(tokens)
        if t not in ("yu", "ji")
        or not 0 < i < len(tokens) - 1
        or not (pinyin(tokens[i - 1]) and pinyin(tokens[i + 1]))
    ]


def _ing_slipped(token: str) -> str:
    """The -ing word a token is with the i of its ending left out or swapped (bankng, bankign
    are banking), else ''."""
    if len(token) >= 5 and token.endswith("ng") and token[-3] not in "aeiouy":
        return token[:-2] + "ing"
    if len(token) >= 6 and token.endswith("ign") and token[-4] not in "aeiouy":
        return token[:-3] + "ing"
    return ""


def _ocr_final(token: str) -> bool:
    """Whether a token's one digit, last, is a letter a scanner misread in a known word
    (Genera1: general, not the pinyin genera with a tone number; round 30)."""
    letters = token.rstrip("01")
    if letters in pinyin_syllables():  # chong1: a tone number
        return False
    return len(DIGIT_RE.findall(token)) == 1 and ocr_word(token) is not None


def _join_single_letters(tokens: list[str]) -> list[str]:
    joined: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            joined += legal_letters(run)
            run = ""
        joined.append(token)
    if run:
        joined += legal_letters(run)
    return joined


def _join_syllables(tokens: list[str]) -> list[str]:
    """Join 2-4 neighbouring words whose joined spelling is a known word (ke ji → keji)."""
    vocab = vocabulary()
    known, starts = vocab.known_joins, vocab.join_starts

    def join(run: list[str]) -> str | None:
        joined = "".join(run)
        return joined if joined in known or (joined[-1:] == "s" and joined[:-1] in known) else None

    # Only where two words begin a known word (most names have none).
    out = _joined_runs(tokens, (4, 3, 2), join, lambda pair: "".join(pair) in starts)
    return out if len(out) == len(tokens) else _brand_syllables(tokens, out)


def _brand_syllables(tokens: list[str], out: list[str]) -> list[str]:
    """Syllables written apart that joined read as a glossary word with a lone syllable after
    them are a brand's (Chuang Xin Wei, 创芯微: not innovation and wei): left apart."""
    pinyin = vocabulary().pinyin_glossary
    syllables = pinyin_syllables()
    result: list[str] = []
    i = 0
    for k, word in enumerate(out):
        size = 1
        if word not in tokens[i : i + 1]:
            size = next((n for n in (4, 3, 2) if "".join(tokens[i : i + n]) == word), 1)
        after = out[k + 1] if k + 1 < len(out) else ""
        lone = after in syllables and after not in _known_words()
        run = tokens[i : i + size]
        if size > 1 and word in pinyin and lone and all(t in syllables for t in run):
            result += run
        else:
            result.append(word)
        i += size
    return result


def _join_pieces(tokens: list[str]) -> list[str]:
    """Join 2-3 neighbouring words that are no words (not common words, stop words, legal
    forms or abbreviations) whose letters joined are a common word, not a place: a space
    added (Chi Na, Po Wer, St Eel)."""
    if len(tokens) < 2 or sum(1 for t in tokens if t not in _known_words()) < 2:
        return tokens
    generic = vocabulary().generic

    def join(run: list[str]) -> str | None:
        joined = "".join(run)
        return joined if joined in generic and _joinable(run) else None

    return _joined_runs(tokens, (2, 3), join)


def _joined_runs(
    tokens: list[str],
    sizes: tuple[int, ...],
    join: Callable[[list[str]], str | None],
    may_begin: Callable[[list[str]], bool] | None = None,
) -> list[str]:
    """`tokens` with runs of neighbouring words replaced by the word `join` makes of them (the
    first of `sizes` that makes one), left to right; `may_begin` (of two words) skips the
    positions where no run can begin without trying each size."""
    if len(tokens) < 2:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if may_begin is not None and (i + 1 >= len(tokens) or not may_begin(tokens[i : i + 2])):
            out.append(tokens[i])
            i += 1
            continue
        for size in sizes:
            run = tokens[i : i + size]
            joined = join(run) if len(run) == size else None
            if joined is not None:
                out.append(joined)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _joinable(run: list[str]) -> bool:
    known = _known_words()
    return all(t.isalpha() and t not in known for t in run) and "".join(run) not in (
        vocabulary().places
    )


@cache
def _known_words() -> frozenset[str]:
    vocab = vocabulary()
    words = vocab.generic | vocab.stopwords | vocab.legal_joined | set(vocab.synonyms)
    return frozenset(words - vocab.articles)


@lru_cache(maxsize=100_000)
def _canonical(token: str) -> tuple[str, ...]:
    vocab = vocabulary()
    if token in vocab.synonyms:
        return vocab.synonyms[token]
    if token in vocab.generic or token in vocab.stopwords:
        return (token,)
    if DIGIT_RE.search(token):  # a digit a scanner read for a letter: Techno1ogy
        return _canonical(read) if (read := ocr_word(token)) else (token,)
    if two_forms := legal_pair(token):
        return two_forms
    if foreign := foreign_spelling(token):  # Tsentralnyi, Shouji, Kogoy, Toukyou
        return foreign
    if russian := RUSSIAN_ICAL_RE.fullmatch(token):  # radiotekhnical, then as any word
        return _canonical(russian.group(1) + "ical")
    if russian_words := russian_word(token):  # in another case: Tyazhelogo, Zavodov
        return russian_words
    if token.startswith("abd") and (abd := ARABIC_ABD_RE.fullmatch(token)):
        rest = abd.group(1) or ""
        return ("abd", "allah" if rest in ("lah", "llah") else rest) if rest else ("abd",)
    # An older spelling of a place that is not listed (Chiangsu: Jiangsu in Wade-Giles).
    if len(token) >= 4 and not certainly_pinyin(token):
        place = vocab.place_sounds.get(sound_key(token))
        if place is not None:
            return (place,)
    # Plurals of known words: "batteries" → battery, "engines" → engine.
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) > len(suffix) + 3:
            stem = token[: -len(suffix)] + replacement
            if stem in vocab.synonyms:  # as the word itself: electricals → electric
                return vocab.synonyms[stem]
            if stem in vocab.generic:
                return (stem,)
    # Pinyin written without spaces, ending in a glossary word: weichaidongli → weichai power.
    if len(token) >= 7 and token.isalpha() and pinyin_split(token) is not None:
        for cut in range(2, len(token) - 3):
            tail = token[cut:]
            if tail in vocab.pinyin_glossary and pinyin_split(token[:cut]) is not None:
                return (*_canonical(token[:cut]), *vocab.pinyin_glossary[tail])
    # A cut-off common word ("optoelec", "semicond") is the one word it begins; a pinyin
    # syllable (hong) is not cut off.
    if (
        len(token) >= 4
        and token.isalpha()
        and token not in pinyin_syllables()
        and token not in ROMANISED_SYLLABLES  # King (Fook) is 景, not Kingdom
        and not known_organisation(token)  # Intel is a firm, not intelligent cut off
    ):
        start = bisect_left(vocab.prefixable, token)
        longer = []
        for w in vocab.prefixable[start : start + 3]:
            if w.startswith(token) and len(w) >= len(token) + 2:
                longer.append(w)
        if len(longer) == 1:
            return (longer[0],)
    if (place := place_slip(token)) is not None:  # Wingdao, Ziamen: a neighbouring key
        return (place,)
    if (read := ocr_word(token)) is not None:  # Systerns, lnstitute: a scanner's reading
        return _canonical(read)
    # -ing with its i left out or swapped (Bankng, Bankign; round 30: not any slip of a word
    # there, as Barking is not Banking nor Bowers Blowers)
    if (ing := _ing_slipped(token)) and (ing in vocab.synonyms or ing in vocab.generic):
        return vocab.synonyms.get(ing, (ing,))
    # A misspelt long common word ("technolgy", "limted", "missles") is that word.
    spellings = [token] + [token[:-1]] * (token.endswith("s") and len(token) >= 7)
    for spelling in spellings:
        if len(spelling) >= 6:
            found = _nearest(spelling, vocab.fuzzy_vocabulary)
            if (
                found is not None
                and found != token
                and not _other_place_by_first(spelling, found)
                and not (a_place(found) and _slip_of_known(spelling))
            ):
                return vocab.synonyms.get(found, (found,))
        elif (
            len(spelling) >= 4
            and spelling.isalpha()
            and pinyin_split(spelling) is None
            and spelling not in wade_giles_spellings()
            and spelling not in (vocab.other_places or {})  # Pars is not Parts
        ):
            # A short word with a letter left out (powr, stel) or its first letter slipped
            # (xroup) is that common word.
            found = _nearest(spelling, vocab.short_fuzzy) or doubled_slip(spelling)  # Easst
            if found is not None and (len(found) != len(spelling) or found[0] != spelling[0]):
                return vocab.synonyms.get(found, (found,))
            if len(spelling) == 5 or (len(spelling) == 4 and not plausible(spelling)):
                # A common word of five letters with two letters swapped (chnia, gropu); not
                # one replaced (Chint is a name, not China) nor a pinyin word's swapped (chagn);
                # one of four when the slip makes letters no word has together (Bnak, the
                # twentieth round).
                found = _nearest(spelling, _swap_words(len(spelling)))
                if (
                    found is not None
                    and sorted(found) == sorted(spelling)
                    and not _swapped_pinyin(spelling, found)
                ):
                    return vocab.synonyms.get(found, (found,))
    return (token,)


def _slip_of_known(word: str) -> bool:
    """Whether `word` is a word of a known organisation's name with two neighbouring letters
    swapped: then a slip of it, not of a place one letter away (Tsinghau is Tsinghua, not
    Tsinghai, Qinghai)."""
    swaps = (word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
    known = known_words()
    return any(w in known for w in swaps if w != word)


def _other_place_by_first(spelling: str, found: str) -> bool:
    """Whether `found` is a place's other name (Kamenskoye) that `spelling` meets only by
    another first letter, neither a neighbouring key's (Snadolu is Anadolu) nor another
    romanisation's (Jerevan is Yerevan): a name of its own (Ramenskoye, a town of its own) is
    not read as that place."""
    first = {spelling[:1], found[:1]}
    return (
        found in (vocabulary().other_places or {})
        and len(first) == 2
        and not neighbour_slip(spelling[:1], found[:1])
        and first not in _ROMANISED_FIRST  # Jekaterinburg, Charkov, Wilnius: other spellings
    )


# First letters two romanisations of one place's name differ by (j y, c k, w v, q k, g h)
_ROMANISED_FIRST = [set(p) for p in ("jy", "ck", "wv", "qk", "gh")]


def plausible(word: str) -> bool:
    """Whether every pair of neighbouring letters of `word` is one that common words have: then
    it may be a word or name of its own (Chint, Tower, or a pronounceable slip: Stefl), not a
    slip (Chinr, Xroup)."""
    pairs = _pairs()
    return all(p in pairs for p in _letter_pairs(word))


def wordlike(word: str) -> bool:
    """A word of six letters or fewer that begins with two letters common words begin with and
    has only pairs of neighbouring letters that they have (Tower, Sower; not Tnstitute)."""
    return len(word) <= 6 and "^" + word[:2] in _starts() and plausible(word)


@cache
def _starts() -> frozenset[str]:
    return frozenset("^" + w[:2] for w in _slip_words() if len(w) >= 2)


@cache
def _pairs() -> frozenset[str]:
    """The pairs of neighbouring letters (^ and $ for the ends) of the common words."""
    return frozenset(p for w in _slip_words() for p in _letter_pairs(w))


@cache
def _slip_words() -> frozenset[str]:
    """The common words whose letters tell a slip from a word: not [places_more] (Kaohsiung's
    letters would make Ohina a word)."""
    vocab = vocabulary()
    return vocab.generic - vocab.no_slips


def _letter_pairs(word: str) -> list[str]:
    marked = f"^{word}$"
    return [marked[k : k + 2] for k in range(len(marked) - 1)]


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
    if best is None and len(word) >= 5 and pinyin_split(word) is None and not wordlike(word):
        # A slip in the first letter (Xechnology, Tnstitute): the rest as the word has it; not
        # for pinyin, where it makes another name (Luzhou, Suzhou), nor for a short word that
        # begins and goes on as common words do, which may be a word of its own (Tower is not
        # Power; a long one, Bational, is a slip).
        tails = _tails(words)
        best = tails.get(word[1:]) or tails.get("^" + word[1] + word[0] + word[2:])
    return best


@cache
def _swap_words(size: int) -> tuple[str, ...]:
    return tuple(sorted(w for w in _slip_words() if len(w) == size and w.isalpha()))


def _swapped_pinyin(word: str, meant: str) -> bool:
    """Two neighbouring letters of `word` swapped make a pinyin word other than `meant`."""
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return any(pinyin_split(s) is not None for s in swaps - {meant})


@cache
def _tails(words: tuple[str, ...]) -> dict[str, str]:
    """Words by all but their first letter, and (after ^) by their first two swapped."""
    found: dict[str, str] = {}
    for w in sorted(words, reverse=True):
        if len(w) >= 5 and pinyin_split(w) is None:
            found[w[1:]] = w
            found["^" + w] = w
    return found


@cache
def _buckets(words: tuple[str, ...]) -> dict[tuple[str, int], tuple[str, ...]]:
    found: dict[tuple[str, int], list[str]] = {}
    for w in words:
        found.setdefault((w[0], len(w)), []).append(w)
    return {k: tuple(v) for k, v in found.items()}


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
