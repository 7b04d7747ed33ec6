"""Letters next to each other on a QWERTY keyboard (the sixteenth round): a slip of a finger
replaces a letter with its neighbour (Wingdao for Qingdao, Oars for Pars, Nafy for Naft), which
tells a slip from another name better than any letter replaced; and (the seventeenth round)
two neighbouring letters typed in the wrong order (Vgea for Vega), a letter typed twice in a
short common word (Easst for East)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from trade.name_words import vocabulary
from trade.syllables import pinyin_split

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOURS: dict[str, frozenset[str]] = {}
for _r, _row in enumerate(_ROWS):
    for _i, _letter in enumerate(_row):
        near = {_row[j] for j in (_i - 1, _i + 1) if 0 <= j < len(_row)}
        # each row sits a little to the right of the one above: A touches Q and W, S Z and X
        if _r > 0:
            near.update(_ROWS[_r - 1][j] for j in (_i, _i + 1) if j < len(_ROWS[_r - 1]))
        if _r < 2:
            near.update(_ROWS[_r + 1][j] for j in (_i - 1, _i) if 0 <= j < len(_ROWS[_r + 1]))
        NEIGHBOURS[_letter] = frozenset(near)


def neighbour_slip(a: str, b: str) -> bool:
    """`a` and `b` differ in one letter only, and those two are keyboard neighbours."""
    if len(a) != len(b) or a == b:
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and differ[0][1] in NEIGHBOURS.get(differ[0][0], ())


def inner_swap(a: str, b: str) -> bool:
    """`a` and `b` differ by two neighbouring letters swapped after the first, not two vowels
    (Tbea, Tbae and Dean, Daen are as often two names)."""
    if len(a) != len(b) or a[0] != b[0] or a == b:
        return False
    differ = [k for k in range(len(a)) if a[k] != b[k]]
    if len(differ) != 2 or differ[1] != differ[0] + 1:
        return False
    x, y = a[differ[0]], a[differ[1]]
    return (b[differ[0]], b[differ[1]]) == (y, x) and not (x in "aeiou" and y in "aeiou")


def place_slip(token: str) -> str | None:
    """A place of [places] with its first letter slipped to a neighbouring key (Wingdao,
    Euxi), the slip not pinyin of as many syllables (Tangzhou is a name, not Yangzhou; Ziamen,
    zi-a-men, is no name of three syllables but Xiamen slipped)."""
    if len(token) < 4 or not token.isalpha():
        return None
    split = pinyin_split(token)
    vocab = vocabulary()
    for key in NEIGHBOURS.get(token[0], ()):
        place = key + token[1:]
        if place not in vocab.places or place in vocab.no_slips:
            continue
        if split is None or len(split) != len(pinyin_split(place) or split):
            return place
    return None


def typed_once(token: str) -> Iterator[str]:
    """`token` with each of its doubled letters typed once (Easst: East), left to right."""
    for k in range(1, len(token)):
        if token[k] == token[k - 1]:
            yield token[:k] + token[k + 1 :]


def doubled_slip(token: str) -> str | None:
    """The common word of four letters or more, not a place no slip is read as, that `token`
    is with one of its letters typed twice (Easst, Wesst), else None."""
    vocab = vocabulary()
    for single in typed_once(token):
        if len(single) >= 4 and single in vocab.generic:
            return single if single not in vocab.no_slips else None
    return None


# Letters a scanned or retyped page confuses (the twenty-first round): a digit for the letter
# it looks like (M0scow, A1pha), a small l for a capital I and the other way (DJl for DJI, Alr
# for Air), rn for m (Karnov for Kamov), cl for d and vv for w.
OCR_CONFUSIONS = (("0", "o"), ("1", "l"), ("1", "i"), ("l", "i"), ("rn", "m"), ("cl", "d"),
                  ("vv", "w"))  # fmt: skip
OCR_SHORTEST = 3  # letters a word needs for a confusion in it to be read as one
OCR_FIRST = 5  # and for one in its first letter (Lran is not read as Iran, lnstitut is)


def ocr_key(word: str) -> str:
    """`word` with every letter a scanner confuses written one way (karnov and kamov: kamov;
    m0scow moscow; dji, djl: djl): the index key under which they meet."""
    for seen, meant in (("0", "o"), ("1", "l"), ("i", "l"), ("rn", "m"), ("cl", "d"), ("vv", "w")):
        word = word.replace(seen, meant)
    return word


def ocr_readings(token: str) -> frozenset[str]:
    """`token` with one of its letters (or pairs of letters) read as the one it looks like
    (OCR_CONFUSIONS, either way but for a digit: m0scow moscow, karnov kamov, alr air)."""
    found: set[str] = set()
    for seen, meant in OCR_CONFUSIONS:
        for x, y in ((seen, meant), (meant, seen)) if not seen.isdigit() else ((seen, meant),):
            start = token.find(x)
            while start >= 0:
                found.add(token[:start] + y + token[start + len(x) :])
                start = token.find(x, start + 1)
    found.discard(token)
    return frozenset(found)


def ocr_slip(a: str, b: str) -> bool:
    """`a` and `b` are one word with one OCR confusion, either way (M0scow, Moscow; Karnov,
    Kamov; DJl, DJI), both of three letters or more (five for one in the first letter, as for
    a slip there), neither a pinyin word (Hai and Hal, Bili and Bill are two words) and not
    both words of the word lists (Clock, Dock)."""
    if a == b or min(len(a), len(b)) < OCR_SHORTEST or abs(len(a) - len(b)) > 1:
        return False
    if b not in ocr_readings(a) and a not in ocr_readings(b):
        return False
    if a[0] != b[0] and min(len(a), len(b)) < OCR_FIRST and (a[0] + b[0]).isalpha():
        # as a slip of the first letter; a 0 before letters is an O (0to Melara)
        return False
    if _known_word(a) and _known_word(b):
        return False
    if not (a + b).isalpha():  # a digit is no pinyin name's letter (Gu1de is Guide)
        return True
    return pinyin_split(a) is None and pinyin_split(b) is None


def _known_word(word: str) -> bool:
    """A common word, a stop word, a word read as another or a legal form of one word
    (Cornpany, Corporatlon: the twenty-second round)."""
    vocab = vocabulary()
    return (
        word in vocab.generic
        or word in vocab.synonyms
        or word in vocab.stopwords
        or (word in vocab.legal_joined and len(word) >= 6)
    )


_OCR_DIGITS = re.compile("(?=[a-z01]*[01])(?=(?:[01]*[a-z]){4})[a-z01]+")
# a word of three letters and a zero, the o a known word ends in (Aer0)
_OCR_ZERO_LAST = re.compile("[a-z]{3}0")


def ocr_word(token: str) -> str | None:
    """The word of the word lists a token is with the letters a scanner confuses read as
    meant, else None: a digit 0 or 1 among four letters or more (Techno1ogy, E1ectronics,
    Internationa1: 0 is o, 1 is l or I), or one confusion in a word of six letters or more
    (Systerns, lnstitute)."""
    vocab = vocabulary()
    if (read := _first_letter(token)) is not None:
        return read
    if _OCR_ZERO_LAST.fullmatch(token):  # AER0: aero (round 30)
        return _read_if_known(token[:-1] + "o")
    if _OCR_DIGITS.fullmatch(token):
        base = token.replace("0", "o")
        readings = (base.replace("1", "l"), base.replace("1", "i"))
        return next((w for w in readings if _known_word(w)), None)
    if len(token) < 6 or not token.isalpha():
        return None
    found = sorted(w for w in ocr_readings(token) if len(w) >= 6 and _known_word(w))
    return found[0] if found and found[0] not in vocab.stopwords else None


# A word no Latin-script language begins so: a leading 0 before two letters or more is the
# letter O (0il); (in the text as written, zero_as_letter) a lower-case l before a consonant
# (lran, lslamic, lndia) is a capital I typed or read as l. Not l before h, j, l, v, w, y
# (Lhasa, Ljubljana, Lloyd, Lviv, Lwów, Lyon), nor a capital L (Lran is a slip of a letter).
_L_FOR_I = re.compile(r"(?<![\w'’.-])l([bcdfgkmnpqrstxz][a-z]{2,})\b")
_ZERO_FOR_O = re.compile("0[a-z]{2,}")


def _first_letter(token: str) -> str | None:
    """A known word (round 27b) a token is with a leading 0 read as O (0il: oil), else None."""
    if not _ZERO_FOR_O.fullmatch(token):
        return None
    return _read_if_known("o" + token[1:])


def _read_if_known(read: str) -> str | None:
    vocab = vocabulary()
    known = _known_word(read) or read in vocab.places or read in _words_read_as()
    return read if known and read not in vocab.legal_joined else None


@cache
def _words_read_as() -> frozenset[str]:
    """Every word some spelling is read as (iran, of Iranian), and other places' names."""
    vocab = vocabulary()
    found = {w for words in vocab.synonyms.values() for w in words}
    return frozenset(found | set(vocab.other_places or {}) | set(vocab.places))


