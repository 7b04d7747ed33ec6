"""Party names brought to a comparable form, in either script. Plain Python (no Django).

`normalise_name("北京华为技术有限公司")` and `normalise_name("Beijing Huawei Technologies Co.,
Ltd.")` both give the words `beijing huawei technology`:

1. Unicode NFKC (full-width letters, digits and brackets become their usual forms), names in
   other scripts romanised (trade.other_scripts: Ростех rostekh, 현대 hyeondae, トヨタ toyota,
   محمد mhmd; Chinese characters, Kanji too, are left to step 2), case folded, accents and
   tone marks dropped (Société → societe, Běijīng → beijing); numbers are one word in either
   script (第十四, 14th, No. 14 → 14); syllables written with hyphens are one word (Chiang-su).
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

The word lists are data (trade/data/name_words.toml, loaded by trade.name_words). Latin runs
are read in trade.latin_words, pinyin syllables and their sounds in trade.syllables, the short
forms a name could have in trade.acronyms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin

from trade.acronyms import name_acronym_heads, name_acronyms
from trade.keyboard import zero_as_letter
from trade.known_names import CJK_RANGE, INITIALS, LETTERS, names_of_initials
from trade.latin_words import latin_words
from trade.name_words import ORDINAL_WORDS, vocabulary
from trade.named_after import clause_surnames
from trade.other_scripts import needs_romanising, romanise
from trade.syllables import APOSTROPHES, is_syllable, pinyin_of_wade_giles, pinyin_split

CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
APOSTROPHES_RE = re.compile(f"[{APOSTROPHES}]")  # ʻ ʼ: Uzbek Oʻzbekiston, one word
# French and Italian articles elided before a vowel (Centre d'Etudes, l'Energie, dell'Industria):
# the article goes with its apostrophe, the word it stood before stays a word of its own.
# German für, for, which folded is the English fur: gone before folding, as a stop word
GERMAN_FOR_RE = re.compile(r"\bf(?:ü|ue)r\b", re.IGNORECASE)
ELISION_RE = re.compile(r"\b(?:d|l|dell|nell|all|qu)['’](?=[aeiouyh])")
# A holding or a group in brackets, as Hong Kong names qualify themselves (Hong Kong Ferry
# (Holdings), 云南锡业集团（控股）): a name written without it is the same name.
# (株): 株式会社; (股): 股份, as Taiwan writes 股份有限公司 short (鴻海精密工業(股)公司)
BRACKETED_RE = re.compile(r"\(\s*(?:holdings?|group|控股|集团|株|股)\s*\)")
# A country in brackets by its initial before its legal form, as Malaysian and Singaporean firms
# write it: Intel Microelectronics (M) Sdn Bhd is (Malaysia), Keppel (S) Pte Ltd (Singapore).
COUNTRY_LETTER_RE = re.compile(
    r"\(\s*(?:(m)\s*\)(?=\s*(?:sdn|sendirian|berhad|bhd)\b)|(s)\s*\)(?=\s*(?:pte|private)\b))"
)
NON_WORD_RE = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ADMINISTRATIVE = frozenset("市省区县")
# A city or county of two characters first in a name (or after its province), 市 or 县 after
# it, that the word lists do not know (义乌市恒达进出口: Yiwu Hengda Import & Export): its own
# word, not run together with the name (not a market, 市场).
# three capitalised words or more written together (the sixteenth round)
CAMEL_RE = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+){2,}\b")
CAMEL_PART_RE = re.compile(r"[A-Z][a-z]+")
CITY_FIRST_RE = re.compile(
    rf"(?:^|(?<=省)|(?<=\s))([{CJK_RANGE}]{{2}})[市县](?=[{CJK_RANGE}]{{2}})(?!场)"
)
# Chinese numbers: 第十四 (positional) and 七一八研究所 / 二〇三 (digit by digit).
CN_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER_RE = re.compile(
    r"第([〇零一二两三四五六七八九十百千]+)|([〇零一二三四五六七八九]{2,})(?=研究|所|厂|院|分厂)"
    # a numbered institute without 第, in tens (五十五所, round 29)
    r"|(?<![〇零一二两三四五六七八九十百千])([一二三四五六七八九]?十[一二三四五六七八九]?)(?=研究所|所)"
)
# A numbered institute written short, its number and 所 (五十五所, 55所: the 55th Research
# Institute; not 所属, affiliated)
NUMBERED_SUO_RE = re.compile(r"(?<=[0-9])\s*所(?![属有])")
# The same written in pinyin after di (第): Gongsi Di Shisi Yanjiusuo, di ershiyi.
PINYIN_NUMERALS = {
    "ling": "零", "yi": "一", "er": "二", "san": "三", "si": "四", "wu": "五", "liu": "六",
    "qi": "七", "ba": "八", "jiu": "九", "shi": "十", "bai": "百",
}  # fmt: skip
_NUMERAL = "(?:ling|yi|er|san|si|wu|liu|qi|ba|jiu|shi|bai)"
PINYIN_NUMERAL_RE = re.compile(_NUMERAL)
# (within a name, not first: Di Si Trading may be 迪斯)
PINYIN_NUMBER_RE = re.compile(rf"(?<=[a-z] )di ((?:{_NUMERAL} ?)*{_NUMERAL})\b(?= [a-z])")
# A known organisation's initials in the name of a numbered unit of it (CETC 54th Research
# Institute, Fourth Academy of CASC): the unit is named with the organisation's name written out
# as often.
NUMBERED_RE = re.compile(rf"\d|第|\b(?:{'|'.join(ORDINAL_WORDS)})\b", re.IGNORECASE)
# Wade-Giles written with hyphens (Chiang-su).
HYPHENATED_RE = re.compile(r"[a-z]+(?:-[a-z]+)+")
WADE_GILES_RE = re.compile(f"[a-z{APOSTROPHES}]+(?:-[a-z{APOSTROPHES}]+)+")
# The Persian ezafe written after a hyphen (Sherkat-e Kashtirani-ye Iran): not a word
EZAFE_RE = re.compile(r"(?<=[a-z]{3})-y?e\b")


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
        return name_acronyms(self.initial_words, self.words)[0]

    @property
    def acronym_stems(self) -> tuple[str, ...]:
        """Letters by pinyin syllable whose first 3 or more a short form could be too."""
        return name_acronyms(self.initial_words, self.words)[1]

    def acronym_heads(self) -> frozenset[str]:
        """The first three letters of every acronym and stem, cheaply (a superset)."""
        return name_acronym_heads(self.initial_words, self.words)

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
    text = unicodedata.normalize("NFKC", text)
    if needs_romanising(text):  # Cyrillic, Hangul, Kana, Arabic … (trade.other_scripts)
        text = romanise(_cyrillic_legal_re().sub(" ", text).strip() or text)
    text = text.casefold()
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(LETTERS)
    return unicodedata.normalize("NFC", text).translate(vocabulary().traditional)


@cache
def _cyrillic_legal_re() -> re.Pattern[str]:
    """A legal form in Cyrillic first or last in a name ([legal_forms] cyrillic: АО «НПП
    «Исток», ДП «Антонов», ТОО, ААТ), where it is never a name."""
    forms = "|".join(sorted(map(re.escape, vocabulary().cyrillic_legal), key=len, reverse=True))
    return re.compile(rf"^\s*(?:{forms})(?=[\s«\"“„])|(?<=[\s»\"”])(?:{forms})\s*$", re.IGNORECASE)


def _country_of_letter(match: re.Match[str]) -> str:
    return " malaysia " if match.group(1) else " singapore "


def normalise_name(text: str, *, generic_weight: float = 0.35) -> NameForm:
    return _normalise(text, generic_weight)


@lru_cache(maxsize=400_000)
def _normalise(given: str, generic_weight: float) -> NameForm:
    vocab = vocabulary()
    text = zero_as_letter(clause_surnames(given))  # round 27b: Keldysh; 0-Film: O-Film
    if text.isascii() and CAMEL_RE.search(text):  # ChengduTianaoXinxiKejiYouxianGongsi
        text = CAMEL_RE.sub(_camel_pinyin, text)
    if INITIALS.search(text) and NUMBERED_RE.search(text):
        text = INITIALS.sub(_initials_written_out, text)
    if "ü" in text or "ue" in text:
        text = GERMAN_FOR_RE.sub(" ", text)
    folded = fold(text)
    if "'" in folded or "’" in folded:
        folded = ELISION_RE.sub(" ", folded)
        if "-" in folded:  # Wade-Giles with its apostrophes, which tell t from d (Hang-t'ien)
            folded = WADE_GILES_RE.sub(_wade_giles, folded)
    folded = APOSTROPHES_RE.sub("", folded)
    if "第" in folded or "研究" in folded or "所" in folded or "厂" in folded:
        folded = CN_NUMBER_RE.sub(_cn_number, folded)
        folded = NUMBERED_SUO_RE.sub(" 研究所", folded)
    if "di " in folded:  # Di Shisi Yanjiusuo: 第十四 written in pinyin
        folded = PINYIN_NUMBER_RE.sub(_pinyin_number, folded)
    if "(" in folded:
        folded = BRACKETED_RE.sub(" ", folded)
        folded = COUNTRY_LETTER_RE.sub(_country_of_letter, folded)
    if "-" in folded:
        folded = EZAFE_RE.sub("", folded)
        folded = HYPHENATED_RE.sub(_hyphenated, folded)
    folded = NON_WORD_RE.sub(" ", folded)
    if "市" in folded or "县" in folded:  # 义乌市恒达: the city a word of its own
        folded = CITY_FIRST_RE.sub(r"\1 ", folded)
    words: list[str] = []
    hanzi: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pinyin: set[str] = set()
    cjk_parts: list[str] = []
    raw_latin: list[str] = []  # words before legal forms went, for acronyms
    position = 0
    for match in CJK_RE.finditer(folded):
        latin, raw = latin_words(folded[position : match.start()])
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
    latin, raw = latin_words(folded[position:])
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
        text=given,
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


def _initials_written_out(match: re.Match[str]) -> str:
    return names_of_initials().get(match.group(), match.group())


def _camel_pinyin(match: re.Match[str]) -> str:
    """Pinyin words written together, each with a capital, apart (not PetroChina)."""
    parts = CAMEL_PART_RE.findall(match.group())
    return " ".join(parts) if all(pinyin_split(p.lower()) for p in parts) else match.group()


def _cn_number(match: re.Match[str]) -> str:
    """第十四 → 14, 三十八 → 38, 二〇三 → 203 (as a word of its own)."""
    return _numerals_value(match.group(1) or match.group(2) or match.group(3))


def _numerals_value(numerals: str) -> str:
    """Chinese numerals as a number, a word of its own: 十四 → " 14 ", 二〇三 → " 203 "."""
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


def _pinyin_number(match: re.Match[str]) -> str:
    """Di Shisi → 14, di ershiyi → 21: the syllables as their characters, then their value."""
    return _numerals_value(
        "".join(PINYIN_NUMERALS[x] for x in PINYIN_NUMERAL_RE.findall(match.group(1)))
    )


def _hyphenated(match: re.Match[str]) -> str:
    """Syllables written with hyphens (Wade-Giles Chiang-su, Shuang-liang) are one word; other
    hyphenated words (Rolls-Royce, High-Tech) are words."""
    parts = match.group().split("-")
    if all(is_syllable(part) for part in parts):
        return pinyin_of_wade_giles(parts, _read_as_word) or "".join(parts)
    return " ".join(parts)


def _wade_giles(match: re.Match[str]) -> str:
    """Syllables written with hyphens and Wade-Giles apostrophes (Hang-t'ien, Chi-t'uan) as the
    one word in pinyin they read as, else as written."""
    parts = match.group().split("-")
    if not all(is_syllable(APOSTROPHES_RE.sub("", part)) for part in parts):
        return match.group()
    return pinyin_of_wade_giles(parts, _read_as_word, marked=True) or match.group()


def _read_as_word(pinyin: str) -> bool:
    """Whether a word in pinyin reads as words of the lists (keji, zhongguo; jituan, a group)."""
    vocab = vocabulary()
    return pinyin in vocab.synonyms or pinyin in vocab.group_words or (pinyin,) in vocab.latin_legal


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
        segments = _segments(piece)
        for at, (kind, i, end, size) in enumerate(segments):
            if _joining(piece, segments, at):
                continue
            if kind == "g":
                english = vocab.glossary[piece[i : i + size]]
                translated.append((len(words), len(english), reading_of(piece[i : i + size])))
                words += english
                chars += [""] * len(english)
            elif kind == "d":
                words.append(piece[i:end])
                chars.append("")
            else:
                words.append(reading_of(piece[i:end]))
                chars.append(piece[i:end])
                romanised.add(words[-1])
    return words, chars, romanised, run.replace(" ", ""), translated


# "And" between two words of a name (计算机技术及应用, Computer Technology and Applications)
CJK_AND = frozenset("及与")


def _joining(piece: str, segments: tuple[_Segment, ...], at: int) -> bool:
    """Whether a segment is 及 or 与 alone between two glossary words: "and", no word (round 30)."""
    kind, i, end, _size = segments[at]
    return (
        kind == "r"
        and piece[i:end] in CJK_AND
        and 0 < at < len(segments) - 1
        and segments[at - 1][0] == segments[at + 1][0] == "g"
    )


# A piece's segments: (kind, start, end, size): a glossary word ("g", its size; the end takes in
# the administrative character after a place), a number ("d") or characters romanised ("r").
_Segment = tuple[str, int, int, int]


@lru_cache(maxsize=50_000)
def _segments(piece: str) -> tuple[_Segment, ...]:
    """A run of characters cut into glossary words, numbers and the characters between, so
    that the fewest characters are left untranslated, then the fewest of them stand alone
    (新光电气 is 新光 + 电气 electric, not 新 + 光电 optoelectronic + 气), then the fewest
    segments; among equals the longest glossary word first."""
    vocab = vocabulary()
    n = len(piece)
    tokens: list[list[_Segment]] = [[] for _ in range(n)]  # segments that are not runs, by start
    for i in range(n):
        if piece[i].isdigit():
            if i == 0 or not piece[i - 1].isdigit():
                end = i
                while end < n and piece[end].isdigit():
                    end += 1
                tokens[i].append(("d", i, end, end - i))
            continue
        for size in range(min(vocab.glossary_max, n - i), 1, -1):
            word = piece[i : i + size]
            if word in vocab.glossary:
                end = i + size
                # 深圳市, 广东省: the administrative word after a place says nothing.
                if vocab.glossary[word][-1] in vocab.generic and piece[end : end + 1] in (
                    ADMINISTRATIVE
                ):
                    end += 1
                tokens[i].append(("g", i, end, size))
        if i == n - 1 and i and piece[i] in vocab.glossary:  # a last 厂: the name's factory
            tokens[i].append(("g", i, n, 1))
    # best[i][after_run]: (cost, segments) of piece[i:], where a run may not start right
    # after a run; cost = (characters untranslated, single characters untranslated, segments).
    Best = tuple[tuple[int, int, int], tuple[_Segment, ...]]
    best: list[list[Best | None]] = [[None, None] for _ in range(n + 1)]
    best[n] = [((0, 0, 0), ()), ((0, 0, 0), ())]
    for i in range(n - 1, -1, -1):
        for after_run in (False, True):
            found: Best | None = None
            options: list[tuple[_Segment, bool]] = [(t, False) for t in tokens[i]]
            if not after_run and not piece[i].isdigit():
                end = i + 1
                while True:
                    if end == n or tokens[end]:
                        options.append((("r", i, end, end - i), True))
                    if end == n or piece[end].isdigit():
                        break
                    end += 1
            for segment, is_run in options:
                rest = best[segment[2]][1 if is_run else 0]
                if rest is None:
                    continue
                length = segment[3] if is_run else 0
                cost = (
                    rest[0][0] + length,
                    rest[0][1] + (length == 1),
                    rest[0][2] + 1,
                )
                if found is None or cost < found[0]:
                    found = (cost, (segment, *rest[1]))
            best[i][1 if after_run else 0] = found
    result = best[0][0]
    assert result is not None  # a run of one character can always start a segment
    return result[1]


def reading_of(chinese: str) -> str:
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


def has_han(text: str) -> bool:
    return bool(HAN_RE.search(text))
