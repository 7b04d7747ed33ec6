"""Two names compared word by word, and the reason in words.
Plain Python (no Django).

Two names are compared word by word (trade.names gives both the same canonical words, in
either script): each word of one name is paired with at most one word of the other, equal or
within a typing slip (one edit in 5-8 letters, two from 9), or the same sound in older
romanisations (Hsu/Xu, never between two words that are certainly pinyin); neighbouring words
may join (Hua Wei ↔ Huawei), a word run together may read as the other's words (BAESystems,
trade.run_together), a slip of a common word or a legal form as the other's (Chinr, Gropp,
trade.common_slips); a Latin word may be the pinyin of a translated Chinese word (Muye
↔ 钼业 molybdenum); a common word pairs only with itself or a related one (academy,
institute). The score is the weighted share of words paired (a weighted Dice coefficient):
distinctive words weigh 1, common words (technology, trading, places) `generic_weight`. So
word order does not matter, a missing "Co., Ltd." costs nothing, a missing "Beijing" little,
and two different "Beijing … Technology Co., Ltd." share only their light words and score low.
Names of common words only are compared by Jaccard (every word missing counts). A short name
that is the initials of the other (CETC, NORINCO) scores `acronym_score`. Signs of two parties
(other places, other trades) come off the share (trade.two_parties); the country signal is
trade.country_signal's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from trade.characters import contained_characters, homophone_slip
from trade.common_slips import (
    RETROFLEX_CREDIT,
    anchored_slip,
    common_word_slip,
    pair_legal_slips,
    retroflex_slip,
)
from trade.keyboard import inner_swap, neighbour_slip, ocr_slip
from trade.latin_words import DIGIT_RE
from trade.name_words import vocabulary
from trade.names import NameForm
from trade.portmanteau import built_short
from trade.run_together import pair_run_together
from trade.syllables import certainly_pinyin, is_syllable, pinyin_split, romanised_as, sound_key
from trade.transliteration import (
    adjective_of,
    consonants_alike,
    korean_alike,
    korean_like,
    other_romanisation,
    spelt_out,
)
from trade.two_parties import common_only as _common_only
from trade.two_parties import other_han_field, two_parties

# A slip of a common word that may be a word of its own counts beside a distinctive word
# paired this well (common_slips.anchored_slip); two romanisations (trade.transliteration).
ANCHOR_CREDIT = TRANSLITERATION_CREDIT = 0.85
SHORT_SLIP_CREDIT = 0.8


@dataclass(frozen=True)
class Comparison:
    score: float  # the names alone, before the country
    how: str  # in words


def _first_letter_slip(a: str, b: str) -> bool:
    """`a` and `b` differ by a slip in the first letter only: it replaced (in words of five
    letters or more) or swapped with the second."""
    if len(a) != len(b) or len(a) < 5:
        return False
    return a[1:] == b[1:] or (a[0] == b[1] and a[1] == b[0] and a[2:] == b[2:])


def typo_allowance(length: int) -> int:
    return 0 if length <= 4 else 1 if length <= 8 else 2


@lru_cache(maxsize=1_000_000)
def word_credit(a: str, b: str) -> tuple[float, str]:
    """How far word `a` stands for word `b` (0-1) and how, in words."""
    if a == b:
        return 1.0, "="
    if ocr_slip(a, b):  # a letter a scanner confuses (M0scow, Karnov for Kamov, Alr for Air)
        return round(1 - 0.5 / max(len(a), len(b)), 3), "typo"
    if not (a.isalpha() and b.isalpha()) and DIGIT_RE.search(a + b):
        return 0.0, ""
    vocab = vocabulary()
    if a in vocab.generic or b in vocab.generic:
        # Normalising already read misspelt common words as their word: two different ones
        # (electric, electronic; beijing, nanjing) are different words, and a distinctive word
        # is not a common one; but a few stand for each other (academy, institute).
        if (a, b) in vocab.related:
            return 0.85, "related words"
        return 0.0, ""
    if adjective_of(a, b):  # Russian: Kazanskiy, Kazan (trade.transliteration)
        return TRANSLITERATION_CREDIT, "the place's adjective"
    if spelt_out(a, b):  # Oeztuerk, Ozturk; Kalaye, Kala; Handasah, Handasa
        return 0.9, "spelling variant"
    if abs(len(a) - len(b)) > 3 and not consonants_alike(a, b):  # mhmd Muhammad (Arabic)
        return 0.0, ""
    longest = max(len(a), len(b))
    distance = OSA.distance(a, b, score_cutoff=2)
    if (
        sound_key(a) == sound_key(b)
        and (min(len(a), len(b)) >= 3 or pinyin_split(a) is None or pinyin_split(b) is None)
        and not (certainly_pinyin(a) and certainly_pinyin(b))
    ):
        # Hsu/Xu, Chang/Zhang; two short pinyin syllables (ke, ge) are different syllables,
        # and two valid pinyin words of several syllables (zhengtu, chengdu) likely two names.
        split_a, split_b = pinyin_split(a), pinyin_split(b)
        # (a Korean word may read as pinyin: Daesong da-e-song is Taesong)
        korean = korean_like(a) or korean_like(b)
        if split_a and split_b and min(len(split_a), len(split_b)) >= 2 and a[0] != b[0]:
            return (0.9, "spelling variant") if korean else (0.6, "similar sound")
        return 0.9, "spelling variant"
    if distance <= typo_allowance(longest) and (a[0] == b[0] or _first_letter_slip(a, b)):
        # A slip in the first letter is one letter replaced or the first two swapped, the rest
        # as written (Xuawei, Uhawei); Southline and Northline differ in more than that.
        # Two pinyin words one letter apart are usually two different names (Huaxin, Huaxing),
        # not a slip; swapped letters (Huawie) are a slip, and so is a letter that changes how
        # many syllables the word reads as (Muawei mu-a-wei, Kedaa, Qinghuwa).
        split_a, split_b = pinyin_split(a), pinyin_split(b)
        swapped = Levenshtein.distance(a, b, score_cutoff=2) > distance
        if (
            not swapped
            and split_a is not None
            and split_b is not None
            and min(len(split_a), len(split_b)) >= 2
            and len(split_a) == len(split_b)
            and not korean_alike(a, b)  # Taegu, Daegu: one Korean word
            and not (len(split_a) >= 4 and neighbour_slip(a, b))  # Neridian: no pinyin name
        ):
            if retroflex_slip(a, b):  # Jiuzou for Jiuzhou: the h of zh, ch, sh left out
                return RETROFLEX_CREDIT, "typo"
            return 0.3, "different pinyin syllables"
        return round(1 - 0.5 * distance / longest, 3), "typo"
    if (
        longest == 4
        and (neighbour_slip(a, b) or inner_swap(a, b))
        and not (pinyin_split(a) and pinyin_split(b))
    ):
        # a neighbouring key in a short word (Oars, Pars) or two inner letters swapped (Vgea,
        # Vega; Qosd, Qods)
        return SHORT_SLIP_CREDIT, "typo"
    if other_romanisation(a, b):  # Russian, Arabic, Korean (Mohammed, Muhammad; Said, Saeed)
        return TRANSLITERATION_CREDIT, "another romanisation"
    return 0.0, ""


def compare_names(a: NameForm, b: NameForm, *, acronym_score: float = 0.85) -> Comparison:
    """Word-by-word comparison of two normalised names (symmetric up to the wording)."""
    if not a.words or not b.words:
        return Comparison(0.0, "nothing to compare")
    # Two names in simplified characters: the same pinyin from other characters is a weaker
    # sign (景弘, 敬鸿 are two names; a slip of a pinyin keyboard changes one character).
    characters = bool(a.hanzi and b.hanzi) and not (a.traditional or b.traditional)
    if (a.words == b.words or sorted(a.words) == sorted(b.words)) and not (
        (characters and _other_characters(a, b)) or other_han_field(a.cjk, b.cjk)
    ):
        how = "same words" if a.words == b.words else "same words in another order"
        return Comparison(1.0, f"{how} '{b.key}'")
    pairs: list[tuple[float, int, int, str]] = []
    anchored: list[tuple[float, int, int, str]] = []  # slips taken beside a distinctive word
    for i, wa in enumerate(a.words):
        for j, wb in enumerate(b.words):
            credit, kind = word_credit(wa, wb)
            if not credit and a.weights[i] >= 1 and b.weights[j] < 1:
                credit = common_word_slip(wa, wb)
                kind = "typo in a common word"
                if not credit and (slip := anchored_slip(wa, wb)):
                    anchored.append((slip, i, j, kind))
            if credit > 0:
                if characters and a.hanzi[i] and b.hanzi[j] and a.hanzi[i] != b.hanzi[j]:
                    credit, kind = _character_credit(a.hanzi[i], b.hanzi[j], credit)
                pairs.append((credit, i, j, kind))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    numerator = 0.0
    notes: list[str] = []
    reweighed, slipped = 0.0, set()  # an anchored slip weighs what its common word weighs
    for batch in (pairs, anchored):
        # Anchored: a distinctive word paired, or three (not Tower/Power Semiconductor).
        held = {j for c, _, j, _ in pairs if c >= ANCHOR_CREDIT and j in used_b}
        if batch is anchored and not (len(held) >= 3 or any(b.weights[j] >= 1 for j in held)):
            break
        for credit, i, j, kind in sorted(batch, key=lambda p: (-p[0], p[1], p[2])):
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            weight_a = b.weights[j] if batch is anchored else a.weights[i]
            reweighed += a.weights[i] - weight_a
            slipped |= {i} if batch is anchored else set()
            numerator += credit * (weight_a + b.weights[j])
            if kind != "=":
                notes.append(f"{a.words[i]}≈{b.words[j]} ({kind})")
    numerator += pair_legal_slips(a, b, used_a, notes)  # Gropp for the entry's Group
    for x, y, used_x, used_y, flip in ((a, b, used_a, used_b, False), (b, a, used_b, used_a, True)):
        numerator += pair_run_together(x, y, used_x, used_y, notes, party=not flip)
        numerator += _joined_words(x, y, used_x, used_y, notes, flip)
        if y.spans:
            numerator += _spelt_spans(x, y, used_x, used_y, notes, flip)
    dice = numerator / (sum(a.weights) + sum(b.weights) - reweighed)
    if _common_only(a, slipped) and _common_only(b):
        # Names of common words only (Wuhan University, Wuhan University of Technology): the
        # words are all they have, so each one missing counts as in the share of words the two
        # have in common (Jaccard), not the Dice share.
        dice = dice / (2 - dice)
    missing = [w for k, w in enumerate(a.words) if k not in used_a]
    extra = [w for k, w in enumerate(b.words) if k not in used_b]
    partial = _partial_name(a, b, used_a, used_b, numerator)
    if partial > dice:
        dice = partial
        notes.append("the shorter name whole in the longer")
    penalty, why = two_parties(a, b, missing, extra, slipped)  # other places, other trades
    if penalty:
        dice -= penalty
        notes.append(why)
    how = f"words {dice:.2f}"
    if notes:
        how += ": " + ", ".join(notes)
    if missing or extra:
        how += "; unpaired: " + ", ".join(missing + extra)
    best = Comparison(round(min(dice, 1.0), 3), how)
    contained = contained_characters(a, b) or contained_characters(b, a)
    if contained > best.score:
        best = Comparison(contained, f"characters '{a.cjk}' and '{b.cjk}': one whole in the other")
    slip, apart = homophone_slip(a, b)
    if slip > best.score:
        best = Comparison(
            slip, f"characters '{a.cjk}' and '{b.cjk}': one of the same sound ({apart})"
        )
    acronym = acronym_match(a, b) or acronym_match(b, a)
    if acronym and acronym_score > best.score:
        return Comparison(acronym_score, f"initials '{acronym}'")
    return best


def _partial_name(
    a: NameForm, b: NameForm, used_a: set[int], used_b: set[int], numerator: float
) -> float:
    """A name whose every word pairs within the other, which has only common words more
    (Goldwind ↔ Xinjiang Goldwind Science & Technology, Yili ↔ 内蒙古伊利实业集团): the share
    of words with the longer name's other places left out and the words of its kind
    (technology, group: [partial] of the word lists) at half weight, at most PARTIAL_UPLIFT
    above the share itself. Not for names of common words only
    (Institute of Automation, Shenyang Institute of Automation), nor when both names have words
    the other lacks (Dongfang Electric, Dongfang Electronics)."""
    left_a = [k for k in range(len(a.words)) if k not in used_a]
    left_b = [k for k in range(len(b.words)) if k not in used_b]
    if bool(left_a) == bool(left_b):
        return 0.0
    short, long, left = (b, a, left_a) if left_a else (a, b, left_b)
    if _common_only(short) or any(long.weights[k] >= 1 for k in left):
        return 0.0
    total = sum(a.weights) + sum(b.weights)
    if numerator <= 0.86 * (total - sum(long.weights[k] for k in left)):
        return 0.0  # the words pair, but weakly (Hua Wei surname first ↔ Weihua Trading)
    vocab = vocabulary()
    discount = sum(
        long.weights[k] if long.words[k] in vocab.places else long.weights[k] / 2
        for k in left
        if long.words[k] in vocab.places or long.words[k] in vocab.partial
    )
    dice = numerator / total
    return min(numerator / (total - discount), dice + PARTIAL_UPLIFT)


# How much a partial name may score above its share of words (matching lowers the bound on
# a pair's score by as much before comparing word by word).
PARTIAL_UPLIFT = 0.08


def _spelt_spans(
    x: NameForm, y: NameForm, used_x: set[int], used_y: set[int], notes: list[str], flip: bool
) -> float:
    """Pair a Latin word of x with the pinyin of words y translated from Chinese (Muye ↔
    钼业 molybdenum)."""
    gained = 0.0
    for start, size, spelt in y.spans:
        span = range(start, start + size)
        if any(k in used_y for k in span):
            continue
        for i, word in enumerate(x.words):
            if i in used_x or x.weights[i] < 1 or (x.hanzi and x.hanzi[i]):
                continue
            if abs(len(word) - len(spelt)) > 3:
                continue
            credit = word_credit(word, spelt)[0]
            if credit >= 0.85:
                used_x.add(i)
                used_y.update(span)
                gained += credit * (x.weights[i] + sum(y.weights[k] for k in span))
                parts = " ".join(y.words[k] for k in span)
                notes.append(f"{parts}≈{word} (pinyin)" if flip else f"{word}≈{parts} (pinyin)")
                break
    return gained


def _other_characters(a: NameForm, b: NameForm) -> bool:
    """Whether a word both names write in characters is written with other characters in one
    (华为, 华伟: the same pinyin)."""
    mine = {(w, h) for w, h in zip(a.words, a.hanzi, strict=True) if h}
    words = {w for w, _ in mine}
    return any(
        w in words and (w, h) not in mine for w, h in zip(b.words, b.hanzi, strict=True) if h
    )


def _character_credit(x: str, y: str, credit: float) -> tuple[float, str]:
    if len(x) == len(y):
        differing = sum(1 for c, d in zip(x, y, strict=True) if c != d) / len(x)
    else:
        differing = 1.0
    return round(credit * (1 - 0.9 * differing), 3), f"same sound, other characters {x}/{y}"


def _joined_words(
    x: NameForm, y: NameForm, used_x: set[int], used_y: set[int], notes: list[str], flip: bool
) -> float:
    """Pair 2-4 neighbouring unpaired words of x, joined (hua wei ↔ huawei) or as initials
    (unmanned aerial systems ↔ UAS), with one unpaired word of y."""
    gained = 0.0
    if len(x.words) - len(used_x) < 2 or len(used_y) == len(y.words):
        return gained
    spans = windows(x.words)
    for j, wy in enumerate(y.words):
        if j in used_y or y.weights[j] < 1:
            continue
        for start, size, joined, initials, sounds in spans:
            if any(k in used_x for k in range(start, start + size)):
                continue
            credit = join_credit(joined, initials, sounds, wy)
            how = "joined" if joined.startswith(x.words[start]) else "surname first"
            if credit < 0.85 and initials and romanised_as(x.words[start : start + size], wy):
                credit, how = ROMANISED_CREDIT, "other romanisation"
            if credit >= 0.85:
                span = range(start, start + size)
                used_x.update(span)
                used_y.add(j)
                gained += credit * (sum(x.weights[k] for k in span) + y.weights[j])
                parts = " ".join(x.words[k] for k in span)
                notes.append(f"{wy}≈{parts} ({how})" if flip else f"{parts}≈{wy} ({how})")
                break
    return gained


DOUBLED_RE = re.compile(r"(.)\1+")
MAX_JOINED = 24  # letters: a run of words longer than that is not one word written apart


def join_credit(joined: str, initials: str, sounds: str, word: str) -> float:
    """Neighbouring words joined (hua wei ↔ huawei, or a spelling variant of it: hsin hua ↔
    xinhua, by the words' sound keys one after the other) or as initials (unmanned aerial
    systems ↔ UAS) standing for one distinctive word. A person's name joined surname first
    (a window without initials: Wei Zhang ↔ zhangwei) counts SURNAME_FIRST of it: syllables
    in another order are weaker evidence (Hua Wei is not Weihua Trading)."""
    if not initials and joined:
        return round(SURNAME_FIRST * _joined_credit(joined, initials, sounds, word), 3)
    return _joined_credit(joined, initials, sounds, word)


SURNAME_FIRST = 0.85
ROMANISED_CREDIT = 0.85  # syllables in a Cantonese or Taiwanese spelling (Hang Seng ↔ hengsheng)


def _joined_credit(joined: str, initials: str, sounds: str, word: str) -> float:
    if joined == word:
        return 1.0
    if sounds and sounds == sound_key(word):
        credit, kind = word_credit(joined, word)
        if kind == "spelling variant":
            return credit
        if kind == "similar sound" and not certainly_pinyin(joined):
            # Syllables written apart in letters an older romanisation uses (Kuo Tai) are
            # one pinyin word of that sound (guotai), though each is pinyin too (kuo, tai).
            return 0.9
    return 0.9 if word == initials else 0.0


@lru_cache(maxsize=200_000)
def windows(words: tuple[str, ...]) -> tuple[tuple[int, int, str, str, str], ...]:
    """(start, size, joined, initials, sound keys joined) of every run of 2-4 neighbouring
    words, runs of two words first, then a person's name surname first (without initials). A
    run longer than MAX_JOINED letters joins no word: its joined spelling and sound are ''."""
    n = len(words)
    if n < 2:
        return ()
    sounds = [sound_key(w) for w in words]
    by_size: dict[int, list[tuple[int, int, str, str, str]]] = {2: [], 3: [], 4: []}
    for start in range(n - 1):
        text, letters, sound = words[start], words[start][0], sounds[start]
        for size in (2, 3, 4):
            end = start + size
            if end > n:
                break
            text += words[end - 1]
            letters += words[end - 1][0]
            sound += sounds[end - 1]
            if len(text) > MAX_JOINED:
                by_size[size].append((start, size, "", letters, ""))
            else:
                # doubled letters made one, as sound_key does (Cheng Kung: jeng + gong ↔
                # chenggong: jengong)
                by_size[size].append((start, size, text, letters, DOUBLED_RE.sub(r"\1", sound)))
    return (*by_size[2], *by_size[3], *by_size[4], *_surname_first(words, sounds))


def _surname_first(
    words: tuple[str, ...], sounds: list[str]
) -> tuple[tuple[int, int, str, str, str], ...]:
    """A person's name written given name first (Wei Zhang, Fang Wei Li) as Chinese writes
    it, surname first (zhangwei 张伟, lifangwei 李方伟): the last word moved to the front, for a
    name of 2-3 words that are all pinyin of one or two syllables (the last of one). Its
    initials are '' (they are not the name's initials)."""
    if not 2 <= len(words) <= 3 or not is_syllable(words[-1]):
        return ()
    generic = vocabulary().generic
    for word in words[:-1]:
        split = pinyin_split(word)
        if word in generic or not (is_syllable(word) or (split and len(split) <= 2)):
            return ()
    text = words[-1] + "".join(words[:-1])
    if text == "".join(words):
        return ()
    return ((0, len(words), text, "", DOUBLED_RE.sub(r"\1", sounds[-1] + "".join(sounds[:-1]))),)


def acronym_match(short: NameForm, long: NameForm) -> str:
    """The short name's one word when it is the long name's initials, else ''."""
    if len(short.distinctive) != 1 or len(short.words) > 2 or short.cjk:
        return ""
    word = short.distinctive[0]
    if long.could_be_initials(word):
        return word.upper()
    if built_short(word, long, len(short.words) == 1):
        return word.upper()
    return ""


def comparison_detail(comparison: Comparison, party_form: NameForm, entry_form: NameForm) -> str:
    """How the two names compared, in the matcher's words (English): the words paired and
    how, and the Chinese names as their pinyin was read."""
    via = []
    for form in (party_form, entry_form):
        if form.pinyin:
            via.append(f"'{form.text}' read as '{form.key}'")
    return comparison.how + (" (" + "; ".join(via) + ")" if via else "")


def describe(
    *,
    party_label: str,
    party_name: str,
    entry_label: str,
    entry_name: str,
    entry_ref: str,
    comparison: Comparison,
    detail: str,
    country_note: str,
    score: float,
) -> str:
    return (
        f"{party_label} '{party_name}' matched {entry_label} '{entry_name}' of {entry_ref} "
        f"({detail}; name {comparison.score:.2f}, {country_note}: {score:.2f})"
    )
