"""Pinyin syllables and the sounds of older romanisations. Plain Python (no Django).

Which words are pinyin (`pinyin_split`: the fewest syllables, from every syllable pypinyin
knows), which are certainly pinyin and not Wade-Giles or postal spelling (`certainly_pinyin`),
and a coarse sound key under which the spellings of one syllable meet (`sound_key`: Hsu/Xu,
Chang/Zhang, Tsinghua/Qinghua).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import product
from math import prod

from pypinyin import Style, lazy_pinyin


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows, from the common CJK block."""
    chars = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    found = {s for s in lazy_pinyin(chars, style=Style.NORMAL) if s.isalpha()}
    # Interjections without a vowel (嗯 n, 呒 m) would make almost any word pinyin.
    found -= {"n", "m", "ng", "hm", "hng"}
    return frozenset(found | {s.replace("v", "u") for s in found})


@cache
def syllable_sounds() -> frozenset[str]:
    """The sound keys of pinyin syllables: a Wade-Giles or postal syllable has one of them."""
    return frozenset(sound_key(s) for s in pinyin_syllables())


@lru_cache(maxsize=100_000)
def is_syllable(part: str) -> bool:
    """One syllable in pinyin, Wade-Giles or postal spelling (chiang, hsin, chih, tzu)."""
    if not part.isalpha() or len(part) > 7:
        return False
    if part in pinyin_syllables() or part in wade_giles_spellings():  # tien, ko (round 29)
        return True
    sounds = syllable_sounds()
    return sound_key(part) in sounds or (part.endswith("h") and sound_key(part[:-1]) in sounds)


@lru_cache(maxsize=100_000)
def certainly_pinyin(word: str) -> bool:
    """Pinyin that no older romanisation would write: it has letters Wade-Giles and postal
    spellings do not use (b, d, g, q, x, z, c, r as initials). Two such words that differ are
    two names (Ruijun, Ruichun), not two spellings of one."""
    if pinyin_split(word) is None:
        return False
    rest = word
    for cluster in ("ng", "ch", "sh", "ts", "tz", "er"):
        rest = rest.replace(cluster, "-")
    return any(c in rest for c in "bdgqxzcr")


@lru_cache(maxsize=100_000)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """The word as pinyin syllables (fewest syllables), or None when it is not pinyin."""
    syllables = pinyin_syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables:
                candidate = (*head, word[start:end])
                known = best[end]
                if known is None or len(candidate) < len(known):
                    best[end] = candidate
    return best[len(word)]


SOUND_RULES = (
    ("tsz", "j"),
    ("zh", "j"),
    ("ch", "j"),
    ("ts", "j"),
    ("tz", "j"),
    ("hs", "s"),
    ("kw", "gu"),
    ("hw", "hu"),
    ("ung", "ong"),
    ("ieh", "ie"),
    ("ow", "ou"),
)
SOUND_LETTERS = str.maketrans(
    {"q": "j", "z": "j", "c": "j", "x": "s", "k": "g", "p": "b", "t": "d", "v": "u", "r": "j"}
)


@lru_cache(maxsize=100_000)
def sound_key(word: str) -> str:
    """A coarse key under which Wade-Giles and pinyin spellings of a syllable meet
    (Chang/Zhang → jang, Hsu/Xu → su, Tsinghua/Qinghua → jinghua)."""
    for old, new in SOUND_RULES:
        word = word.replace(old, new)
    word = word.translate(SOUND_LETTERS)
    return re.sub(r"(.)\1+", r"\1", word)


