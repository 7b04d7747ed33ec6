"""The common words of organisation names in Thai and Devanagari (Hindi) script read as their
English, and Georgian nouns in the genitive read as their nominative, before the rest of a
name is romanised (trade.other_scripts). Plain Python (no Django).

- Thai writes no spaces between words (การบินไทย, Thai Airways; จุฬาลงกรณ์มหาวิทยาลัย,
  Chulalongkorn University). A run is cut by the longest match of THAI_WORDS at each place,
  left to right; what no word matches stays one word, romanised (anyascii writes Thai's
  consonants and written vowels: chulalngkrn, which meets Chulalongkorn by its letters). A
  longest match on a glossary needs no dictionary of the language: the words that must be read
  are the glossary's, and a name is left whole between them. (A statistical segmenter such as
  PyThaiNLP would cut names too, and is not a dependency of the project.)
- Devanagari writes spaces between words; a word of HINDI_WORDS is read as its English
  (रक्षा अनुसंधान एवं विकास संगठन, Defence Research and Development Organisation), the rest
  romanised by anyascii, which leaves the inherent vowel out (हिन्दुस्तान hindustan).
- Georgian names put the place before in the genitive (თბილისის სახელმწიფო უნივერსიტეტი,
  Tbilisi State University; საქართველოს რკინიგზა, Georgian Railway): a word that ends in -ის
  or -ოს is read without its -ს, the nominative of those nouns; the legal forms of Armenian
  and Georgian names (ՍՊԸ, შპს) are left out.
"""

from __future__ import annotations

import re
import unicodedata

# Thai: the common words of organisation names (the legal forms บริษัท company, จำกัด limited,
# มหาชน public left out). Keys as names.fold reads them (NFKC writes ำ as two characters).
THAI_WORDS = {
    "มหาวิทยาลัย": "university", "วิทยาลัย": "college", "สถาบัน": "institute",
    "เทคโนโลยี": "technology", "วิทยาศาสตร์": "science", "แห่งชาติ": "national",
    "แห่งประเทศไทย": "thailand", "ประเทศไทย": "thailand", "ไทย": "thai", "แห่ง": "",
    "บริษัท": "", "จำกัด": "", "มหาชน": "", "สายการบิน": "airline",
    "การบิน": "aviation", "ท่าอากาศยาน": "airport", "อากาศยาน": "aircraft",
    "การไฟฟ้า": "electricity authority", "ไฟฟ้า": "electric", "ฝ่ายผลิต": "generating",
    "การรถไฟ": "railway", "รถไฟ": "railway",
    "ปิโตรเลียม": "petroleum", "ธนาคาร": "bank", "กรุงเทพมหานคร": "bangkok",
    "กรุงเทพ": "bangkok", "ศูนย์": "center", "วิจัย": "research", "พัฒนา": "development",
    "และ": "", "กองทัพเรือ": "navy", "กองทัพอากาศ": "air force", "กองทัพบก": "army",
    "กองทัพ": "military", "กระทรวง": "ministry", "กลาโหม": "defense",
    "ป้องกันประเทศ": "defense", "อุตสาหกรรม": "industrial", "อวกาศ": "space",
    "องค์การ": "organization", "สำนักงาน": "office", "อิเล็กทรอนิกส์": "electronic",
    "พลังงาน": "energy", "นิวเคลียร์": "nuclear", "ปรมาณู": "atomic",
    "วิศวกรรม": "engineering", "เคมี": "chemical", "โทรคมนาคม": "communication",
    "การสื่อสาร": "communication", "กลุ่ม": "group", "เทคนิค": "technical",
    "ขนส่ง": "transport", "อาวุธ": "weapon", "ยานยนต์": "automotive",
}  # fmt: skip
THAI_WORDS = {unicodedata.normalize("NFKC", k): v for k, v in THAI_WORDS.items()}
_THAI_RUN = re.compile("[\u0e00-\u0e7f]+")
_THAI_LONGEST = max(map(len, THAI_WORDS))

