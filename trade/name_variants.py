"""The other names a name written whole holds (rounds 20 and 29), each compared as a name of its
own by the index (trade.matching). Plain Python (no Django).

- Its acronym beside it: China North Industries Corporation (NORINCO), KIST (Korea Institute of
  Science and Technology), ONERA - The French Aerospace Lab, LETI, St. Petersburg
  Electrotechnical University: the name without the acronym is the organisation's name too.
- A qualifier after it, which a shorter name leaves out (round 29): a place or a branch after a
  comma (Korea Aerospace University, Goyang; Krylov State Research Centre, St. Petersburg), a
  parent body (Shenyang Institute of Automation, Chinese Academy of Sciences; Defence Research
  and Development Organisation, Ministry of Defence, India; Ioffe Physical-Technical Institute
  of the Russian Academy of Sciences) or another name in brackets (Amirkabir
  University of Technology (Tehran Polytechnic)). The name without it is *trimmed*: the index
  compares it only with names that have no qualifier (`compared`), as Institute of Physics,
  Chinese Academy of Sciences and Institute of Physics, National Academy of Sciences of
  Belarus are two institutes whose trimmed names are one.
"""

from __future__ import annotations

import re

from trade.known_names import COUNTRY_INITIALS, a_country, a_place
from trade.name_words import vocabulary
from trade.named_after import CLAUSE_RE
from trade.names import normalise_name

# A name ending in its acronym in brackets (the twentieth round); mixed case as Russian acronyms
# are written (TsAGI, MiG), never two small letters running (McDonald is a name).
_ACRONYM = r"[A-Z](?:[A-Z0-9&-]|[a-z](?![a-z])){1,9}"
BRACKETED_ACRONYM = re.compile(rf"^(.*\S)\s*[(（]\s*({_ACRONYM})\s*[)）]\s*$")
# The acronym before the name: in brackets, set off by a dash or by a comma (round 29).
ACRONYM_FIRST = re.compile(
    rf"^({_ACRONYM})\s*(?:[(（]\s*(.*\S)\s*[)）]|\s[-–—]\s+(.*\S)|,\s+(.*\S))\s*$"
)
ACRONYM_LAST = re.compile(rf"^(.*\S)\s+[-–—]\s+({_ACRONYM})\s*$")

# A qualifier: after the first comma; in brackets at the end; a parent body after "of the".
COMMA_TAIL = re.compile(r"^([^,(（]*\S)\s*,\s+(.*\S)\s*$")  # (not a comma in brackets)
BRACKET_TAIL = re.compile(r"^(.*\S)\s*[(（]\s*([^()（）]*\S)\s*[)）]\s*$")
OF_THE_TAIL = re.compile(r"^(.*\S)\s+of\s+the\s+(.*\S)\s*$", re.IGNORECASE)
# the words of a parent body (an academy of sciences, a ministry, an army, a party)
PARENT_WORDS = frozenset({"academy", "ministry", "army", "liberation", "party"})
MOST_QUALIFIER_WORDS = 4  # after a comma: a place or a branch, not a second name
# the words of a unit of an organisation, which after a comma is no qualifier but the name
UNIT_WORDS = frozenset(
    {"institute", "university", "college", "school", "academy", "laboratory", "center",
     "department", "faculty", "plant", "factory", "works", "bureau"}
)  # fmt: skip

# How a name stands to its qualifier (name_variants). The index compares a trimmed name only with
# a name written without any (never with a qualified name or another trimmed one): Institute of
# Physics, Chinese Academy of Sciences is not Institute of Physics, National Academy of Sciences
# of Belarus, though each without its qualifier is the other's.
WRITTEN, QUALIFIED, TRIMMED = 0, 1, 2


def compared(party: int, entry: int) -> bool:
    """Whether a party's name and an entry's name, so qualified, are compared."""
    return not ((party == TRIMMED and entry != WRITTEN) or (entry == TRIMMED and party != WRITTEN))


def name_variants(
    names: list[tuple[str, str]],
) -> tuple[list[tuple[str, str, int, str]], list[tuple[str, int]]]:
    """(label, text, qualified, written) for each name and the names it holds (none for most),
    written being the name as written that each comes from, and the texts only looked up among
    the known names, with how what they find is qualified.
    qualified is WRITTEN for a name as written without a qualifier (or with its acronym beside
    it), QUALIFIED for one with a qualifier and TRIMMED for that name without it. A name held
    that is common words only (Institute of Physics; Shenzhen Branch Office beside ZTE) is
    anyone's: only looked up (Academy of Military Medical Sciences, PLA is AMMS)."""
    out, lookups = [], []
    for label, text in names:
        if beside := name_beside(text):
            out.append((label, text, WRITTEN, text))
            if _own_name(*beside) or _spelt_out_first(text, beside[1]):
                out.append((label, beside[1], WRITTEN, text))
            else:
                lookups.append((beside[1], WRITTEN))
        elif (rest := without_qualifier(text)) is not None:
            out.append((label, text, QUALIFIED, text))
            if _own_name("", rest) or _placed(rest):
                out.append((label, rest, TRIMMED, text))
            else:
                lookups.append((rest, TRIMMED))
        else:
            out.append((label, text, WRITTEN, text))
    return out, lookups


