"""Legal forms in Latin names (step 3 of trade.names, for trade.latin_words): dropped as whole
words and phrases wherever they stand (the few a name begins or ends with only there), cut off a
name run together with them (EmbraerSociedade Anonima), two run together (GroupCo) or written
in single letters one after the other (S.A., S.M.E.). The forms themselves are name_words.toml's
[legal_forms]. Plain Python (no Django).
"""

from __future__ import annotations

from functools import cache

from trade.name_words import vocabulary
from trade.syllables import pinyin_syllables


@cache
def legal_seconds() -> dict[str, tuple[tuple[str, str], ...]]:
    """Legal forms of several words (joint stock, sociedade anonima) as (first word, the rest
    joined), by the first three letters of their second word."""
    found: dict[str, list[tuple[str, str]]] = {}
    for phrase in vocabulary().latin_legal:
        if len(phrase) >= 2:
            found.setdefault(phrase[1][:3], []).append((phrase[0], "".join(phrase[1:])))
    return {k: tuple(v) for k, v in found.items()}


def cut_legal_starts(tokens: list[str]) -> list[str]:
    """A name run together with the first word of a legal form the next words complete
    (KronshtadtJoint Stock, EmbraerSociedade Anonima, TupolevPublic Joint Stock Company): the
    name alone, the legal form gone. The name keeps three letters or more."""
    out: list[str] = []
    seconds = legal_seconds()
    legal = vocabulary().legal_joined
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        phrases = seconds.get(tokens[i][:3], ()) if i < len(tokens) else ()
        if token in legal:  # a legal form already (Sanayi ve Ticaret | Limited Sirketi)
            phrases = ()
        for first, rest in phrases:
            if not token.endswith(first) or len(token) < len(first) + 3:
                continue
            following, end = "", i
            while end < len(tokens) and len(following) < len(rest):
                following += tokens[end]
                end += 1
            if following == rest:
                out.append(token[: -len(first)])
                i = end
                break
        else:
            out.append(token)
    return out


def legal_letters(run: str) -> list[str]:
    """A run of single letters as one word (S.A. → sa), or as two legal forms when it is not one
    and reads as two written one after the other (S.A., S.M.E. → sa, sme; S.A. de C.V.)."""
    legal = vocabulary().legal_joined  # every legal form written as one word (sa, sme, coltd)
    if len(run) < 4 or run in legal:
        return [run]
    return list(_two_of(run, legal)) or [run]


def legal_pair(token: str) -> tuple[str, ...]:
    """Two legal forms or stop words run together (GroupCo, CorporationLimited, Corporationof):
    the two, which then go; () for any other word. Not syllables of pinyin (da, de, an)."""
    if len(token) < 6 or not token.isalpha():
        return ()
    return _two_of(token, _legal_or_stop())


@cache
def _legal_or_stop() -> frozenset[str]:
    vocab = vocabulary()
    found = {w for w in vocab.legal_joined | vocab.stopwords if w.isalpha() and len(w) >= 2}
    return frozenset(found - pinyin_syllables())


def drop_legal_forms(tokens: list[str]) -> list[str]:
    vocab = vocabulary()
    out: list[str] = []
    # AO Tactical Missiles Corporation, TOO Almaty Trade Group; not A.O. Smith
    i = int(len(tokens) >= 3 and tokens[0] in vocab.leading_legal)
    # and before one word of seven letters or more, not a common word (the twentieth round: TOO
    # Kazspetsimport; not A.O. Smith, Nao Robotics)
    if len(tokens) == 2 and tokens[0] in vocab.leading_legal and len(tokens[1]) >= 7:
        i = int(tokens[1].isalpha() and tokens[1] not in vocab.generic)
    # and last (Kazinvest Trade TOO), the forms no English name ends with
    end = len(tokens) - int(len(tokens) - i >= 3 and tokens[-1] in vocab.trailing_legal)
    while i < end:
        if tokens[i] in vocab.legal_joined:
            i += 1
            continue
        for phrase in vocab.legal_by_first.get(tokens[i], ()):
            if tuple(tokens[i : min(end, i + len(phrase))]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _two_of(token: str, words: frozenset[str]) -> tuple[str, ...]:
    """The token cut in two words both of `words` (2 letters or more each), else ()."""
    for cut in range(2, len(token) - 1):
        if token[:cut] in words and token[cut:] in words:
            return (token[:cut], token[cut:])
    return ()
