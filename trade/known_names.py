"""Known other names of organisations that matter for export control, loaded once from
trade/data/known_names.csv. Plain Python (no Django).

Some names cannot be matched from their letters because they are translations, brands or
abbreviations, not transliterations: 科大讯飞 is iFlytek, 宁德时代 is CATL, 洛克希德·马丁 is
Lockheed Martin. Commercial screening tools carry such a knowledge base; this is ours, as data.
`other_names` is an exact lookup after a light normalisation (no fuzzy matching here: the
matcher decides what to do with the names it is given).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import pycountry

from trade.name_words import vocabulary
from trade.syllables import pinyin_split

DATA = Path(__file__).resolve().parent / "data" / "known_names.csv"
HEADER = ["chinese", "names", "country", "kind", "note"]
KINDS = frozenset({"brand", "translation", "abbreviation", "foreign"})

# The legal forms are name_words.toml's [legal_forms] (trade.name_words), the one home of those
# facts: Latin ones stripped as whole words at the end, phrases too ("Co., Ltd.", "Joint Stock
# Company"; NORINCO keeps its "co"), Chinese and Japanese ones as suffixes (有限公司), but for
# the words of a group ([legal_forms] groups: NORINCO Group is not NORINCO).
WORD = re.compile(r"[^\W_]+")
# Chinese characters (the unified ideographs and extension A): a name in them has Chinese
# (trade.names reads a city first in a name with the same range).
CJK_RANGE = "\u3400-\u9fff"
CJK = re.compile(f"[{CJK_RANGE}]")


class KnownNamesError(ValueError):
    """The known-names file is malformed; the message names the file and line."""


@lru_cache(maxsize=200_000)
def name_key(name: str, *, groups: bool = False) -> str:
    """The lookup key of a name: NFKC, casefolded, traditional characters simplified (台積電 is
    台积电), without punctuation or spaces, without a leading "the" and trailing legal forms
    ("Co., Ltd.", 股份有限公司), and with `groups` the words of a group too (Group, 集团).
    Empty for no letters."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(vocabulary().traditional)
    words = WORD.findall(_without_marks(_without_native_forms(text)))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and _strip_cjk_legal(words[-1], groups, whole=True) == "":
        del words[-1]  # 中微半导体设备(上海)股份有限公司: the form stands alone after a bracket
    words = _initials_joined(words)  # S.A. is sa, S.p.A. spa
    if words and CJK.match(words[0]):  # 株式会社東芝: the Japanese form comes first too
        words[0] = _strip_cjk_leading(words[0], groups)
    legal, longest = _latin_legal(groups)
    size = min(longest, len(words) - 1)
    while size > 0:  # the longest legal form at the end first, then again
        if tuple(words[-size:]) in legal:
            del words[-size:]
            size = min(longest, len(words) - 1)
        else:
            size -= 1
    if words:
        words[-1] = _strip_cjk_legal(words[-1], groups)
    return "".join(words)


@cache
def _latin_legal(groups: bool) -> tuple[frozenset[tuple[str, ...]], int]:
    vocab = vocabulary()
    phrases = [p for p in vocab.latin_legal if groups or vocab.group_words.isdisjoint(p)]
    return frozenset(phrases), max(len(p) for p in phrases)


@cache
def _cjk_legal(groups: bool) -> tuple[str, ...]:
    vocab = vocabulary()
    return tuple(f for f in vocab.cjk_legal if groups or not any(g in f for g in vocab.group_words))


def _strip_cjk_legal(word: str, groups: bool, *, whole: bool = False) -> str:
    """The word without the CJK legal forms it ends with; with `whole`, '' for a word that is
    only legal forms (else it keeps the last)."""
    stripped = True
    while stripped:
        stripped = False
        for form in _cjk_legal(groups):  # longest first
            if word.endswith(form) and (len(word) > len(form) or whole):
                word = word[: -len(form)]
                stripped = True
                break
    return word


def _initials_joined(words: list[str]) -> list[str]:
    """Runs of one-letter Latin words as one word (Petróleo Brasileiro S.A.: s a is sa), so that
    a legal form written with stops is stripped as one written without."""
    out: list[str] = []
    single = False
    for word in words:
        one = len(word) == 1 and word.isascii() and word.isalpha()
        if one and single:
            out[-1] += word
        else:
            out.append(word)
        single = one
    return out


def _strip_cjk_leading(word: str, groups: bool) -> str:
    for form in _cjk_legal(groups):
        if word.startswith(form) and len(word) > len(form):
            return word[len(form) :]
    return word