# Cantonese and Taiwanese spellings of syllables common in names, and the pinyin syllables
# each may write (新鴻基 Sun Hung Kai xin hong ji, 恒生 Hang Seng heng sheng, 鴻海 Hon Hai,
# 正新 Cheng Shin, 長江 Cheung Kong). Spellings whose sound key is the pinyin's need no entry.
ROMANISED = {
    "sun": "xin shen sun", "shin": "xin", "sin": "xin", "hung": "hong xiong", "hon": "hong han",
    "kai": "ji qi kai", "kee": "ji qi", "kei": "ji qi", "hang": "heng xing hang",
    "seng": "sheng", "sang": "sheng", "shing": "cheng sheng", "sing": "xing sheng cheng",
    "kong": "gang jiang guang", "kwong": "guang", "chow": "zhou", "chau": "zhou qiu",
    "tai": "da tai", "fook": "fu", "fu": "fu", "lee": "li", "wah": "hua", "wa": "hua",
    "wing": "rong yong", "cheung": "zhang chang", "chan": "chen", "wong": "huang wang",
    "yip": "ye", "lung": "long", "kum": "jin", "kam": "jin gan", "yuen": "yuan",
    "tung": "dong", "chung": "zhong chong", "keung": "qiang", "ng": "wu", "tak": "de",
    "fat": "fa", "yau": "you qiu", "man": "wen min man wan", "chee": "zhi qi", "kwok": "guo",
    "kuo": "guo", "tse": "xie", "lam": "lin", "fung": "feng", "on": "an", "hing": "xing",
    "hoi": "hai", "sai": "xi", "po": "bao bo", "yee": "yi", "tin": "tian", "kin": "jian",
    "ho": "he hao", "tso": "cao zuo", "luk": "lu liu", "kok": "guo", "nam": "nan", "pak": "bai bei",
    "kwan": "guan jun", "chiu": "zhao", "mei": "mei", "yung": "rong yong", "jung": "rong",
    "hsiung": "xiong", "chiang": "jiang qiang", "yeung": "yang", "leung": "liang",
}  # fmt: skip
# The fifth round: more Hong Kong government (Cantonese) spellings of characters common in
# company names and surnames (大昌行 Dah Chong Hong, 余仁生 Eu Yan Sang, 裕元 Yue Yuen, 鴻福堂
# Hung Fook Tong), and Taiwanese spellings that are neither pinyin nor Wade-Giles (彰化 Chang
# Hwa, 長庚 Chang Gung, 富邦 Fubon).
CANTONESE = {
    "chong": "chang zhuang", "cheong": "chang xiang", "tong": "tang dong", "yue": "yu ru",
    "yu": "yu ru you", "dah": "da", "dai": "da dai", "hong": "hang xiang kang", "heung": "xiang",
    "eu": "yu", "yan": "ren yan en xin", "yat": "yi ri", "bon": "bang", "pong": "bang pang",
    "fai": "hui", "wai": "wei hui", "wan": "yun wen huan", "kit": "jie", "kiu": "qiao",
    "chi": "zhi chi ci", "tsang": "zeng", "tsui": "xu cui", "tsoi": "cai", "choi": "cai",
    "choy": "cai", "mok": "mo", "lau": "liu", "law": "luo", "lo": "lu luo", "mak": "mai",
    "siu": "xiao zhao", "shiu": "shao zhao", "woo": "hu", "yim": "yan", "ching": "zheng qing",
    "cheng": "zheng", "sze": "shi si", "shek": "shi", "sek": "shi xi", "yik": "yi", "ip": "ye",
    "lai": "li lai", "kwai": "gui", "kwei": "gui", "fong": "fang kuang feng", "koon": "guan",
    "kun": "guan jun", "tsun": "jun zun", "chun": "zhen chun jun", "san": "xin shan",
    "hin": "xuan xian", "him": "qian", "yiu": "yao", "tsuen": "quan", "chuen": "quan chuan",
    "yuet": "yue", "cheuk": "zhuo", "foo": "fu", "hui": "xu hui", "poon": "pan", "pun": "pan",
    "mui": "mei", "sum": "shen sen", "sham": "shen", "lum": "lin", "lok": "le luo", "tat": "da",
    "wo": "he", "woh": "he", "ngai": "wei yi", "ngan": "yan", "ngau": "niu", "au": "ou",
    "tsim": "zhan jian", "tsin": "qian", "tseung": "jiang zhang", "kow": "jiu gou",
    "kau": "jiu qiu", "kuk": "ju", "suen": "sun xuan", "ying": "ying", "shun": "shun xin",
    "hsin": "xin xing", "hwa": "hua", "gung": "gong geng", "yieh": "ye", "tsai": "cai",
    "huei": "hui", "jen": "ren",
    # the ninth round: more Hong Kong spellings of characters common in names (合 hop, 景 king,
    # 六 luk, 冠 kwoon, 瑞 shui, 譚 tam, 霍 fok, 呂 lui, 匯 wui, 貝 pui, 隆 loong, 清 tsing, 顧 koo,
    # 立 lap, 岳 ngok, 鄧 tang) and Taiwanese and Thai-Chinese ones (泰 thai, tay; 黃 hwang,
    # 祥 shiang, 偉 wey, 友 yeou)
    "hop": "he", "king": "jing qing", "kwoon": "guan", "shui": "rui shui", "sui": "rui sui",
    "tam": "tan", "fok": "huo", "lui": "lei lu", "wui": "hui", "pui": "bei pei",
    "loong": "long", "tsing": "qing", "ting": "ding ting", "koo": "gu", "lap": "li",
    "ngok": "yue", "tang": "tang deng", "thai": "tai", "tay": "tai", "hwang": "huang",
    "shiang": "xiang", "wey": "wei", "yeou": "you",
}  # fmt: skip

