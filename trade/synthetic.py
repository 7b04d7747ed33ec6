"""Synthetic parties and list entries with realistic names, Latin and Chinese (for benchmarks
and demos). Plain Python; the same seed gives the same data.

Chinese company names are built as their registrations are: place + brand (two or three
characters) + trade + legal form (深圳市华信电子科技有限公司), with the English name such a
company uses (Shenzhen Huaxin Electronic Technology Co., Ltd.). Western names join a brand to
a trade and a legal form (Northgate Photonics, Inc.). Parties share places, trades and often
brand characters with the list; a few percent are variants of listed names (a typo, another
word order, another legal form, the other script, a missing place).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from trade.matching import LISTS, ListEntry, Party

PLACES = [
    ("北京", "Beijing"),
    ("上海", "Shanghai"),
    ("深圳", "Shenzhen"),
    ("广州", "Guangzhou"),
    ("天津", "Tianjin"),
    ("重庆", "Chongqing"),
    ("杭州", "Hangzhou"),
    ("苏州", "Suzhou"),
    ("南京", "Nanjing"),
    ("武汉", "Wuhan"),
    ("成都", "Chengdu"),
    ("西安", "Xi'an"),
    ("宁波", "Ningbo"),
    ("无锡", "Wuxi"),
    ("东莞", "Dongguan"),
    ("厦门", "Xiamen"),
    ("青岛", "Qingdao"),
    ("合肥", "Hefei"),
    ("长沙", "Changsha"),
    ("宁德", "Ningde"),
    ("江苏", "Jiangsu"),
    ("浙江", "Zhejiang"),
    ("广东", "Guangdong"),
    ("湖南", "Hunan"),
]
TRADES = [
    ("电子科技", "Electronic Technology"),
    ("新能源科技", "New Energy Technology"),
    ("新材料", "New Material"),
    ("机械设备", "Machinery Equipment"),
    ("进出口贸易", "Import Export Trading"),
    ("精密仪器", "Precision Instrument"),
    ("半导体", "Semiconductor"),
    ("光电科技", "Optoelectronic Technology"),
    ("电池", "Battery"),
    ("锂业", "Lithium"),
    ("化工", "Chemical"),
    ("智能装备", "Intelligent Equipment"),
    ("通信技术", "Communication Technology"),
    ("国际贸易", "International Trading"),
    ("航空科技", "Aviation Technology"),
    ("储能技术", "Energy Storage Technology"),
    ("自动化设备", "Automation Equipment"),
    ("信息技术", "Information Technology"),
]
LEGAL_CN = [
    ("有限公司", "Co., Ltd."),
    ("股份有限公司", "Co., Ltd."),
    ("集团有限公司", "Group Co., Ltd."),
]
BRAND_CHARS = (
    "华中兴达信通泰恒新科天海宏盛鑫源博瑞德安金龙凯富力星光明远东方联创能宇航佳和正威立国汇嘉利诚"
    "辉腾飞鼎晨欣捷美永昌丰隆祥宝顺万益荣伟成峰林智图云弘洲锐拓昊旭晟铭辰睿琪"
    "奥百贝倍本必标彬冰波灿策朝驰崇楚川春纯聪翠丹道迪笛典东栋敦朵帆梵芳菲芬枫福港高歌格耕冠广"
    "贵桂涵翰杭豪浩禾河赫鸿虹厚湖沪骅桓焕煌慧惠吉佳坚建江杰劲京晶景璟敬炯久钧骏开康珂克坤朗乐"
    "蕾磊理丽莲良亮麟灵玲凌岭璐禄路伦罗满茂蒙苗敏名墨牧楠宁鹏品萍朴齐启琦谦乾巧勤沁青清擎琼秋"
    "全仁融润若森山善尚韶绍深盛胜诗石时世仕舒树双硕思松嵩苏素涛韬特天田铁同彤桐拓湾万维蔚文雯"
)
WESTERN_FIRST = [
    "North",
    "South",
    "Apex",
    "Blue",
    "Red",
    "Silver",
    "Iron",
    "Eagle",
    "Summit",
    "Pioneer",
    "Liberty",
    "Atlas",
    "Orion",
    "Vector",
    "Falcon",
    "Granite",
    "Harbor",
    "Keystone",
    "Meridian",
    "Nova",
    "Sterling",
    "Titan",
    "Vertex",
    "Zenith",
    "Cobalt",
    "Delta",
    "Sigma",
    "Quantum",
    "Horizon",
    "Frontier",
]
WESTERN_SECOND = [
    "gate",
    "ridge",
    "field",
    "stone",
    "wood",
    "bridge",
    "point",
    "star",
    "line",
    "core",
    "tech",
    "wave",
    "dyne",
    "tron",
    "com",
    "lex",
    "net",
    "sys",
    "mark",
    "port",
]
SURNAMES = [
    "Harris",
    "Miller",
    "Anderson",
    "Walker",
    "Fischer",
    "Schmidt",
    "Tanaka",
    "Suzuki",
    "Morgan",
    "Becker",
    "Collins",
    "Hughes",
    "Wagner",
    "Keller",
    "Nakamura",
    "Brooks",
    "Turner",
    "Parker",
]
WESTERN_TRADES = [
    "Aerospace Systems",
    "Defense Technologies",
    "Photonics",
    "Unmanned Systems",
    "Electronics",
    "Advanced Materials",
    "Precision Components",
    "Energy Storage",
    "Marine Systems",
    "Semiconductor Equipment",
    "Logistics",
    "Trading",
    "Industries",
    "Engineering",
    "Robotics",
    "Sensors",
    "Microwave",
    "Battery Technologies",
]
WESTERN_LEGAL = ["Inc.", "LLC", "Corporation", "Corp.", "Ltd.", "GmbH", "Limited", "Co.", "AG"]
WESTERN_COUNTRIES = ["US", "US", "US", "JP", "DE", "GB", "FR", "KR"]


@dataclass(frozen=True)
class Company:
    name: str
    name_zh: str
    country: str


def _pinyin(chinese: str) -> str:
    return "".join(lazy_pinyin(chinese, style=Style.NORMAL)).capitalize()


def company(rng: random.Random) -> Company:
    if rng.random() < 0.6:
        place_zh, place = rng.choice(PLACES)
        brand_zh = "".join(rng.choice(BRAND_CHARS) for _ in range(rng.choice((2, 2, 2, 3))))
        trade_zh, trade = rng.choice(TRADES)
        legal_zh, legal = rng.choice(LEGAL_CN)
        city = (
            "市" if rng.random() < 0.5 and place_zh not in ("江苏", "浙江", "广东", "湖南") else ""
        )
        return Company(
            name=f"{place} {_pinyin(brand_zh)} {trade} {legal}",
            name_zh=f"{place_zh}{city}{brand_zh}{trade_zh}{legal_zh}",
            country=rng.choice(("CN", "CN", "CN", "HK")),
        )
    if rng.random() < 0.7:
        brand = rng.choice(WESTERN_FIRST) + rng.choice(WESTERN_SECOND)
    else:
        brand = f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
    name = f"{brand} {rng.choice(WESTERN_TRADES)} {rng.choice(WESTERN_LEGAL)}"
    return Company(name=name, name_zh="", country=rng.choice(WESTERN_COUNTRIES))


def entries(n: int, *, seed: int = 14) -> list[ListEntry]:
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
    found = []
    for i in range(n):
        c = company(rng)
        listed = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1200))
        delisted = (
            listed + dt.timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.05 else None
        )
        found.append(
            ListEntry(
                list=rng.choice(LISTS),
                entry_ref=f"SYN{i:06d}",
                name=c.name,
                aliases=(c.name_zh,) if c.name_zh else (),
                country=c.country,
                listed_on=listed,
                delisted_on=delisted,
                announcement=f"Synthetic announcement {listed.year} No. {rng.randrange(1, 90)}",
            )
        )
    return found


def variant(name: str, rng: random.Random) -> str:
    """A way the same party's name is written elsewhere."""
    words = name.split()
    kind = rng.randrange(4)
    if kind == 0 and words:  # a typo: two letters of one word swapped
        i = max(range(len(words)), key=lambda k: len(words[k]))
        word = words[i]
        if len(word) > 4:
            j = rng.randrange(1, len(word) - 2)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        return " ".join(words)
    if kind == 1:  # another order
        rng.shuffle(words)
        return " ".join(words)
    if kind == 2:  # another legal form
        stem = [
            w
            for w in words
            if w.rstrip(".,")
            not in {"Co", "Ltd", "Inc", "LLC", "Corp", "GmbH", "AG", "Limited", "Corporation"}
        ]
        return " ".join(stem) + " " + rng.choice(("Limited", "Company", "Corp", "Inc"))
    return " ".join(words[1:]) if len(words) > 2 else name  # the place left out


def parties(
    n: int, listed: list[ListEntry], *, planted: float = 0.03, seed: int = 41
) -> tuple[list[Party], dict[str, str]]:
    """n parties; about `planted` of them are variants of listed names. Returns the parties and,
    for each planted one, the entry it was made from."""
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
    found, truth = [], {}
    for i in range(n):
        ref = f"PTY{i:07d}"
        if listed and rng.random() < planted:
            entry = rng.choice(listed)
            names = [entry.name, *entry.aliases]
            source = rng.choice(names)
            text = (
                source if any("\u4e00" <= ch <= "\u9fff" for ch in source) else variant(source, rng)
            )
            found.append(Party(party_ref=ref, name=text, country=entry.country, row=i + 2))
            truth[ref] = entry.entry_ref
            continue
        c = company(rng)
        use_zh = c.name_zh and rng.random() < 0.3
        found.append(
            Party(
                party_ref=ref,
                name=c.name if not use_zh else "",
                name_zh=c.name_zh if use_zh or rng.random() < 0.2 else "",
                country=c.country,
                row=i + 2,
            )
        )
    return found, truth
