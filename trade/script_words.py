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

from anyascii import anyascii

from trade.asian_scripts import cut, read_asian

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
    "डिफेंस": "defence", "डिफेन्स": "defence", "फोर्ज": "forge", "स्ट्रेटेजिक": "strategic",
    "सॉल्यूशंस": "solutions", "इंजीनियर्स": "engineers", "पावर": "power", "स्टील": "steel",
    "मोटर्स": "motors", "केमिकल्स": "chemicals", "फार्मा": "pharma",
    "इंटरनेशनल": "international", "ग्लोबल": "global", "एनर्जी": "energy",
    "कम्युनिकेशंस": "communications", "नेटवर्क्स": "networks", "सर्विसेज": "services",
    "होल्डिंग्स": "holdings", "ग्रुप": "group", "कॉर्पोरेशन": "corporation",
    "सेमीकंडक्टर": "semiconductor", "इलेक्ट्रिक": "electric", "ऑप्टिक्स": "optics",
    "इन्फ्रास्ट्रक्चर": "infrastructure", "इंफ्रास्ट्रक्चर": "infrastructure",
}  # fmt: skip
_DEVANAGARI_WORD = re.compile("[\u0900-\u097f]+")
# Devanagari romanised as Indian names are written in English: a consonant with its vowel a
# unless a vowel sign or a virama follows or it ends the word (महिंद्रा mahindra, भारत bharat:
# anyascii writes mhimdra, bhart), and the letters English spellings write otherwise.
_CONSONANTS = re.compile("[\u0915-\u0939\u0958-\u095f]")
_NO_VOWEL_A = re.compile("[\u093c-\u094d\u0962\u0963]")  # vowel signs, nukta, virama
_VOWEL_SIGNS = re.compile("[\u093e-\u094c\u0962\u0963]")
_HINDI_LETTERS = {
    "च": "ch", "छ": "chh", "श": "sh", "ष": "sh", "ं": "n", "ँ": "n", "ृ": "ri",
    "क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "फ़": "f", "फ": "f", "ड़": "r", "ढ़": "rh",
}  # fmt: skip

# The legal forms of Armenian and Georgian names (ՓԲԸ closed and ԲԲԸ open joint-stock company,
# ՍՊԸ limited liability company; შპს LLC, სს JSC): romanised they are words (spy, ss).
_LEGAL_FORMS = re.compile(
    "(?<![\u0530-\u058f\u10a0-\u10ff])(?:ՓԲԸ|ԲԲԸ|ՍՊԸ|ԲԸ|შპს|სს)(?![\u0530-\u058f\u10a0-\u10ff])"
)
_GEORGIAN_GENITIVE = re.compile("(?<=[\u10d0-\u10ff]{3}[იო])ს(?![\u10d0-\u10ff])")


def thai(run: str) -> str:
    """A run of Thai with the words of THAI_WORDS read as their English, cut longest first
    (การบินไทย aviation thai; จุฬาลงกรณ์มหาวิทยาลัย จุฬาลงกรณ์ university), the rest as it was."""
    return cut(run, THAI_WORDS, _THAI_LONGEST)


def _hindi_word(word: str) -> str:
    return HINDI_WORDS[word] if word in HINDI_WORDS else hindi(word)


def hindi(word: str) -> str:
    """A Devanagari word in Latin letters as Indian names are spelt (महिंद्रा mahindra, अदाणी
    adani, गोदरेज godrej): a consonant's vowel a is not spoken at the end of a word, nor
    between a vowel sign and a consonant with its own (डायनामिक्स daynamiks)."""
    letters: list[str] = []  # a letter with its nukta (ज़ z) is one
    for char in unicodedata.normalize("NFD", word):
        if char == "\u093c" and letters:
            letters[-1] += char
        else:
            letters.append(char)
    parts: list[str] = []
    for k, letter in enumerate(letters):
        parts.append(_HINDI_LETTERS.get(letter) or anyascii(letter))
        if _inherent_a(letters, k):
            parts.append("a")
    return "".join(c for c in "".join(parts) if c.isalpha())


def _inherent_a(letters: list[str], k: int) -> bool:
    """Whether the consonant letters[k] is spoken with its vowel a."""
    if not _CONSONANTS.match(letters[k]) or k + 1 == len(letters):
        return False
    if _NO_VOWEL_A.match(letters[k + 1]):
        return False
    after_sign = k > 0 and _VOWEL_SIGNS.match(letters[k - 1]) is not None
    signed = k + 2 < len(letters) and _VOWEL_SIGNS.match(letters[k + 2]) is not None
    return not (after_sign and _CONSONANTS.match(letters[k + 1]) and signed)


def read_words(text: str) -> str:
    """`text` with its Thai and Devanagari common words read as English and its Georgian
    genitives in -ის and -ოს as their nominative; other text as it was."""
    text = read_asian(text)  # Bengali, Tamil, Sinhala, Amharic, Burmese, Khmer, Lao ...
    if _THAI_RUN.search(text):
        text = _THAI_RUN.sub(lambda m: f" {thai(m.group())} ", text)
    if _DEVANAGARI_WORD.search(text):
        text = _DEVANAGARI_WORD.sub(lambda m: _hindi_word(m.group()), text)
    return _GEORGIAN_GENITIVE.sub("", _LEGAL_FORMS.sub(" ", text))