# Hindi: the common words of organisation names, English words written in Devanagari
# (एरोनॉटिक्स aeronautics, लिमिटेड limited) and the larger cities; भारत is Bharat in company
# names (Bharat Electronics), भारतीय Indian (Indian Space Research Organisation).
HINDI_WORDS = {
    "रक्षा": "defence", "अनुसंधान": "research", "अनुसन्धान": "research", "एवं": "",
    "और": "", "तथा": "", "विकास": "development", "संगठन": "organisation",
    "संस्थान": "institute", "भारतीय": "indian", "भारत": "bharat", "राष्ट्रीय": "national",
    "विश्वविद्यालय": "university", "हेवी": "heavy", "एडवांस्ड": "advanced", "एंड": "",
    "निर्माणी": "factory", "दिल्ली": "delhi", "मुंबई": "mumbai", "चेन्नई": "chennai",
    "कोलकाता": "kolkata", "बेंगलुरु": "bengaluru", "हैदराबाद": "hyderabad",
    "प्रौद्योगिकी": "technology", "तकनीकी": "technical",
    "अंतरिक्ष": "space", "अन्तरिक्ष": "space", "केंद्र": "center", "केन्द्र": "center",
    "परमाणु": "atomic", "ऊर्जा": "energy", "आयोग": "commission", "विभाग": "department",
    "मंत्रालय": "ministry", "निगम": "corporation", "लिमिटेड": "limited",
    "प्राइवेट": "private", "कंपनी": "company", "कम्पनी": "company",
    "इलेक्ट्रॉनिक्स": "electronics", "इलेक्ट्रॉनिक": "electronic", "भारी": "heavy",
    "विद्युत": "electric", "उद्योग": "industries", "इंडस्ट्रीज": "industries",
    "एयरोनॉटिक्स": "aeronautics", "एरोनॉटिक्स": "aeronautics", "नौसेना": "navy",
    "सेना": "army", "आयुध": "ordnance", "कारखाना": "factory", "कारखाने": "factory",
    "फैक्ट्री": "factory", "फैक्ट्रीज": "factories", "बोर्ड": "board",
    "प्रयोगशाला": "laboratory", "विज्ञान": "science", "इंजीनियरिंग": "engineering",
    "अभियांत्रिकी": "engineering", "रेलवे": "railway", "एयरलाइंस": "airlines",
    "राज्य": "state", "अकादमी": "academy", "हिंदुस्तान": "hindustan",
    "हिन्दुस्तान": "hindustan", "इंडिया": "india", "डायनामिक्स": "dynamics",
    "एयरोस्पेस": "aerospace", "मिसाइल": "missile", "प्रक्षेपास्त्र": "missile",
    "पेट्रोलियम": "petroleum", "इस्पात": "steel", "समूह": "group",
    "टेक्नोलॉजी": "technology", "टेक्नोलॉजीज": "technologies", "सिस्टम्स": "systems",
    "शिपयार्ड": "shipyard", "इलेक्ट्रिकल्स": "electricals", "संस्था": "institute",
}  # fmt: skip
_DEVANAGARI_WORD = re.compile("[\u0900-\u097f]+")

# The legal forms of Armenian and Georgian names (ՓԲԸ closed and ԲԲԸ open joint-stock company,
# ՍՊԸ limited liability company; შპს LLC, სს JSC): romanised they are words (spy, ss).
_LEGAL_FORMS = re.compile(
    "(?<![\u0530-\u058f\u10a0-\u10ff])(?:ՓԲԸ|ԲԲԸ|ՍՊԸ|ԲԸ|შპს|სს)(?![\u0530-\u058f\u10a0-\u10ff])"
)
_GEORGIAN_GENITIVE = re.compile("(?<=[\u10d0-\u10ff]{3}[იო])ს(?![\u10d0-\u10ff])")


def thai(run: str) -> str:
    """A run of Thai with the words of THAI_WORDS read as their English, cut longest first
    (การบินไทย aviation thai; จุฬาลงกรณ์มหาวิทยาลัย จุฬาลงกรณ์ university), the rest as it was."""
    out: list[str] = []
    rest = ""
    i = 0
    while i < len(run):
        for size in range(min(_THAI_LONGEST, len(run) - i), 1, -1):
            english = THAI_WORDS.get(run[i : i + size])
            if english is not None:
                out += [rest, english]
                rest = ""
                i += size
                break
        else:
            rest += run[i]
            i += 1
    return " ".join(w for w in (*out, rest) if w)


def read_words(text: str) -> str:
    """`text` with its Thai and Devanagari common words read as English and its Georgian
    genitives in -ის and -ოს as their nominative; other text as it was."""
    if _THAI_RUN.search(text):
        text = _THAI_RUN.sub(lambda m: f" {thai(m.group())} ", text)
    if _DEVANAGARI_WORD.search(text):
        text = _DEVANAGARI_WORD.sub(lambda m: HINDI_WORDS.get(m.group(), m.group()), text)
    return _GEORGIAN_GENITIVE.sub("", _LEGAL_FORMS.sub(" ", text))
