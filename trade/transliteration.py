"""A coarse key under which romanisations of one non-Chinese name meet (Russian, Arabic,
Korean: Tekhnopromeksport/Technopromexport, Mohammed/Muhammad, Rashid/Rasheed, Kontsern/Concern,
Hyundai/Hyeondae, Iljushin/Ilyushin): the first letter, then the consonants after spellings of
one sound are made one (kh, ch → k; ts, tz, c before e or i → s; c, q, ck → k; x → ks; ph → f;
w → v; j → y) and vowels dropped but for a last one, doubled letters once. Used by the word
comparison (trade.scoring.word_credit) and the index keys (trade.blocking), so bulk screening
and single checks agree. Plain Python (no Django).

Three readings the key cannot make (the eleventh round): Korean words in McCune-Reischauer and
the Revised Romanization (Koryo/Goryeo, Doosan/Tusan, Taesong/Daesong: `korean_key`), short
Arabic words whose vowels alone differ (Said/Saeed, Nour/Noor, Hosn/Husn: `vowel_key`), and
a Russian adjective of a place against the place (Kazanskiy/Kazan, Tulskiy/Tula:
`adjective_roots`).

Arabic script has no short vowels (trade.other_scripts romanises محمد as mhmd): such a word
meets a spelling with vowels by its consonants, long vowels written as w or y
(`consonants_alike`), and the index finds it under the keys those spellings have (`abjad_keys`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from trade.japanese_spellings import japanese_alike
from trade.long_vowels import long_vowel_spellings
from trade.syllables import ROMANISED_SYLLABLES, is_syllable, pinyin_split, sound_key

_RULES = (
    ("gh", "q"),  # Persian ق and غ are one sound, written gh or q (Ghods, Qods)
    ("kh", "k"),
    ("ch", "k"),
    ("ck", "k"),
    ("ph", "f"),
    ("ts", "s"),
    ("tz", "s"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("j", "y"),
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")

# Keys of fewer consonants meet too many other words (Said, Sadi, Soda): after the first
# letter, two in words of six letters or more, three in words of five.
MIN_CONSONANTS = 2


@lru_cache(maxsize=200_000)
def transliteration_key(word: str) -> str:
    """The word's key, or '' when it is too short to say (fewer than five letters, or fewer
    consonants after the first letter than MIN_CONSONANTS, one more in five letters) or not
    letters a-z."""
    size = len(word)
    if size < 5 or not word.isascii() or not word.isalpha():
        return ""
    for old, new in _RULES:
        word = word.replace(old, new)
    word = _SOFT_C.sub("s", word).replace("c", "k")
    word = _DOUBLE.sub(r"\1", word)
    key = word[0] + _VOWELS.sub("", word[1:])
    key = _DOUBLE.sub(r"\1", key)
    if len(key) - 1 < MIN_CONSONANTS + (size < 6):
        return ""
    return key + "_" if word[-1] in "aeiouy" else key  # Shield is not ShieldAI


def romanised_alike(a: str, b: str) -> bool:
    """Whether two words (not pinyin, at most a letter apart in length) are two romanisations
    of one word: the same key."""
    key = transliteration_key(a)
    return bool(
        key
        and key == transliteration_key(b)
        and abs(len(a) - len(b)) <= 1
        and pinyin_split(a) is None is pinyin_split(b)
    )


# Vowels the Revised Romanization writes with two letters (eo, eu) or McCune-Reischauer's
# double o (Doosan), and ae: a word with one is a Korean word, never pinyin of a name.
KOREAN_RE = re.compile(r"ae|eo|eu|oo")
# (and the fifteenth round: woo and wu are u, as 대우 is Daewoo and Daeu; shi is si, as 신 is
# Shin and Sin)
_KOREAN_VOWELS = (
    ("woo", "u"),
    ("wu", "u"),
    ("shi", "si"),
    ("yeo", "yo"),
    ("eo", "o"),
    ("eu", "u"),
    ("oo", "u"),
)


def korean_like(word: str) -> bool:
    return bool(KOREAN_RE.search(word))


@lru_cache(maxsize=200_000)
def korean_key(word: str) -> str:
    """The sound key (trade.syllables: k/g, t/d, p/b, ch/j made one) of a Korean word with its
    vowels spelt as McCune-Reischauer spells them (eo, eu → o, u; oo → u), or '' for a word that
    has none of the Revised Romanization's vowels (KOREAN_RE) or fewer than five letters."""
    if len(word) < 4 or not korean_like(word) or not word.isalpha():
        return ""
    for old, new in _KOREAN_VOWELS:
        word = word.replace(old, new)
    return sound_key(word)


