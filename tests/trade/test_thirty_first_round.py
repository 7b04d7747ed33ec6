"""Round 31: words of organisation names in 46 more languages and scripts read as their English
words ([foreign_words], from Tamil and Telugu to Basque and Irish); the short words that join
them (Swahili ya and na, Malay dan, Latvian un), dropped beside them only; Icelandic þ and
Maltese ħ folded to th and h. Then, from unseen52: a name of common words written out before
its acronym in brackets is the organisation's own (Corporation Tactical Missiles (KTRV)); a
name of common words naming a country is compared without its qualifier (Korea Aerospace
University, Goyang); a known organisation's company named by a city in brackets meets its
name in the other script with that city (Farasis Energy (Ganzhou), 孚能科技（赣州）); a school of
defence is of another field; words of mining and metallurgy institutes in Chinese. Then,
from unseen50 to unseen52: words of mining, metals and materials in 40 languages (a second
helper's table), those that read as pinyin too (Huta, Minera, Madini) only in a name of
another language ([foreign_words_pinyin]); 315 + known names of the battery, metals and
materials supply chain; Kyrgyz and Uzbek legal forms; the Russian Federation; words of
shipping, ports and railways.
"""

from __future__ import annotations

import pytest

from trade.matching import score_pair
from trade.names import fold, normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        # words of other languages read as their English words, in their scripts and Latin
        ("இந்திய விண்வெளி ஆய்வு மையம்", "Indian Space Research Centre"),
        ("ગુજરાત ઇજનેરી સંશોધન સંસ્થા", "Gujarat Engineering Research Institute"),
        ("Türkmenistanyň Ylymlar akademiýasy", "Academy of Sciences of Turkmenistan"),
        ("Eesti Vabariigi Kaitseministeerium", "Ministry of Defence of the Republic of Estonia"),
        ("Prifysgol Genedlaethol Cymru", "National University of Wales"),
        # a joining word beside a foreign word goes (Swahili ya, na; Malay dan; Latvian un)
        ("Investīciju un attīstības aģentūra", "Investment and Development Agency"),
        ("Wizara ya Viwanda na Biashara", "Ministry of Industry and Trade"),
        (
            "Kementerian Perdagangan Antarabangsa dan Industri",
            "Ministry of International Trade and Industry",
        ),
        # Icelandic þ is th, Maltese ħ is h, as Latin lists write them
        ("Þjóðskrá Íslands", "Thjodskra Islands"),
        ("Ħamrun Spartans", "Hamrun Spartans"),
        # a name of common words before its acronym in brackets is the organisation's own
        (
            "Space Research Institute of the Russian Academy of Sciences",
            "Russian Academy of Sciences Space Research Institute (IKI)",
        ),
        # a name of common words naming a country, without the city after it
        ("Korea Aerospace University", "Korea Aerospace University, Goyang"),
        # Chinese words of institutes; a Lithuanian city as names write it; German aircraft works
        (
            "中国科学院过程工程研究所",
            "Institute of Process Engineering, Chinese Academy of Sciences",
        ),
        ("北京矿冶研究总院", "Beijing General Research Institute of Mining and Metallurgy"),
        ("Kauno technologijos universitetas", "Kaunas University of Technology"),
        ("Pilatus Flugzeugwerke AG", "Pilatus Aircraft Ltd"),
        # (the round's review) joining and pinyin-readable words stay in Chinese and Korean
        # names of English and legal words
        ("Dong Ya Technology Co., Ltd.", "东亚科技有限公司"),
        ("Korean Un Ha Trading Corporation", "Korea Unha Trading Corporation"),
        ("Shenzhen Huta Technology Co., Ltd.", "深圳市沪塔科技有限公司"),
        # mining words that read as pinyin too, in a name of another language
        ("Huta Stalowa Wola", "Stalowa Wola Steelworks"),
        ("Compañía Minera Escondida", "Escondida Mining Company"),
        # known names of the supply chain; a Kyrgyz legal form; the Russian Federation
        ("五礦資源有限公司", "MMG Limited"),
        ("住友金属鉱山株式会社", "Sumitomo Metal Mining Co., Ltd."),
        ("Кыргызалтын ААК", "Kyrgyzaltyn OJSC"),
        (
            "Russian Federal Security Service (FSB)",
            "Federal Security Service of the Russian Federation",
        ),
        # shipping in Azerbaijani and Hindi
        ("Azərbaycan Xəzər Dəniz Gəmiçiliyi QSC", "Azerbaijan Caspian Shipping Company CJSC"),
        ("भारतीय नौवहन निगम लिमिटेड", "Shipping Corporation of India Ltd."),
    ],
)
def test_round_31_meets(party, entry):
    assert score_pair(party, entry) >= 0.85


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        # beside no foreign word a joining word is a name's syllable and stays
        ("Ta Ya Electric Wire", "Ya Electric Wire"),
        ("Ta Ya Electric Wire", "Ta Electric Wire"),
        ("Dan Trading Co", "Trading Co"),
        # the Latin word a native word is read as is no other firm's name
        ("Orkustofnun", "Orka Energy"),
        # a qualifier in brackets after an acronym stays a qualifier, not the name
        ("Shenzhen Branch Office", "ZTE (Shenzhen Branch Office)"),
        (
            "Semiconductor Manufacturing International Corporation",
            "Semiconductor Manufacturing International (Beijing) Corporation",
        ),
        (
            "Yangtze Memory Technologies Co., Ltd.",
            "Yangtze Memory Technologies (Shanghai) Co., Ltd.",
        ),
        # (the round's review) a syllable stays; a pinyin-readable word is no English word
        # beside English and legal words; a city carried in characters; acronyms differ
        ("Dong Ya Technology", "Dong Technology"),
        ("Jiangsu Huta Steel Co., Ltd.", "Jiangsu Steelworks Co., Ltd."),
        ("Erden Technology Co Ltd", "Earth Technology Co Ltd"),
        ("Institute of Physics (IOP)", "Institute of Physics (IPHY)"),
        ("Iot Research Institute, Wuxi Branch", "IoT Research Institute"),
        # a school of defence, a military one, is of another field than the university
        ("University of Belgrade", "University of Defence in Belgrade"),
        ("Kim Il Sung University", "Kim Il Sung Military University"),
        # a country in brackets stays a word of the name (a namesake abroad)
        ("Korea Aerospace University", "Korea Aerospace University (USA)"),
    ],
)
def test_round_31_keeps_apart(party, entry):
    assert score_pair(party, entry) < 0.8


def test_a_joining_word_goes_only_between_words_of_another_language():
    assert "ya" not in normalise_name("Wizara ya Viwanda").words
    assert "dan" not in normalise_name("Perdagangan dan Industri").words
    assert "ya" in normalise_name("Ta Ya Electric Wire").words
    assert "ta" in normalise_name("Ta Ya Electric Wire").words
    assert "dan" in normalise_name("Dan Trading").words


def test_a_word_that_reads_as_pinyin_is_foreign_only_in_a_foreign_name():
    assert normalise_name("Huta Stalowa Wola").words[0] == "steelworks"
    # in a name of pinyin and English words it stays the name's word
    assert normalise_name("Huta Trading Co., Ltd.").words == ("huta", "trading")
    assert normalise_name("Madini Zhongxing").words[0] == "madini"


def test_chemins_de_fer_are_railways():
    words = normalise_name("Société nationale des chemins de fer français").words
    assert "railway" in words
    assert "fer" not in words


def test_icelandic_and_maltese_letters_fold_to_latin():
    assert fold("Þjóðskrá") == "thjodskra"
    assert fold("Ħamrun") == "hamrun"