WG_INITIALS = (
    ("zh", "ch"), ("ch", "ch"), ("sh", "sh"), ("b", "p"), ("d", "t"), ("g", "k"), ("j", "ch"),
    ("q", "ch"), ("x", "hs"), ("r", "j"), ("z", "ts"), ("c", "ts"),
)  # fmt: skip
WG_WHOLE = {
    "zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tzu",
    "si": "ssu", "er": "erh", "e": "o", "you": "yu", "yan": "yen", "ye": "yeh", "yong": "yung",
    "yue": "yueh", "ge": "ko", "ke": "ko", "he": "ho", "gui": "kuei", "kui": "kuei",
}  # fmt: skip


def wade_giles(syllable: str) -> str:
    """A toneless pinyin syllable in Wade-Giles as names write it (no apostrophes or umlauts),
    by the standard conversion table: initials b p, d t, g k, j q zh ch, x hs, r j, z c ts; -ong
    -ung, -ian -ien, -ie -ieh, -uo -o (but guo kuo, huo, shuo), -üe -üeh; zhi chih, shi shih,
    ri jih, zi tzu, si ssu, er erh, ge ko, he ho, gui kuei, you yu, yan yen, ye yeh."""
    if syllable in WG_WHOLE:
        return WG_WHOLE[syllable]
    initial, final = "", syllable
    for pinyin, wade in WG_INITIALS:
        if syllable.startswith(pinyin) and len(syllable) > len(pinyin):
            initial, final = wade, syllable[len(pinyin) :]
            break
    else:
        for letter in "pmftnlkhsyw":
            if syllable.startswith(letter) and len(syllable) > 1:
                initial, final = letter, syllable[1:]
                break
    if final.startswith("uo") and initial not in ("k", "h", "sh"):
        final = "o" + final[2:]
    if final == "ue":
        final = "ueh"
    for pinyin, wade in (("iong", "iung"), ("ong", "ung"), ("ian", "ien"), ("ie", "ieh")):
        if final == pinyin:
            final = wade
            break
    return initial + final


@cache
def wade_giles_syllables() -> dict[str, frozenset[str]]:
    """Wade-Giles spellings of every pinyin syllable whose sound key is not the pinyin's
    (ho 和, lo 罗, tzu 子, ssu 四, lien 联, yeh 叶), and the pinyin syllables each writes; not o and
    no (English words)."""
    found: dict[str, set[str]] = {}
    for syllable in pinyin_syllables():
        spelt = wade_giles(syllable)
        if spelt not in ("o", "no") and sound_key(spelt) != sound_key(syllable):
            found.setdefault(spelt, set()).add(syllable)
    return {k: frozenset(v) for k, v in found.items()}


@cache
def wade_giles_spellings() -> frozenset[str]:
    """Every pinyin syllable's Wade-Giles spelling, those that sound as the pinyin too (chin
    jin, chung zhong): no misspelt common word (Chin is not Chain)."""
    return frozenset(_pinyin_of_wade_giles())


ROMANISED_SYLLABLES = {k: frozenset(v.split()) for k, v in (CANTONESE | ROMANISED).items()}
for _spelt, _pinyin in wade_giles_syllables().items():
    ROMANISED_SYLLABLES[_spelt] = ROMANISED_SYLLABLES.get(_spelt, frozenset()) | _pinyin