@lru_cache(maxsize=200_000)
def korean_u_key(word: str) -> str:
    """korean_key with eo read as u, as older English spellings write ŏ (Joseon, Chosun;
    Hyeonmu, Hyunmu), or '' for a word without eo: a second key for those words only."""
    if "eo" not in word or not korean_key(word):
        return ""
    for old, new in (("eo", "u"), *_KOREAN_VOWELS[2:]):
        word = word.replace(old, new)
    return sound_key(word)


def _sound(word: str) -> str:
    """The sound key of a word that writes no Korean vowel, shi as si (Shinsung, Sinseong)."""
    return sound_key(word.replace("shi", "si"))


# North Korean names keep an r or n first that South Korean ones drop before i and y (Ryonbong,
# Yonbong; Ri, Yi; Nyongbyon, Yongbyon).
_DROPPED_FIRST = re.compile(r"^[rn](?=[iy])")


def korean_initial_dropped(a: str, b: str) -> bool:
    """One word of six letters or more, with and without its first r or n (Ryonbong,
    Yonbong)."""
    return min(len(a), len(b)) >= 6 and (
        _DROPPED_FIRST.sub("", a) == b or _DROPPED_FIRST.sub("", b) == a
    )


def korean_alike(a: str, b: str) -> bool:
    """Two spellings of one Korean word (Koryo, Goryeo; Doosan, Tusan; Taesong, Daesong;
    Chosun, Joseon)."""
    if min(len(a), len(b)) < 4 or not (korean_like(a) or korean_like(b)):
        return False
    keys_a = {korean_key(a) or _sound(a), korean_u_key(a)} - {""}
    keys_b = {korean_key(b) or _sound(b), korean_u_key(b)} - {""}
    return not keys_a.isdisjoint(keys_b)


_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_UNSPOKEN = re.compile(r"[^aeiouy]{3}|^[^aeiouy]+$")
_DIGRAPHS = frozenset({"kh", "sh", "th", "ch", "gh", "dh", "zh", "ph"})
# Arabic th and dh inside a word, as Turkish, Persian and Urdu say them (Othman, Osman;
# Ramadhan, Ramazan); not first (Thomas is not Samos) nor last (Roth is not Ross).
_MEDIAL_TH = re.compile(r"(?<=[aeiouy])th(?=[a-z])")
_MEDIAL_DH = re.compile(r"(?<=[aeiouy])dh(?=[a-z])")


@lru_cache(maxsize=200_000)
def vowel_key(word: str) -> str:
    """The key of a short word (4-7 letters, not a Chinese syllable, not pinyin) under which
    its spellings with other vowels meet: the first letter, the consonants after the spellings
    of one sound are made one (transliteration_key's rules), how many runs of vowels, and
    whether it ends in a vowel (Said, Saeed → sd1; Hosny, Husni → hsn2_; Hasan, Hosn stay
    apart; a th or dh after a vowel is s or z: Othman, Osman); '' for other words."""
    if pinyin_split(word) is not None:
        return ""
    return spoken_vowel_key(word)