# The legal forms of Thai and Korean names, which their scripts write as words before or after
# the name (บริษัท ปตท. จำกัด (มหาชน), PTT Public Company Limited; 주식회사, (주)): removed from a
# key wherever they stand (round 27a).
@cache
def _native_forms() -> re.Pattern[str]:
    """[legal_forms] native, longest first, as a key reads them (NFKC, casefolded: the Thai am
    is two characters)."""
    forms = (unicodedata.normalize("NFKC", f).casefold() for f in vocabulary().native_legal)
    return re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))


def _without_native_forms(text: str) -> str:
    forms = _native_forms()
    return forms.sub(" ", text) if forms.search(text) else text


# Latin letters that are not a letter and a combining accent (Spółka, Aktieselskab Ø, Mærsk,
# Vietnamese đ, Turkish ı, Azerbaijani ə: Dövlət, devlet; round 31: Icelandic þ, Þjóðskrá,
# Thjodskra; Maltese ħ, Ħamrun; Sámi ŋ, ŧ), for the matcher (trade.names.fold) and the known
# names' keys alike.
LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "ð": "d", "ə": "e"}
    | {"þ": "th", "ħ": "h", "ŋ": "ng", "ŧ": "t"}
)


def _without_marks(text: str) -> str:
    """Latin letters without their accents (Petróleo is Petroleo; Tập đoàn is Tap đoan), so a
    name typed without them finds its row; other scripts as they are."""
    if text.isascii():
        return text
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text.translate(LETTERS)):
        if unicodedata.combining(char) and out and out[-1] < "\u0250":
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