# A lone 0 before a hyphen and a letter (0-Film) is the letter O (O-Film), not a number.
_ZERO_HYPHEN = re.compile(r"(?<![\w.,])0(?=-[^\W\d_])")


def _capital_i(found: re.Match[str]) -> str:
    read = _read_if_known("i" + found.group(1))
    return "I" + found.group(1) if read else found.group(0)


# A short word of capitals and zeros alone (0A0, NP0, 000): a legal form or a common word
# typed with zeros for O (OAO, NPO, OOO), when it reads as one so.
_ZERO_WORD = re.compile(r"(?<![\w.,])[A-Z0]*0[A-Z0]*\b(?![.,]\d)")


@cache
def _read_with_o() -> frozenset[str]:
    """Single-word legal forms and common words that have an o (ooo, oao, npo, ao)."""
    vocab = vocabulary()
    words = {phrase[0] for phrase in vocab.latin_legal if len(phrase) == 1} | vocab.generic
    return frozenset(w for w in words if "o" in w and len(w) <= 5)


def _o_for_zero(found: re.Match[str]) -> str:
    word = found.group(0)
    read = word.replace("0", "O")
    return read if 2 <= len(word) <= 5 and read.lower() in _read_with_o() else word


def zero_as_letter(text: str) -> str:
    """The name with a lone 0 before a hyphen and a letter written O, a short word of capitals
    and zeros that reads as a legal form or common word with O written O (0A0, NP0, 000), and a
    lower-case l that begins a known word before a consonant written I (lran: Iran; round 27b)."""
    if "0" in text:
        text = _ZERO_WORD.sub(_o_for_zero, _ZERO_HYPHEN.sub("O", text) if "0-" in text else text)
    return _L_FOR_I.sub(_capital_i, text) if "l" in text else text