@lru_cache(maxsize=200_000)
def spoken_vowel_key(word: str) -> str:
    """vowel_key, pinyin words too (Huda, hu-da, is Hoda): the index's key."""
    if not 4 <= len(word) <= 7 or not word.isascii() or not word.isalpha():
        return ""
    if is_syllable(word) or word in ROMANISED_SYLLABLES:
        return ""
    spelt = _MEDIAL_TH.sub("s", _MEDIAL_DH.sub("z", word))
    if _UNSPOKEN.search(spelt) or (
        word[1] not in "aeiouy"
        and word[:2] not in _DIGRAPHS
        # Osman, Omran; Arya, Aria (the twentieth round: four letters ending in a vowel);
        # not AVIC
        and (word[0] not in "aeiouy" or (len(word) < 5 and word[-1] not in "aeiouy"))
    ):
        return ""  # initials (TBEA, CRRC, TCOM), not a word spoken
    for old, new in _RULES:
        spelt = spelt.replace(old, new)
    spelt = _DOUBLE.sub(r"\1", _SOFT_C.sub("s", spelt).replace("c", "k"))
    consonants = _DOUBLE.sub(r"\1", spelt[0] + _VOWELS.sub("", spelt[1:]))
    if len(consonants) < 2:
        return ""
    runs = len(_VOWEL_RUNS.findall(spelt[1:])) + (spelt[0] in "aeiouy")
    return f"{consonants}{runs}" + ("_" if spelt[-1] in "aeiouy" else "")


def vowels_alike(a: str, b: str) -> bool:
    """Two short romanisations of one word that differ in their vowels (Nour, Noor; Qasim,
    Kassem; Yusuf, Youssef; Huda, Hoda): the same key, at most two letters apart in length,
    not both pinyin."""
    key = spoken_vowel_key(a)
    return bool(
        key
        and key == spoken_vowel_key(b)
        and abs(len(a) - len(b)) <= 2
        and (vowel_key(a) or vowel_key(b))  # one of them not pinyin (Huda, Hoda)
    )


# A Russian adjective of a place: Kazanskiy (Kazan), Izhevskiy (Izhevsk), Tulskiy (Tula); not
# -sky, the ending of surnames as English writes them (Sikorsky is not Sikor).
ADJECTIVE_RE = re.compile(r"([a-z]{3,})sk(?:iy|ii|ij|yy|aya|oye|oe|ogo|oy|oi)")


@lru_cache(maxsize=200_000)
def adjective_roots(word: str) -> tuple[str, ...]:
    """The place a Russian adjective may be made from, written as the place (kazan, izhevsk):
    its stem and its stem with -sk; () for other words."""
    found = ADJECTIVE_RE.fullmatch(word)
    if not found:
        return ()
    return (found.group(1), found.group(1) + "sk")


def adjective_of(a: str, b: str) -> bool:
    """Whether one word is a Russian adjective of the other, a place (Uralskiy, Ural; Tulskiy,
    Tula: the place's last vowel goes), each in any romanisation (Ulyanovskiy, Ulianovsk)."""
    for adjective, place in ((a, b), (b, a)):
        roots = tuple(map(cyrillic_spelling, adjective_roots(adjective)))
        spelt = cyrillic_spelling(place)
        if (
            roots
            and not adjective_roots(place)
            and (
                spelt in roots
                or (place[-1] in "aeiouy" and spelt[:-1] in roots[:1])
                # a place in -i gains -n- (Mytishchinskiy, Mytishchi; Khimkinskiy, Khimki)
                or (place[-1] in "iy" and roots[0] == spelt + "n")
                # a letter more or less in a long place (Peterburgskaya, Petersburg)
                or (len(spelt) >= 8 and Levenshtein.distance(spelt, roots[0], score_cutoff=1) <= 1)
            )
        ):
            return True
    return False