def _placed(name: str) -> bool:
    """Whether a name of common words names a place or a country (Guangdong University of
    Technology; Shenyang Institute of Automation; round 31: Korea Aerospace University):
    compared without its qualifier, not only looked up (round 30; Institute of Physics stays
    anyone's)."""
    words = normalise_name(name).words  # a country by its name, not its code (IoT, Al)
    return any(a_place(word) or (len(word) > 3 and a_country(word)) for word in words)


def _spelt_out_first(text: str, name: str) -> bool:
    """Whether a name of common words, three or more, is written out before its acronym
    (Russian Academy of Sciences Space Research Institute (IKI)), not after it (ZTE (Shenzhen
    Branch Office)): the organisation's own name, whatever its acronym's language (round 31;
    Institute of Physics (IOP) stays anyone's: the round's review)."""
    return not ACRONYM_FIRST.match(text) and len(normalise_name(name).words) >= 3


def _own_name(acronym: str, name: str) -> bool:
    """Whether a name held by another has a word that is no common word, or is the initials'
    name (KIST, Korea Institute of Science and Technology)."""
    form = normalise_name(name)
    if not vocabulary().generic.issuperset(form.words):
        return True
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    return bool(acronym) and initials.upper() == acronym.upper()


def name_beside(text: str) -> tuple[str, str] | None:
    """(the acronym, the name written out) when `text` is a name with its acronym beside it,
    in brackets or set off by a dash or a comma; else None. Not when the acronym is a
    country's initials or only common words or a legal form (JSC, USA), nor when the name
    beside it is a single word (KU (Bangkok) is not the university written out)."""
    if found := BRACKETED_ACRONYM.match(text):
        acronym, rest = found.group(2), found.group(1)
    elif text.isupper():  # a word in capitals is no acronym in a name all in capitals
        return None
    elif found := ACRONYM_FIRST.match(text):
        acronym, rest = found.group(1), next(g for g in found.groups()[1:] if g)
        if len(rest.split()) < 2:
            return None
    elif found := ACRONYM_LAST.match(text):
        acronym, rest = found.group(2), found.group(1)
        if len(rest.split()) < 2:
            return None
    else:
        return None
    if acronym.upper() in COUNTRY_INITIALS or vocabulary().generic.issuperset(
        normalise_name(acronym).words
    ):
        return None
    return acronym, rest


def without_qualifier(text: str) -> str | None:
    """The name without the qualifier after it (a place, a branch, a parent body, another name
    in brackets), when what is left is a name of two words or more; else None."""
    marked = "," in text or "(" in text or "（" in text or " of " in text.lower()
    if not marked and not CLAUSE_RE.search(text):
        return None
    rest = _rest(text)
    if rest is None or len(rest.split()) < 2:
        return None
    # a qualifier that normalising drops says nothing (Samsung Electronics Co., Ltd.)
    return None if normalise_name(rest).words == normalise_name(text).words else rest


def looked_up_as(text: str) -> str | None:
    """The name before a "named after" clause at its end, under which the organisation may be
    known (Ural Federal University named after the first President of Russia B.N. Yeltsin);
    only looked up among the known names, never compared: the person's name may be all that
    tells two schools apart (Moscow State Technical University named after N.E. Bauman)."""
    found = CLAUSE_RE.search(text)
    if found and found.start() > 0 and found.end() == len(text.rstrip()):  # to the end
        return text[: found.start()].rstrip(" ,")
    return None


def _rest(text: str) -> str | None:
    if looked_up_as(text) is not None:
        return None  # the person's name may be all that tells two schools apart (Bauman)
    if found := BRACKET_TAIL.match(text):
        # another name or a city in brackets; not a country or an address, which tells a firm
        # from its namesake abroad (Gulfstar Technologies Ltd (Cyprus) is not Gulfstar
        # Technologies FZCO; Gulf Star Trading FZE (Ajman, UAE))
        inside = found.group(2)
        if "," in inside or a_country(inside) or not normalise_name(inside).words:
            return None
        return found.group(1)
    if found := COMMA_TAIL.match(text):
        head, tail = found.group(1), found.group(2)
        qualifier = normalise_name(tail).words
        # not a legal form (Co., Ltd.), a country (Ltd, Cyprus), a person's given name after
        # the surname in capitals (BIN LADEN, Usama) or a unit of the name before it (Chinese
        # Academy of Sciences, Institute of Physics)
        if not qualifier or a_country(tail) or head.isupper():
            return None
        if _a_parent(qualifier):
            return head
        if len(qualifier) <= MOST_QUALIFIER_WORDS and UNIT_WORDS.isdisjoint(qualifier):
            return head
        return None
    if (found := OF_THE_TAIL.match(text)) and _a_parent(normalise_name(found.group(2)).words):
        return found.group(1)
    return None


def _a_parent(words: tuple[str, ...]) -> bool:
    return not PARENT_WORDS.isdisjoint(words)
