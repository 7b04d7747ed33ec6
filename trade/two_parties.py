"""Signs that two names sharing their distinctive words are two parties, which the word share
alone does not see. Plain Python (no Django).

trade.scoring takes PLACE_PENALTY or TRADE_PENALTY off the share when, of the words left
unpaired, each name has a place the other lacks (Beijing and Tianjin Tong Ren Tang; Xi'an
Jiaotong and Shanghai Jiao Tong), or a name of common words only has a place more (the
Shenyang Institute of Automation); or (the fifteenth round) BRANCH_PENALTY when one name has a
place after a distinctive word, the other name whole in it and no distinctive word more, as a
branch or subsidiary names itself
(Dawning Information Industry Chengdu, 中芯国际集成电路制造(上海): a place first, Beijing Huawei,
is how Chinese names begin and costs little); or TRADE_PENALTY when each name has a trade word the
other lacks and the two are not related words (Kwong Fat Trading and Kwong Fat Engineering;
Xinyuan Precision Machinery and Xinyuan Precision Plastics: a firm's trade is part of its
name). Words of a company's kind ([partial]: technology, group, holding; not trading,
engineering, digital: [partial] trades) and faint ones (China, national) say no trade, nor two
words of one stem (securities, security). The twenty-second round: BRANCH_PENALTY too when two
schools share their words but for a field one of them has more ([partial] fields: Tbilisi State
Medical University and Tbilisi State University); HAN_FIELD_PENALTY when two names in
characters name schools of two fields ([partial] han_fields: 北京理工大学 and 北京科技大学, which
the glossary reads alike), and then scoring does not take them as the same words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from trade.name_words import vocabulary
from trade.names import NameForm

PLACE_PENALTY = 0.1
TRADE_PENALTY = 0.1
BRANCH_PENALTY = 0.2
# Two names in characters whose schools have two fields: enough to take two names the glossary
# reads alike (北京理工大学, 北京科技大学: both beijing technology university) below the threshold.
HAN_FIELD_PENALTY = 0.3


def common_only(form: NameForm, slipped: set[int] | frozenset[int] = frozenset()) -> bool:
    """Whether a name has only common words (`slipped`: words read as common words)."""
    return all(w < 1 or k in slipped for k, w in enumerate(form.weights))


def _trades(words: list[str]) -> list[str]:
    vocab = vocabulary()
    return [
        w
        for w in words
        if w in vocab.generic
        and w not in vocab.places
        and (w not in vocab.partial or w in vocab.partial_trades)
        and w not in vocab.faint
    ]


def two_parties(
    a: NameForm, b: NameForm, missing: list[str], extra: list[str], slipped: set[int]
) -> tuple[float, str]:
    """(what to take off the share, why) for names whose unpaired words are `missing` (of `a`)
    and `extra` (of `b`); (0.0, '') when nothing says two parties."""
    if fields := other_han_field(a.cjk, b.cjk):
        return HAN_FIELD_PENALTY, f"a school of another field: {fields}"
    places = vocabulary().places
    own_a = [w for w in missing if w in places]
    own_b = [w for w in extra if w in places]
    if (own_a and own_b) or ((own_a or own_b) and common_only(a, slipped) and common_only(b)):
        return PLACE_PENALTY, f"other places: {', '.join(own_a + own_b)}"
    for form, left, other_left in ((a, missing, extra), (b, extra, missing)):
        if other_left or not left:
            continue  # the other name whole in this one: only then a branch of it
        branch = [k for k, w in enumerate(form.words) if w in left]
        if any(form.weights[k] >= 1 for k in branch):
            continue  # a distinctive word more (Youxian Goongsi: you, xian) is not a branch
        for k in branch:
            if form.words[k] in places and any(w >= 1 for w in form.weights[:k]):
                return BRANCH_PENALTY, f"a branch: {form.words[k]} after the name"
    if field := _other_field(a, b, missing, extra):
        return BRANCH_PENALTY, f"a school of another field: {field}"
    trades_a, trades_b = _trades(missing), _trades(extra)
    related = vocabulary().related
    if (
        trades_a
        and trades_b
        and not any((x, y) in related or x[:5] == y[:5] for x in trades_a for y in trades_b)
    ):  # (securities, security: one trade, read two ways)
        return TRADE_PENALTY, f"other trades: {', '.join(trades_a + trades_b)}"
    return 0.0, ""


def _other_field(a: NameForm, b: NameForm, missing: list[str], extra: list[str]) -> str:
    """The field one school has more, when the two names share their school's word and one of
    them has no word left but its field (Tbilisi State Medical University, Tbilisi State
    University; Beijing Normal University, Beijing University: two universities)."""
    vocab = vocabulary()
    if (
        (missing and extra)
        or vocab.schools.isdisjoint(a.words)
        or vocab.schools.isdisjoint(b.words)
    ):
        return ""
    left = missing or extra
    # a field's sciences go with it (Shahid Beheshti University of Medical Sciences; round 30)
    named = any(w in vocab.fields for w in left)
    return (
        ", ".join(left) if named and all(w in vocab.fields or w == "science" for w in left) else ""
    )


@lru_cache(maxsize=1)
def _han_school() -> re.Pattern[str]:
    fields = sorted(vocabulary().han_fields, key=len, reverse=True)
    return re.compile(f"({'|'.join(map(re.escape, fields))})(?:大学|学院)")


def other_han_field(a: str, b: str) -> str:
    """The two fields of two schools named in characters, when they differ ('' otherwise):
    北京理工大学 and 北京科技大学 are two schools, which the glossary reads alike."""
    if not (a and b):
        return ""
    found = [_han_school().search(cjk.replace("科学技术", "科技")) for cjk in (a, b)]
    if found[0] and found[1] and found[0].group(1) != found[1].group(1):
        return f"{found[0].group(1)}, {found[1].group(1)}"
    return ""
