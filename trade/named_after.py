"""A name's "named after" clause read as its person's surname (round 27b). Plain Python.

Russian and Soviet organisations carry the name of a person in a clause (Research Center named
after M.V. Keldysh; Ural Federal University named after the first President of Russia B.N.
Yeltsin; MGTU im. N.E. Baumana, imeni, имени), which a shorter name writes as the surname first
(Keldysh Research Center, Yeltsin Ural Federal University). The person's initials and the
titles and descriptive words of the clause (the first President of Russia, academician, Hero of
the Soviet Union, general designer) are no words of the name: `clause_surnames` leaves them
out, up to the end of the clause (a comma, a bracket or the end), and keeps the surname, which
weighs as before. The clause's first words are written imeni, a stop word (im. was a word of
its own).
"""

from __future__ import annotations

import re

# The clause's beginning, up to the end of the clause.
CLAUSE_RE = re.compile(
    r"(\b(?:named\s+(?:after|for)|imeni|im\.)\s+|(?<!\w)(?:имени|им\.)\s*)([^,()（）;]+)",
    re.IGNORECASE,
)
# A person's initial: one capital and a dot (M.V., B. N., Н.Э.).
INITIAL_RE = re.compile(r"(?<!\w)[A-ZА-ЯЁ]\.\s*")
# Titles and words that describe the person, not the organisation.
TITLES = frozenset(
    {"the", "a", "first", "president", "of", "russia", "russian", "federation", "ussr", "soviet",
     "union", "academician", "academic", "professor", "hero", "heroes", "twice", "marshal",
     "general", "admiral", "designer", "chief", "cosmonaut", "pilot", "test", "prize",
     "laureate", "honoured", "honored", "scientist", "writer", "poet", "composer", "saint",
     "st", "emperor", "tsar", "prince", "engineer", "physicist", "mathematician", "scholar",
     "statesman", "leader", "field", "people's", "national", "and", "great", "patriotic",
     "war", "veteran", "founder", "rector", "ceo", "director", "dr", "prof", "acad"}
)  # fmt: skip
WORD_RE = re.compile(r"\S+")


def _surnames(clause: str) -> str:
    words = WORD_RE.findall(INITIAL_RE.sub(" ", clause))
    kept = [w for w in words if w.casefold().strip(".") not in TITLES]
    return " ".join(kept) if kept else clause


# A person's initials (and title) before the surname without the clause (round 29: Dr. A.Q. Khan
# Research Laboratories, B.I. Stepanov Institute of Physics, A.F. Ioffe Physical-Technical
# Institute), which a shorter name leaves out as it leaves out the clause's: only in the name of
# an institution that is named after people (D.R. Horton, a firm, keeps its letters).
INITIALS_BEFORE_RE = re.compile(
    r"(?<!\S)(?:(?:Dr|Prof|Acad|Academician)\.?\s+)?(?:[A-ZА-ЯЁ]\.\s*){1,3}(?=[A-ZА-ЯЁ][a-zа-яё])"
)
INSTITUTION_RE = re.compile(
    r"\b(?:institut\w*|universit\w*|laborator\w*|research|cent(?:er|re)s?|academy|college"
    r"|bureau|plant|works|factory|институт\w*|университет\w*|лаборатори\w*|центр\w*"
    r"|академи\w*|бюро|завод\w*)\b",
    re.IGNORECASE,
)


def clause_surnames(text: str) -> str:
    """The name with its "named after" clause read as the surname(s) it names, and a person's
    initials before a surname left out in an institution's name."""
    if "." in text and INITIALS_BEFORE_RE.search(text) and INSTITUTION_RE.search(text):
        text = _without_initials(text)
    if not CLAUSE_RE.search(text):
        return text
    return " ".join(CLAUSE_RE.sub(lambda m: " imeni " + _surnames(m.group(2)) + " ", text).split())


def _without_initials(text: str) -> str:
    """The name without a person's initials before a surname, when what is left has a word
    other than the institution's kind (J.K. Cement Works keeps its letters: Cement Works is
    anyone's)."""
    rest = " ".join(INITIALS_BEFORE_RE.sub(" ", text).split())
    kinds = {m.group().casefold() for m in INSTITUTION_RE.finditer(rest)}
    words = [w.casefold().strip(".,") for w in WORD_RE.findall(rest)]
    own = [w for w in words if w not in kinds and w not in COMMON_INSTITUTION_WORDS]
    return rest if own else text


# Words of institutions' names that name no one (Cement Works, Research Institute of Physics)
COMMON_INSTITUTION_WORDS = frozenset(
    {"the", "of", "and", "for", "cement", "steel", "physics", "chemistry", "machine", "building",
     "state", "national", "central", "scientific", "technical", "design", "engineering",
     "metallurgical", "chemical", "mechanical", "aviation", "space", "research"}
)  # fmt: skip