@dataclass(frozen=True)
class KnownNames:
    """Every organisation's names (Chinese first), and each name's key → that organisation."""

    organisations: tuple[tuple[str, ...], ...]
    index: dict[str, int]
    countries: tuple[str, ...]  # each organisation's country (ISO alpha-2)

    def other_names(self, name: str) -> tuple[str, ...]:
        found = self._row(name)
        if found is None:
            return self._bracket_carried(name)
        return self._others(*found)

    def _others(self, row: int, key: str) -> tuple[str, ...]:
        """The names of organisation `row` but the one found by `key`."""
        return tuple(other for other_key, other in self._keyed[row] if other_key != key)

    def _bracket_carried(self, name: str) -> tuple[str, ...]:
        """A company a known organisation's name names by a place or branch in brackets
        (华为技术（深圳）; China University of Geosciences (Wuhan)): the organisation's other
        names, each with that bracket (Huawei Technologies (深圳)), which meet the company
        written either way and not the organisation itself (round 31). Into a Latin name of
        two words or more (not SMIC (Beijing): the initials' comparison would not see the
        place), into one in characters only from a bracket in characters (characters compare
        by containment, which would not see a Latin place: the round's review)."""
        found = BRACKETED.search(name)
        if found is None or found.start() == 0 or a_country(found.group(1)):
            return ()  # a country so written: another company of the group (Evergreen (UK))
        row = self._row(f"{name[: found.start()]} {name[found.end() :]}")
        if row is None:
            return ()
        bracket = found.group(1)
        return tuple(
            f"{other}（{bracket}）" if CJK.search(other) else f"{other} ({bracket})"
            for other in self._others(*row)
            if (CJK.search(bracket) if CJK.search(other) else " " in other.strip())
        )

    def organisation(self, name: str) -> int | None:
        """The row of the organisation `name` is a name of, by its key alone (a group the file
        does not name apart is its organisation; a city before a brand is read without it);
        None when it is none of them."""
        found = self._row(name)
        return None if found is None else found[0]

    def _row(self, name: str) -> tuple[int, str] | None:
        """(row, the key that found it) of the organisation `name` is a name of, else None."""
        key = name_key(name)
        row = self.index.get(key)
        if row is None:  # a group the file does not name apart is its organisation (泰雷兹集团)
            key = name_key(name, groups=True)
            row = self.index.get(key)
        if row is None and (rest := _without_place(name)):  # Fuzhou Rockchip Electronics
            key = name_key(rest)
            row = self.index.get(key)
        if row is None and (bracketed := _without_bracketed_country(name)):
            rest, country = bracketed
            key = name_key(rest)
            row = self.index.get(key)
            if row is not None and self.countries[row] != country:
                row = None  # Evergreen Marine (UK) Limited: another company of the group
        return None if row is None else (row, key)

    def related(self, a: int, b: int) -> bool:
        """Whether two rows are a group and a member named as it is (中国铝业集团 and 中国铝业,
        Chinalco and Chalco; China North Industries Group Corporation and China North
        Industries Corporation): a name of each reads alike without the group's words."""
        return not self._group_keys[a].isdisjoint(self._group_keys[b])

    @cached_property
    def _group_keys(self) -> tuple[frozenset[str], ...]:
        return tuple(
            frozenset(name_key(name, groups=True) for name in names) for names in self.organisations
        )

    @cached_property
    def _keyed(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        # Each organisation's names with their keys, one name per key (the first spelling), so
        # that a lookup is a dict get and a short scan.
        return tuple(_first_spellings(names) for names in self.organisations)


@cache
def _places() -> tuple[frozenset[str], tuple[str, ...]]:
    """The spellings of the places of name_words.toml (beijing, peking) and their Chinese
    names (北京), longest first."""
    vocab = vocabulary()
    latin = {w for w, words in vocab.synonyms.items() if words[0] in vocab.places}
    chinese = [
        k
        for k, words in vocab.glossary.items()
        if words == (words[0],) and words[0] in vocab.places
    ]
    return frozenset(latin | vocab.places), tuple(sorted(chinese, key=len, reverse=True))


def _without_place(name: str) -> str:
    """A name without the city it begins with before a brand (Tianjin Phytium, 福州瑞芯微电子),
    else ''. Never a school's: the city is part of its name (杭州电子科技大学 is not 电子科技大学,
    Beijing Jiaotong University not Jiao Tong University)."""
    latin, chinese = _places()
    vocab = vocabulary()
    text = unicodedata.normalize("NFKC", name).casefold().translate(vocab.traditional)
    words = WORD.findall(text)
    if not vocab.schools.isdisjoint(words) or any(school in text for school in _cjk_schools()):
        return ""
    # before a brand, not a kind (the Shenyang Institute of Automation is another institute)
    if len(words) >= 2 and words[0] in latin and words[1] not in vocab.generic:
        return " ".join(words[1:])
    if words and CJK.match(words[0]):
        place = next((p for p in chinese if words[0].startswith(p)), "")
        if place and len(words[0]) > len(place) + 1:
            return " ".join([words[0][len(place) :].removeprefix("市"), *words[1:]])
    return ""


COUNTRY_INITIALS = frozenset({"UAE", "ROK", "DPRK", "KSA", "ROC", "GBR", "RSA", "FRG", "GDR"})


@lru_cache(maxsize=10_000)
def a_country(text: str) -> bool:
    """Whether the text is a country's name or code (USA, Cyprus, Hong Kong; ISO 3166)."""
    if text.upper() in COUNTRY_INITIALS or text.upper() == "UK":
        return True
    if text.strip().casefold() in _short_country_names():
        return True
    try:
        pycountry.countries.lookup(text.strip())
    except LookupError:
        return False
    return True


@cache
def _short_country_names() -> frozenset[str]:
    """Countries' names as written short: ISO 3166's before its comma (Korea, Iran, Taiwan,
    Bolivia; round 31) and the short names that ISO writes otherwise."""
    names = {"russia", "vietnam", "laos", "syria", "north korea", "south korea", "macau"}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            written = getattr(country, attribute, "")
            if "," in written:
                names.add(written.split(",")[0].strip().casefold())
    return frozenset(names)


# A country in brackets inside a name (Evergreen Marine Corporation (Taiwan) Ltd.)
BRACKETED = re.compile(r"\s*[(（]\s*([^()（）]+?)\s*[)）]\s*")


def _without_bracketed_country(name: str) -> tuple[str, str] | None:
    """(the name without it, the country's code) for a country a name writes in brackets before
    its legal form (Evergreen Marine Corporation (Taiwan) Ltd.: round 30), else None. The
    organisation it names is one of that country only (Evergreen Marine (UK) Limited is another
    company); a city so written names another company too (SMIC (Beijing)), and a bracket at
    the end a campus or a branch (China University of Geosciences (Wuhan))."""
    found = BRACKETED.search(name)
    if found is None or found.end() == len(name):
        return None
    try:
        country = pycountry.countries.lookup(unicodedata.normalize("NFKC", found.group(1)))
    except LookupError:
        return None
    return name[: found.start()] + " " + name[found.end() :], country.alpha_2


@cache
def _cjk_schools() -> tuple[str, ...]:
    """The glossary's Chinese words for a school (大学, 研究所, 学院)."""
    vocab = vocabulary()
    return tuple(
        k
        for k, words in vocab.glossary.items()
        if CJK.match(k) and not vocab.schools.isdisjoint(words)
    )


def _first_spellings(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each name with its key, one name per key (the first spelling), but for a name in
    Chinese or Japanese script another spelling of the same key too (東芝 and 东芝 are one
    key, and the matcher reads the Japanese kanji as Japanese)."""
    keyed: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    for name in names:
        key = name_key(name)
        first = keyed.setdefault(key, name)
        if first != name and CJK.search(name) and unicodedata.normalize("NFKC", name) != first:
            others.append((key, name))
    return (*keyed.items(), *others)


def load_known_names(path: Path) -> KnownNames:
    """Read and validate a known-names file; raise `KnownNamesError` naming the bad line."""
    organisations: list[tuple[str, ...]] = []
    index: dict[str, int] = {}
    lines: list[int] = []
    countries: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != HEADER:
            raise KnownNamesError(f"{path} line 1: the header must be {','.join(HEADER)}")
        for fields in reader:
            line = reader.line_num
            names, country = _row_names(fields, where=f"{path} line {line}")
            for name in names:
                key = name_key(name)
                if not key:
                    raise KnownNamesError(f"{path} line {line}: {name!r} has no letters")
                other = index.setdefault(key, len(organisations))
                if other != len(organisations):
                    raise KnownNamesError(
                        f"{path} line {line}: {name!r} is already a name of the organisation "
                        f"on line {lines[other]} ({organisations[other][0]})"
                    )
            organisations.append(names)
            lines.append(line)
            countries.append(country)
    return KnownNames(organisations=tuple(organisations), index=index, countries=tuple(countries))


def _row_names(fields: list[str], *, where: str) -> tuple[tuple[str, ...], str]:
    if len(fields) != len(HEADER):
        raise KnownNamesError(f"{where}: {len(fields)} fields, expected {len(HEADER)}")
    chinese, names, country, kind, _note = (field.strip() for field in fields)
    if not chinese or not CJK.search(chinese):
        raise KnownNamesError(f"{where}: the chinese column is missing or has no Chinese")
    others = [name.strip() for name in names.split(";")]
    if not names.strip() or not all(others):
        raise KnownNamesError(f"{where}: the names column is missing or has an empty name")
    if kind not in KINDS:
        raise KnownNamesError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise KnownNamesError(f"{where}: country {country!r} is not an ISO alpha-2 code")
    return (chinese, *others), country


# Initials as a known name writes them (CETC, CASIC, NORINCO), whole words
INITIALS = re.compile(r"\b[A-Z]{3,7}\b")


@cache
def names_of_initials() -> dict[str, str]:
    """Each known organisation's initials (CETC) → its first name in Latin letters of three
    words or more (China Electronics Technology Group Corporation)."""
    found: dict[str, str] = {}
    for names in known_names().organisations:
        full = next((n for n in names[1:] if not CJK.search(n) and len(WORD.findall(n)) >= 3), "")
        for name in names[1:] if full else ():
            if INITIALS.fullmatch(name):
                found.setdefault(name, full)
    return found


@cache
def known_words() -> frozenset[str]:
    """The words of six letters or more of the known organisations' Latin names, but common
    words, places' names and pinyin (tsinghua, rosatom, hikvision; not peking, formosa,
    tianqi)."""
    vocab = vocabulary()
    return frozenset(
        word
        for names in known_names().organisations
        for name in names
        if not CJK.search(name)
        for word in WORD.findall(unicodedata.normalize("NFKC", name).casefold())
        if len(word) >= 6
        and word.isalpha()
        and word not in vocab.generic
        and not a_place(word)
        and pinyin_split(word) is None
    )


def a_place(word: str) -> bool:
    """Whether a Latin word is a place's spelling (Peking, Tsinghai) or one of the other
    names of places (Kharkov, Hellas)."""
    vocab = vocabulary()
    read = vocab.synonyms.get(word, (word,))[0]
    return read in vocab.places or word in (vocab.other_places or {})


@lru_cache(maxsize=1)
def known_names() -> KnownNames:
    """The shipped file, read once per process."""
    return load_known_names(DATA)


@lru_cache(maxsize=200_000)
def organisation_of(name: str) -> int | None:
    """The known-names row `name` is a name of (KnownNames.organisation), None if none."""
    return known_names().organisation(name)


def known_organisation(word: str) -> bool:
    """Whether a word alone is a name of an organisation in the file (Intel, Huawei)."""
    return organisation_of(word) is not None


def related_to(name: str, rows: frozenset[int]) -> bool:
    """Whether `name` is a known name of one of `rows`, or of a group or member named alike."""
    row = organisation_of(name)
    if row is None or not rows:
        return False
    known = known_names()
    return row in rows or any(known.related(row, other) for other in rows)


def country_of(row: int) -> str:
    """The country of the known-names row `row` (ISO alpha-2)."""
    return known_names().countries[row]


def told_apart(name: str, rows: frozenset[int]) -> bool:
    """Whether `name` is a known name of an organisation the file tells apart from every one
    of `rows` (another row, not a group and its member named alike)."""
    return bool(rows) and organisation_of(name) is not None and not related_to(name, rows)


def other_names(name: str) -> tuple[str, ...]:
    """The other known names (Chinese and Latin) of the organisation `name` is a name of, after
    normalisation (case, width, punctuation, legal forms); () when it is none of them."""
    return known_names().other_names(name)