@lru_cache(maxsize=200_000)
def romanised_as(words: tuple[str, ...], word: str) -> bool:
    """Whether neighbouring words, one syllable each in a Cantonese, Taiwanese or Wade-Giles
    spelling, write the pinyin word syllable by syllable (Sun Hung Kai ↔ xinhongji, Cheng Kung
    ↔ chenggong): every syllable an entry of ROMANISED or of the same sound key, and at least
    one not the pinyin itself."""
    split = pinyin_split(word)
    if split is None or len(split) != len(words) or "".join(words) == word:
        return False
    for spelt, syllable in zip(words, split, strict=True):
        if spelt == syllable or sound_key(spelt) == sound_key(syllable):
            continue
        if syllable not in ROMANISED_SYLLABLES.get(spelt, ()):
            return False
    return True


@lru_cache(maxsize=200_000)
def romanised_sounds(words: tuple[str, ...]) -> frozenset[str]:
    """The sound keys of the pinyin words that neighbouring words in a Cantonese or Taiwanese
    spelling could write (romanised_as holds for them), other than their own joined sound: an
    index key. Empty unless every word is one syllable and one at least has an entry."""
    if not 2 <= len(words) <= 4 or not any(w in ROMANISED_SYLLABLES for w in words):
        return frozenset()
    options: list[set[str]] = []
    for word in words:
        if word not in ROMANISED_SYLLABLES and not is_syllable(word):
            return frozenset()
        options.append(
            {sound_key(word)} | {sound_key(s) for s in ROMANISED_SYLLABLES.get(word, ())}
        )
    joined = {""}
    for choices in options:
        joined = {head + key for head in joined for key in choices}
        if len(joined) > 64:
            return frozenset()
    own = re.sub(r"(.)\1+", r"\1", "".join(sound_key(w) for w in words))
    return frozenset(re.sub(r"(.)\1+", r"\1", j) for j in joined) - {own}


@cache
def _pinyin_of_wade_giles() -> dict[str, tuple[str, ...]]:
    """Each Wade-Giles spelling (no apostrophes) → the pinyin syllables it writes."""
    found: dict[str, list[str]] = {}
    for syllable in sorted(pinyin_syllables()):
        found.setdefault(wade_giles(syllable), []).append(syllable)
    return {k: tuple(v) for k, v in found.items()}


# Wade-Giles marks aspiration with an apostrophe (t'ien tian, tien dian): where a name writes
# apostrophes, a syllable without one has the unaspirated initial.
APOSTROPHES = "'’‘`´ʻʼ"


def pinyin_of_wade_giles(
    parts: list[str], known: Callable[[str], bool], *, marked: bool = False
) -> str | None:
    """The one word in pinyin that syllables written with hyphens in Wade-Giles are, when one
    reading only is a word `known` reads (Chung-kuo Hang-t'ien K'o-chi Chi-t'uan: zhongguo,
    hangtian, keji, jituan; round 29); else None (pinyin already, or no reading or several).
    With `marked`, the parts keep their apostrophes, which tell aspirated initials."""
    bare = [
        part.strip(APOSTROPHES).translate({ord(c): None for c in APOSTROPHES}) for part in parts
    ]
    if not marked and all(part in pinyin_syllables() for part in bare):
        return None
    table = _pinyin_of_wade_giles()
    options = [
        _aspiration(table.get(b, ()) + ((b,) if b in pinyin_syllables() else ()), part, marked)
        for b, part in zip(bare, parts, strict=True)
    ]
    if not all(options) or prod(len(o) for o in options) > 64:
        return None
    readings = {"".join(c) for c in product(*options) if known("".join(c))}
    return readings.pop() if len(readings) == 1 else None


def _aspiration(options: tuple[str, ...], written: str, marked: bool) -> tuple[str, ...]:
    """The pinyin syllables a Wade-Giles syllable may be, by its apostrophe where the name
    writes them (t'ien tian; tien dian)."""
    if not marked:
        return options
    aspirated = any(c in written for c in APOSTROPHES)
    kept = tuple(o for o in options if _aspirated(o) in (None, aspirated))
    return kept or options


def _aspirated(syllable: str) -> bool | None:
    """Whether a pinyin syllable's initial is aspirated (t, ch), unaspirated (d, zh) or neither."""
    if syllable.startswith(("zh", "ch")):
        return syllable[0] == "c"
    if syllable[0] in "ptkqc":
        return True
    return False if syllable[0] in "bdgjz" else None