# The letters of Russian, Ukrainian and Belarusian that romanisations write differently (BGN,
# ISO 9, the Library of Congress, passports): х kh or h, ц ts or c, е ye or e, ё yo or e, я ya,
# ia or ja, ю yu, iu or ju, й and ы y, i or j, the endings -iy, -yy, -yi, -ii, -ij, -y.
# (and French: ж j, у ou: Joukovski, Zhukovsky)
_CYRILLIC_SPELLINGS = (
    ("ie", "e"),  # ье ye or ie (Yuryevskiy, Iurievskii), before zh, j and y give i
    ("tch", "ch"),  # ч as French writes it (Tcheliabinsk, Chelyabinsk)
    ("kh", "h"),
    ("ts", "c"),
    ("zh", "j"),
    ("ou", "u"),
    ("ye", "e"),
    ("yo", "e"),
    ("j", "y"),
    ("y", "i"),
)
_RUNS_OF_I = re.compile(r"i{2,}")


@lru_cache(maxsize=200_000)
def cyrillic_spelling(word: str) -> str:
    """A word as one spelling of its Cyrillic letters (Khabarovskiy, Habarovsky → habarovski;
    Tsentralnyy, Central'nyi → centralni; Mashinostroyeniya, Mashinostroeniia →
    mashinostroenia); other words come out changed too, so compare only two keys."""
    for old, new in _CYRILLIC_SPELLINGS:
        word = word.replace(old, new)
    return _RUNS_OF_I.sub("i", word)


def cyrillic_key(word: str) -> str:
    """cyrillic_spelling of a word of five letters or more, not pinyin (Tianjin and Tianyin
    are two names), else ''."""
    if len(word) < 5 or not word.isascii() or not word.isalpha() or pinyin_split(word):
        return ""
    return cyrillic_spelling(word)


# Every ending of a Russian or Ukrainian adjective in -k- (-sky, -skogo; Gorky, Gorkogo; and
# -sky, as English writes it).
_ADJECTIVE_ENDING_RE = re.compile(
    r"(?<=[a-z]{3}k)(?:iy|ii|ij|yy|yi|y|i|aya|aia|aja|oye|oe|ogo|oy|oi|ikh|ykh|iye|ie|aia)$"
)


@lru_cache(maxsize=200_000)
def adjective_stem(word: str) -> str:
    """A Russian adjective in -k- without its ending, spelt one way (Kasperskogo, Kaspersky
    → kaspersk; Gorkogo, Gorky → gork), or '' for other words."""
    if len(word) < 5 or not word.isascii():
        return ""
    stem = _ADJECTIVE_ENDING_RE.sub("", word)
    return cyrillic_spelling(stem) if stem != word else ""


# The case and adjective endings of Russian, Ukrainian and Belarusian words as cyrillic_spelling
# writes them (-yy, -aya, -oye, -ogo, -ykh, -iya, -ov, -ami, -ei ...), longest first.
_RUSSIAN_ENDING_RE = re.compile(
    r"(?:ogo|ego|omu|emu|imi|ami|aia|ih|ah|oe|ie|ia|ii|oi|ei|ai|ov|ev|om|em|im|a|e|i|o|u)$"
)
RUSSIAN_STEM = 5  # letters a stem keeps: shorter ones meet too many other words


@lru_cache(maxsize=200_000)
def russian_stem(word: str) -> str:
    """A Russian or Ukrainian word without its case or adjective ending, spelt one way
    (Mashinostroitelnyi, Mashinostroitelnaya → mashinostroiteln; Tyazhelogo, Tyazhelyy →
    tiaiel; Zavoda, Zavod → zavod), or '' for a short word or pinyin."""
    key = cyrillic_key(word)
    if not key:
        return ""
    stem = _RUSSIAN_ENDING_RE.sub("", key)
    return stem if len(stem) >= RUSSIAN_STEM else ""


