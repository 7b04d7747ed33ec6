"""The word lists of party-name matching, loaded once from trade/data/name_words.toml (data,
not code: legal forms, stop words, abbreviations, common words, the glossary of Chinese words,
places and their older spellings, traditional characters, readings, phrases, related words),
with what is derived from them (the pinyin of glossary words, the joins worth making, the
words a misspelling may stand for). Plain Python (no Django).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from trade.syllables import pinyin_split, sound_key

DATA = Path(__file__).resolve().parent / "data" / "name_words.toml"

ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"
)  # fmt: skip


@dataclass(frozen=True)
class Vocabulary:
    latin_legal: tuple[tuple[str, ...], ...]  # phrases as word tuples, longest first
    cjk_legal: tuple[str, ...]  # longest first
    stopwords: frozenset[str]
    joining: frozenset[str]  # [stopwords] joining: dropped between words of another language
    foreign_pinyin: dict[str, tuple[str, ...]]  # [foreign_words_pinyin]: read in context only
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
    partial: frozenset[str]  # words of a company's kind, half weight left out of a partial name
    word_class: dict[str, bool]  # common words: whether faint
    related: frozenset[tuple[str, str]]  # common words that stand for each other, both ways
    pinyin_glossary: dict[str, tuple[str, ...]]  # joined pinyin of glossary words → words
    no_slips: frozenset[str]  # places no slip is read as ([places_more]), nor their letters
    articles: frozenset[str] = frozenset()  # faint words that pieces of a word may join across
    # legal-form words that name a group, another legal entity than its members (NORINCO Group,
    # NORINCO): the known-names lookup (trade.known_names) keeps them
    group_words: frozenset[str] = frozenset()
    # legal forms that are names too (A.O. Smith): one only before two words or more
    leading_legal: frozenset[str] = frozenset()
    trailing_legal: frozenset[str] = frozenset()  # and removed last before two words or more
    other_places: dict[str, str] | None = None  # [places_other_names]: spelling → first one
    # legal forms in Cyrillic, first or last in a name
    cyrillic_legal: tuple[str, ...] = ()
    native_legal: tuple[str, ...] = ()  # Thai and Korean legal forms, for known names' keys
    # [partial] words that name a trade
    partial_trades: frozenset[str] = frozenset()
    schools: frozenset[str] = frozenset()  # [partial] schools: university, institute …
    fields: frozenset[str] = frozenset()  # [partial] fields: a school's field (medical)
    han_fields: tuple[str, ...] = ()  # [partial] han_fields: 理工, 科技 … before 大学 or 学院
    foreign: dict[str, tuple[str, ...]] | None = None  # [foreign_words]: spelling → word(s)
    # [foreign_compounds]: the last word of a German or Nordic compound → its word(s)
    compound_tails: dict[str, tuple[str, ...]] | None = None


@cache
def vocabulary() -> Vocabulary:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    synonyms: dict[str, tuple[str, ...]] = {
        k: tuple(v.split()) for k, v in data["abbreviations"].items() if k != v
    }
    glossary: dict[str, tuple[str, ...]] = {
        k: tuple(v.split()) for k, v in data["glossary"].items()
    }
    articles = data.get("faint", {}).get("articles", [])
    data.setdefault("faint", {})["words"] = data["faint"].get("words", []) + articles
    generic = set(data["generic"]["words"]) | set(data["generic"].get("words_more", ()))
    generic.update(articles)
    known_joins = set()
    # [places_more] are places like [places], but no slip is read as one of them.
    places = data["places"] | data.get("places_more", {})
    for chinese, spellings in places.items():
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
    # The sector glossary, after the pinyin above: its pinyin is not read as English (too many
    # brands share it; spans still meet a name that writes it). Its words where [glossary] has
    # none, their English words common unless kept distinctive; plurals and British spellings
    # where [abbreviations] has none.
    distinctive = set(data.get("sector_words", {}).get("distinctive", ()))
    for chinese, english in data.get("glossary_sectors", {}).items():
        glossary.setdefault(chinese, tuple(english.split()))
        if len(chinese) >= 2:  # its syllables written apart are joined (Jiao Tong → jiaotong)
            known_joins.add("".join(lazy_pinyin(chinese, style=Style.NORMAL)).replace("v", "u"))
        generic.update(w for w in english.split() if w not in distinctive)
    # round 27c: [foreign_kinds], institution kinds of other languages, win over the tables below
    kinds = data.get("foreign_kinds", {})
    synonyms.update({k: tuple(v.split()) for k, v in kinds.items() if k not in synonyms})
    for section in ("abbreviations_more", "foreign_words"):
        for spelt, word in data.get(section, {}).items():
            if spelt != word:  # round 26: an English plural there read as its word (networks)
                synonyms.setdefault(spelt, tuple(_singular(w, generic) for w in word.split()))
    latin_legal = sorted(
        (tuple(phrase.split()) for phrase in data["legal_forms"]["latin"]),
        key=len,
        reverse=True,
    )
    for phrase in latin_legal:
        known_joins.add("".join(phrase))
    known_joins.update(k for k in synonyms if len(k) >= 4)
    known_joins.update(w for w in generic if len(w) >= 6)  # high tech → hightech
    known_places = {s for spellings in places.values() for s in spellings}
    traditional = {ord(k): v for k, v in data["traditional"].items() if k != v}
    for line in data.get("traditional_more", {}).get("pairs", ()):
        for pair in line.split():
            traditional.setdefault(ord(pair[0]), pair[1])
    legal_joined = {"".join(p) for p in latin_legal}
    # Misspellings are corrected towards English words and places only: a pinyin word one
    # letter from a glossary word (haikang, haiyang) is a different name, not a slip.
    # (and the long words of other languages: Elektronk is Elektronik; a short one, sangyou,
    # is one letter from pinyin names: Sanyou)
    foreign = {w for w in data.get("foreign_words", {}) if len(w) >= 8}
    english = (
        set(data["abbreviations"])
        | foreign
        | {s for spellings in data["places"].values() for s in spellings}
    )
    not_slipped = {s for spellings in data.get("places_more", {}).values() for s in spellings}
    long_words = {w for w in generic | english | legal_joined if len(w) >= 6} - not_slipped
    fuzzy = tuple(sorted(long_words))
    phrases = {tuple(k.split()): tuple(v.split()) for k, v in data.get("phrases", {}).items()}
    for spellings in places.values():  # 市 in pinyin after its city: Shenzhen Shi
        phrases.setdefault((spellings[0], "shi"), (spellings[0],))
    other_places: dict[str, str] = {}
    for first, *others in data.get("places_other_names", {}).get("groups", ()):
        for other in others:
            if " " in other:  # Alma-Ata, Nizhny Novgorod; Ust-Kamenogorskiy, its adjective
                phrases.setdefault(tuple(other.split()), (first,))
                *before, last = other.split()
                adjective = last + ("iy" if last.endswith("sk") else "skiy")
                phrases.setdefault((*before, adjective), (first,))
            else:
                synonyms.setdefault(other, (first,))
                other_places[other] = first
        other_places[first] = first
    return Vocabulary(
        latin_legal=tuple(latin_legal),
        cjk_legal=tuple(sorted(data["legal_forms"]["cjk"], key=len, reverse=True)),
        stopwords=frozenset(data["stopwords"]["latin"]),
        joining=frozenset(data["stopwords"]["joining"]),
        foreign_pinyin={k: tuple(v.split()) for k, v in data["foreign_words_pinyin"].items()},
        group_words=frozenset(data["legal_forms"].get("groups", ())),
        leading_legal=frozenset(data["legal_forms"].get("leading", ())),
        trailing_legal=frozenset(data["legal_forms"].get("trailing", ())),
        cyrillic_legal=tuple(data["legal_forms"].get("cyrillic", ())),
        native_legal=tuple(data["legal_forms"].get("native", ())),
        partial_trades=frozenset(data.get("partial", {}).get("trades", ())),
        schools=frozenset(data.get("partial", {}).get("schools", ())),
        fields=frozenset(data.get("partial", {}).get("fields", ())),
        han_fields=tuple(data.get("partial", {}).get("han_fields", ())),
        foreign={k: tuple(v.split()) for k, v in (data.get("foreign_words", {}) | kinds).items()},
        compound_tails={k: tuple(v.split()) for k, v in data.get("foreign_compounds", {}).items()},
        articles=frozenset(articles),
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
        phrase_starts=frozenset(k[0] for k in phrases),
        legal_joined=frozenset(legal_joined),
        legal_by_first={
            first: tuple(p for p in latin_legal if p[0] == first)
            for first in {p[0] for p in latin_legal}
        },
        # the twentieth round: a slip of a place's other name is that place (Snadolu, Anadolu)
        fuzzy_vocabulary=tuple(
            sorted(set(fuzzy) | {p for p in other_places if len(p) >= 6} - not_slipped)
        ),
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
        places=frozenset(spellings[0] for spellings in places.values()),
        phrases=phrases,
        other_places=other_places,
        faint=frozenset(data.get("faint", {}).get("words", ())),
        partial=frozenset(data.get("partial", {}).get("words", ())),
        word_class={w: w in set(data.get("faint", {}).get("words", ())) for w in generic},
        related=frozenset(
            (a, b) for x, y in data.get("related", {}).get("pairs", ()) for a, b in ((x, y), (y, x))
        ),
        pinyin_glossary=pinyin_glossary,
        place_sounds=_place_sounds([spellings[0] for spellings in data["places"].values()]),
        no_slips=frozenset(not_slipped),
    )


def _singular(word: str, generic: set[str]) -> str:
    """An English plural a foreign word is read as, as English names' plurals are (networks)."""
    if word in generic:
        return word
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        stem = word[: -len(suffix)] + replacement
        if word.endswith(suffix) and len(word) > len(suffix) + 3 and stem in generic:
            return stem
    return word


@cache
def related_roots() -> dict[str, str]:
    """Each related common word (academy, institute) → the least word of its chain of related
    words (plant, factory, works, combine): one word for index keys and bounds, whatever order
    the pairs come in."""
    root: dict[str, str] = {}

    def find(word: str) -> str:
        while root.get(word, word) != word:
            word = root[word]
        return word

    for a, b in sorted(vocabulary().related):
        x, y = find(a), find(b)
        root[x] = root[y] = min(x, y)
    return {word: find(word) for word in root}


def _place_sounds(places: list[str]) -> dict[str, str]:
    by_sound: dict[str, list[str]] = {}
    for place in places:
        by_sound.setdefault(sound_key(place), []).append(place)
    return {key: found[0] for key, found in by_sound.items() if len(found) == 1}