def cyrillic_alike(a: str, b: str) -> bool:
    """Two romanisations of one Russian or Ukrainian word (Yaroslavskiy, Yaroslavsky;
    Yuzhnyy, Yuzhny; Tekhtorg, Tehtorg), or one adjective in two cases (Kasperskogo,
    Kaspersky)."""
    key = cyrillic_key(a)
    if key and key == cyrillic_key(b):
        return True
    stem = adjective_stem(a)
    return bool(stem) and stem == adjective_stem(b)


# Arabic written as its script writes it, without short vowels (trade.other_scripts: محمد mhmd,
# سعيد syd, منصور mnswr): a word whose letters after the first are all consonants, w or y.
_ABJAD_VOWEL = re.compile(r"[aeiou]")
# Long vowels that Latin spellings write with two letters or last, and Arabic with و or ي
# (Mansour mnswr, Saeed syd, Hussein hsyn, Ali aly): Mahmoud is not محمد, Mansouri not منصور.
_LONG_VOWELS = (("ou", "w"), ("oo", "w"), ("uu", "w"), ("ee", "y"), ("ei", "y"), ("ai", "y"))
_LAST_VOWEL = re.compile(r"[iy]$|(?<=[^aeiou])u$")


def abjad_like(word: str) -> bool:
    # the vowel first: it turns away almost every word written with vowels at once
    return (
        _ABJAD_VOWEL.search(word, 1) is None
        and 3 <= len(word) <= 12
        and word.isascii()
        and word.isalpha()
    )


def _consonants(spelt: str) -> str:
    """The letters a word written with vowels and one written without share: a first vowel
    as a, the consonants after transliteration_key's rules, doubled letters once."""
    if spelt[0] in "aeiou":
        spelt = "a" + spelt[1:]
    for old, new in _RULES:
        spelt = spelt.replace(old, new)
    spelt = _SOFT_C.sub("s", spelt).replace("c", "k")
    return _DOUBLE.sub(r"\1", spelt[0] + _ABJAD_VOWEL.sub("", spelt[1:]))


@lru_cache(maxsize=100_000)
def latin_consonants(word: str) -> str:
    """A word with vowels (Mohammed, Saeed) as Arabic would write it: long vowels as w or y."""
    spelt = _LAST_VOWEL.sub(lambda m: "w" if m.group() == "u" else "y", word)
    for old, new in _LONG_VOWELS:
        spelt = spelt.replace(old, new)
    return _consonants(spelt)


def abjad_readings(word: str) -> frozenset[str]:
    """What a word written without vowels may be in Latin letters (_consonants): each w or y
    after the first letter a long vowel (left out) or a consonant, a last h (ة) spoken or not;
    readings of fewer than three letters meet too many words (Nour's nr: Nora, Nair)."""
    return frozenset(c for c in _all_readings(word) if len(c) >= 3)


@lru_cache(maxsize=50_000)
def _all_readings(word: str) -> frozenset[str]:
    if not abjad_like(word):
        return frozenset()
    found = {""}
    optional = 0
    for i, letter in enumerate(word):
        if i and letter in "wy" and optional < 4:
            optional += 1
            found = {f + x for f in found for x in (letter, "")}
        else:
            found = {f + letter for f in found}
    if word.endswith("h") and len(word) > 3:
        found |= {f[:-1] for f in found if f.endswith("h")}
    return frozenset(_consonants(f) for f in found)


def consonants_alike(a: str, b: str) -> bool:
    """A word written without vowels (Arabic script) and one with them: the same consonants
    (mhmd Mohammed, Muhammad; syd Saeed, Said; hsyn Hussein), not Mahmoud nor Mansouri. Not a
    word's first letters, a piece of it written apart (Embr aer, Skyd io: Embraer, Skydio)."""
    for x, y in ((a, b), (b, a)):
        if abjad_like(x) and not abjad_like(y) and y.isalpha() and not y.startswith(x):
            return latin_consonants(y) in abjad_readings(x) or (
                len(x) >= 4 and y in long_vowel_spellings(x)  # not NYK, Nik: initials
            )
    return False


def abjad_keys(word: str) -> frozenset[str]:
    """The index keys (trade.blocking: "%" transliteration_key, "^" spoken_vowel_key) of the
    words with vowels a word written without them could be; empty for other words (at once:
    every word of every name is asked)."""
    return _abjad_keys(word) if abjad_like(word) else frozenset()


@lru_cache(maxsize=50_000)
def _abjad_keys(word: str) -> frozenset[str]:
    keys: set[str] = set()
    # the short readings too: an index key of Noor leaves out its long vowel (nr1)
    for reading in _all_readings(word):
        rest = _DOUBLE.sub(r"\1", reading[1:].replace("y", ""))
        for first in "aeiou" if reading[0] == "a" else reading[0]:
            key = _DOUBLE.sub(r"\1", first + rest)
            keys |= {"%" + key, "%" + key + "_"}
            for runs in range(1, len(key) + 2):
                keys |= {f"^{key}{runs}", f"^{key}{runs}_"}
    return frozenset(keys)


def other_romanisation(a: str, b: str) -> bool:
    """Two romanisations of one word that are not pinyin ones: the transliteration key, a
    Korean word's, or a short word's vowels (the comparison's last resort); or a syllable's
    Cantonese, Taiwanese or Wade-Giles spelling and its pinyin (Lee, Li; Ho, He; Wong, Huang),
    which the index meets under the pinyin (trade.blocking)."""
    return (
        romanised_alike(a, b)
        or cyrillic_alike(a, b)
        or japanese_alike(a, b)
        or korean_alike(a, b)
        or korean_initial_dropped(a, b)
        or vowels_alike(a, b)
        or consonants_alike(a, b)
        or french_alike(a, b)
        or b in ROMANISED_SYLLABLES.get(a, ())
        or a in ROMANISED_SYLLABLES.get(b, ())
    )


_UMLAUTS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def spelt_out(a: str, b: str) -> bool:
    """Two spellings of one word of Turkish, German, Persian or Arabic (the sixteenth round):
    umlauts written out in one (Oeztuerk, Ozturk), the Persian ezafe after a vowel (Kalaye,
    Kala), the Arabic final h (Handasah, Handasa)."""
    for long, short in ((a, b), (b, a)):
        if len(short) < 3 or len(long) <= len(short):
            continue
        if long[-2:] == "ye" and long[:-2] == short and short[-1] in "aeiou":
            return True
        if long[-1] == "h" and long[:-1] == short and short[-1] == "a":
            return True
        if any(d in long for d, _ in _UMLAUTS) and not any(d in short for d, _ in _UMLAUTS):
            plain = long
            for digraph, vowel in _UMLAUTS:
                plain = plain.replace(digraph, vowel)
            if plain == short:
                return True
    return False


# Arabic romanised the French way (round 27b): ch is sh (Machrek, Mashriq; Chérif, Sharif), dj
# is j (Djazair), ou is u (Mourad), where the transliteration key reads ch as k.
_FRENCH = (("dj", "j"), ("ch", "sh"), ("ou", "u"))


@lru_cache(maxsize=200_000)
def french_key(word: str) -> str:
    """The transliteration key of a word not pinyin with French ch, dj, ou read as sh, j, u
    ('' when it has none of them, or the key is its own: Chinese ch is not sh)."""
    if not any(d in word for d, _ in _FRENCH) or pinyin_split(word) is not None:
        return ""
    read = word
    for digraph, english in _FRENCH:
        read = read.replace(digraph, english)
    key = transliteration_key(read)
    return key if key != transliteration_key(word) else ""


def french_alike(a: str, b: str) -> bool:
    """Whether one word is the other romanised the French way (Machrek, Mashriq)."""
    return any(
        (key := french_key(x)) and pinyin_split(y) is None and key == transliteration_key(y)
        for x, y in ((a, b), (b, a))
    )
