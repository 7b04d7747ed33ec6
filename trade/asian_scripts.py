"""The scripts of South and Southeast Asia and of Ethiopia that trade.script_words did not read
(the twenty-third round): their common words of organisation names read as English, the rest
romanised, before trade.other_scripts hands the remainder to anyascii. Plain Python (no Django).

- The Brahmic scripts of India and Bangladesh (Bengali, Gurmukhi, Gujarati, Oriya, Tamil,
  Telugu, Kannada, Malayalam) lay out their letters as Devanagari does, each block at its own
  offset (ব, 0x9AC, is ब, 0x92C): a word not in BRAHMIC_WORDS is written in Devanagari, where
  trade.script_words reads the Hindi words (পরমাণু is परमाणु, atomic; বিশ্ববিদ্যালয়
  विश्वविद्यालय, university) and romanises the rest as Indian names are spelt (বাংলাদেশ
  banladesh, which meets Bangladesh by its letters).
- Sinhala and Ethiopic (Amharic) write spaces between words: a word of their table is read as
  its English; Amharic's prefixes የ (of), ለ (for), በ (in) go before a word of the table.
- Burmese, Khmer and Lao write no spaces between words: a run is cut by the longest word of the
  table at each place, as Thai is (trade.script_words.thai); what no word matches is romanised by
  anyascii.
"""

from __future__ import annotations

import re
import unicodedata

# Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam: the Devanagari layout
_BRAHMIC_WORD = re.compile("[\u0980-\u0d7f\u200c\u200d]+")
_JOINERS = re.compile("[\u200c\u200d]")

BRAHMIC_WORDS = {
    # Bengali
    "বাংলাদেশ": "bangladesh", "ব্যাংক": "bank", "ব্যাঙ্ক": "bank", "জাতীয়": "national",
    "কেন্দ্রীয়": "central", "কমিশন": "commission", "পরমাণু": "atomic", "শক্তি": "energy",
    "বিশ্ববিদ্যালয়": "university", "ইনস্টিটিউট": "institute", "প্রতিষ্ঠান": "institute",
    "কোম্পানি": "company", "কোম্পানী": "company", "লিমিটেড": "limited",
    "কর্পোরেশন": "corporation", "সংস্থা": "organisation", "মন্ত্রণালয়": "ministry",
    "গবেষণা": "research", "প্রযুক্তি": "technology", "প্রকৌশল": "engineering",
    "বিজ্ঞান": "science", "প্রতিরক্ষা": "defence", "রাষ্ট্রীয়": "state",
    "প্রজাতন্ত্র": "republic", "গণপ্রজাতন্ত্রী": "people's republic", "বাণিজ্য": "trade",
    "বাণিজ্যিক": "commercial", "তেল": "oil", "গ্যাস": "gas", "রেলওয়ে": "railway",
    "বিদ্যুৎ": "power", "উন্নয়ন": "development", "বোর্ড": "board",
    "এয়ারলাইন্স": "airlines", "শিল্প": "industries", "কেন্দ্র": "center",
    "কারখানা": "factory", "ইস্পাত": "steel", "পেট্রোলিয়াম": "petroleum",
    "পাওয়ার": "power", "ইলেকট্রিক": "electric", "টেকনোলজি": "technology",
    "গ্রুপ": "group", "ইন্ডাস্ট্রিজ": "industries", "এবং": "", "ও": "", "ঢাকা": "dhaka",
    "চট্টগ্রাম": "chittagong", "কলকাতা": "kolkata", "ভারত": "india", "ভারতীয়": "indian",
    "সমুদ্র": "marine", "বন্দর": "port", "কর্তৃপক্ষ": "authority", "পারমাণবিক": "nuclear",
    "সোনালী": "sonali", "অগ্রণী": "agrani", "জনতা": "janata", "রূপালী": "rupali",
    # Gurmukhi (Punjabi)
    "ਪੰਜਾਬ": "punjab", "ਨੈਸ਼ਨਲ": "national", "ਬੈਂਕ": "bank", "ਯੂਨੀਵਰਸਿਟੀ": "university",
    "ਰਾਸ਼ਟਰੀ": "national", "ਭਾਰਤ": "bharat", "ਭਾਰਤੀ": "indian", "ਸੰਸਥਾ": "institute",
    "ਕੰਪਨੀ": "company", "ਲਿਮਿਟੇਡ": "limited", "ਖੋਜ": "research", "ਤਕਨਾਲੋਜੀ": "technology",
    "ਵਿਗਿਆਨ": "science", "ਰਾਜ": "state", "ਅਤੇ": "", "ਪ੍ਰਮਾਣੂ": "atomic", "ਊਰਜਾ": "energy",
    "ਬਿਜਲੀ": "power", "ਯੂਨੀਵਰਸਿਟੀਜ਼": "university", "ਕਾਰਪੋਰੇਸ਼ਨ": "corporation",
    # Gujarati
    "ભારત": "bharat", "ભારતીય": "indian", "રાષ્ટ્રીય": "national", "બેંક": "bank",
    "બેન્ક": "bank", "યુનિવર્સિટી": "university", "સંસ્થા": "institute", "કંપની": "company",
    "લિમિટેડ": "limited", "નિગમ": "corporation", "પરમાણુ": "atomic", "ઊર્જા": "energy",
    "વીજળી": "power", "સંશોધન": "research", "ટેકનોલોજી": "technology", "વિજ્ઞાન": "science",
    "મંત્રાલય": "ministry", "સંરક્ષણ": "defence", "રાજ્ય": "state", "ગુજરાત": "gujarat",
    "અમદાવાદ": "ahmedabad", "પેટ્રોલિયમ": "petroleum", "અને": "", "ઓફ": "",
    # Tamil
    "இந்திய": "indian", "இந்தியா": "india", "தேசிய": "national", "வங்கி": "bank",
    "பல்கலைக்கழகம்": "university", "நிறுவனம்": "institute", "கழகம்": "corporation",
    "அணு": "atomic", "அணுசக்தி": "atomic energy", "ஆற்றல்": "energy", "மின்": "electric",
    "மின்சார": "electricity", "வாரியம்": "board", "ஆராய்ச்சி": "research",
    "தொழில்நுட்ப": "technology", "தொழில்நுட்பம்": "technology", "அறிவியல்": "science",
    "அமைச்சகம்": "ministry", "பாதுகாப்பு": "defence", "மாநில": "state", "அரசு": "government",
    "வர்த்தக": "trade", "எண்ணெய்": "oil", "ரயில்வே": "railway", "இரயில்வே": "railway",
    "லிமிடெட்": "limited", "மையம்": "center", "ஆணையம்": "commission", "மத்திய": "central",
    "சென்னை": "chennai", "தமிழ்நாடு": "tamil nadu", "இலங்கை": "sri lanka", "மற்றும்": "",
    "கார்ப்பரேஷன்": "corporation", "நிறுவனத்தின்": "institute",
    # Telugu
    "భారత": "bharat", "భారతీయ": "indian", "జాతీయ": "national", "బ్యాంకు": "bank",
    "బ్యాంక్": "bank", "విశ్వవిద్యాలయం": "university", "సంస్థ": "institute", "అణు": "atomic",
    "శక్తి": "energy", "విద్యుత్": "power", "పరిశోధన": "research", "సాంకేతిక": "technology",
    "విజ్ఞాన": "science", "శాస్త్ర": "science",
    "రక్షణ": "defence", "రాష్ట్ర": "state", "కేంద్ర": "central", "లిమిటెడ్": "limited",
    "కార్పొరేషన్": "corporation", "హైదరాబాద్": "hyderabad", "మరియు": "",
    "మంత్రిత్వ": "ministry", "శాఖ": "department", "కేంద్రం": "center",
    # Kannada and Malayalam: the banks and universities of Karnataka and Kerala
    "ಬ್ಯಾಂಕ್": "bank", "ವಿಶ್ವವಿದ್ಯಾಲಯ": "university", "ಕರ್ನಾಟಕ": "karnataka",
    "ಬೆಂಗಳೂರು": "bengaluru", "ಸಂಸ್ಥೆ": "institute", "ಭಾರತೀಯ": "indian",
    "ബാങ്ക്": "bank", "സർവകലാശാല": "university", "കേരള": "kerala", "സ്ഥാപനം": "institute",
}  # fmt: skip

# Sinhala (spaces between words; ශ්‍රී written with a joiner, looked up without it)
SINHALA_WORDS = {
    "ශ්රී": "sri", "ලංකා": "lanka", "ලංකාව": "lanka", "බැංකුව": "bank", "බැංකු": "bank",
    "මහ": "central", "ජාතික": "national", "රාජ්ය": "state", "විශ්වවිද්යාලය": "university",
    "ආයතනය": "institute", "ආයතන": "institute", "සමාගම": "company", "සංස්ථාව": "corporation",
    "විදුලිබල": "electricity", "විදුලි": "electric", "මණ්ඩලය": "board", "පර්යේෂණ": "research",
    "තාක්ෂණ": "technology", "තාක්ෂණික": "technology", "විද්යා": "science",
    "විද්යාව": "science", "අමාත්යාංශය": "ministry", "ආරක්ෂක": "defence", "වෙළඳ": "trade",
    "ඛනිජ": "petroleum", "තෙල්": "oil", "දුම්රිය": "railway", "පරමාණුක": "atomic",
    "බලශක්ති": "energy", "කොමිෂන්": "commission", "සභාව": "council",
    "ප්රජාතාන්ත්රික": "democratic", "සමාජවාදී": "socialist", "ජනරජය": "republic",
    "කොළඹ": "colombo", "පුද්ගලික": "private", "සීමාසහිත": "limited", "සහ": "",
}  # fmt: skip
_SINHALA_WORD = re.compile("[\u0d80-\u0dff\u200c\u200d]+")

# Ethiopic (Amharic)
ETHIOPIC_WORDS = {
    "ኢትዮጵያ": "ethiopia", "ኢትዮጲያ": "ethiopia", "ንግድ": "commercial", "ባንክ": "bank",
    "ብሔራዊ": "national", "ብሄራዊ": "national", "ዩኒቨርሲቲ": "university",
    "ኢንስቲትዩት": "institute", "ኩባንያ": "company", "ኮርፖሬሽን": "corporation",
    "ኤሌክትሪክ": "electric", "ኃይል": "power", "ሀይል": "power", "አየር": "air",
    "መንገድ": "lines", "ሚኒስቴር": "ministry", "ምርምር": "research", "ቴክኖሎጂ": "technology",
    "ሳይንስ": "science", "መከላከያ": "defence", "ፌዴራላዊ": "federal",
    "ዲሞክራሲያዊ": "democratic", "ሪፐብሊክ": "republic", "ኢንዱስትሪ": "industry",
    "ባቡር": "railway", "ኮሚሽን": "commission", "ኢነርጂ": "energy", "ድርጅት": "enterprise",
    "ብረታ": "metal", "ብረት": "metal", "ኢንጂነሪንግ": "engineering", "ማዕከል": "center",
    "አዲስ": "addis", "አበባ": "ababa", "እና": "", "ልማት": "development", "ማዕድን": "mining",
    "ነዳጅ": "petroleum", "ኒውክሌር": "nuclear", "አቶሚክ": "atomic", "ማእከላዊ": "central",
    "ብሔራዊው": "national", "የግል": "private", "ማህበር": "association",
}  # fmt: skip
_ETHIOPIC_WORD = re.compile("[\u1200-\u139f]+")
_ETHIOPIC_PREFIXES = "የለበ"

# Burmese, Khmer and Lao: cut by the longest word
RUN_WORDS = {
    # Burmese
    "မြန်မာ့": "myanma", "မြန်မာ": "myanmar", "စီးပွားရေး": "economic", "ဘဏ်": "bank",
    "နိုင်ငံတော်": "state", "အမျိုးသား": "national", "ဗဟို": "central",
    "ကော်မရှင်": "commission", "အဏုမြူ": "atomic", "စွမ်းအင်": "energy",
    "လျှပ်စစ်": "electric", "ဓာတ်အား": "power", "တက္ကသိုလ်": "university",
    "သိပ္ပံ": "science", "နည်းပညာ": "technology", "သုတေသန": "research",
    "ဝန်ကြီးဌာန": "ministry", "ကာကွယ်ရေး": "defence", "ကုမ္ပဏီ": "company",
    "လီမိတက်": "limited", "ကော်ပိုရေးရှင်း": "corporation", "ရေနံ": "oil",
    "ဓာတ်ငွေ့": "gas", "လုပ်ငန်း": "enterprise", "မီးရထား": "railways",
    "ကုန်သွယ်ရေး": "trade", "စက်မှု": "industrial", "ပြည်ထောင်စု": "union",
    "သမ္မတ": "republic", "လေကြောင်း": "airways", "ရန်ကုန်": "yangon",
    "မန္တလေး": "mandalay", "နှင့်": "", "ဦးပိုင်": "holdings", "ဘဏ်လီမိတက်": "bank limited",
    "ကူးသန်းရောင်းဝယ်ရေး": "commerce", "ဖွံ့ဖြိုးရေး": "development", "အဖွဲ့": "organisation",
    "ကုန်သည်": "trading",
    # Khmer
    "ធនាគារ": "bank", "ជាតិ": "national", "នៃ": "", "កម្ពុជា": "cambodia", "រដ្ឋ": "state",
    "កណ្ដាល": "central", "កណ្តាល": "central", "ក្រសួង": "ministry",
    "សាកលវិទ្យាល័យ": "university", "វិទ្យាស្ថាន": "institute", "ក្រុមហ៊ុន": "company",
    "សាជីវកម្ម": "corporation", "ថាមពល": "energy", "អគ្គិសនី": "electricity",
    "ស្រាវជ្រាវ": "research", "បច្ចេកវិទ្យា": "technology", "វិទ្យាសាស្ត្រ": "science",
    "ការពារជាតិ": "national defence", "ពាណិជ្ជកម្ម": "commerce", "ប្រេង": "oil",
    "ឧស្ម័ន": "gas", "ផ្លូវដែក": "railway", "ព្រះរាជាណាចក្រ": "kingdom",
    "ភូមិន្ទ": "royal", "ឯកជន": "private", "មានកំណត់": "limited",
    "គណៈកម្មការ": "commission", "អាកាសចរណ៍": "airways", "ភ្នំពេញ": "phnom penh",
    "អភិវឌ្ឍន៍": "development", "ឧស្សាហកម្ម": "industry", "និង": "", "អគ្គ": "general",
    # Lao
    "ທະນາຄານ": "bank", "ແຫ່ງຊາດ": "national", "ແຫ່ງ": "", "ລາວ": "lao", "ສປປ": "lao pdr",
    "ກະຊວງ": "ministry", "ມະຫາວິທະຍາໄລ": "university", "ສະຖາບັນ": "institute",
    "ບໍລິສັດ": "company", "ຈຳກັດ": "limited", "ລັດວິສາຫະກິດ": "state enterprise",
    "ໄຟຟ້າ": "electricity", "ພະລັງງານ": "energy", "ຄົ້ນຄວ້າ": "research",
    "ເຕັກໂນໂລຊີ": "technology", "ວິທະຍາສາດ": "science", "ປ້ອງກັນປະເທດ": "defence",
    "ການຄ້າ": "trade", "ນ້ຳມັນ": "oil", "ທາງລົດໄຟ": "railway", "ການບິນ": "airlines",
    "ສາທາລະນະລັດ": "republic", "ປະຊາທິປະໄຕ": "democratic", "ປະຊາຊົນ": "people's",
    "ພັດທະນາ": "development", "ວຽງຈັນ": "vientiane", "ແລະ": "", "ແຫ່ງລັດ": "state",
    "ລັດ": "state", "ອຸດສາຫະກຳ": "industry", "ພາກລັດ": "state",
}  # fmt: skip


def _nfkc(table: dict[str, str]) -> dict[str, str]:
    return {_JOINERS.sub("", unicodedata.normalize("NFKC", k)): v for k, v in table.items()}


BRAHMIC_WORDS = _nfkc(BRAHMIC_WORDS)
SINHALA_WORDS = _nfkc(SINHALA_WORDS)
ETHIOPIC_WORDS = _nfkc(ETHIOPIC_WORDS)
RUN_WORDS = _nfkc(RUN_WORDS)
_RUN = re.compile("[\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]+")
_RUN_LONGEST = max(map(len, RUN_WORDS))
_ASIAN = re.compile("[\u0980-\u0dff\u0e80-\u0eff\u1000-\u109f\u1200-\u139f\u1780-\u17ff]")


def cut(run: str, words: dict[str, str], longest: int) -> str:
    """A run with no spaces with the words of `words` read as their English, cut longest first
    at each place, left to right; the rest as it was, a word of its own."""
    out: list[str] = []
    rest = ""
    i = 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), 1, -1):
            english = words.get(run[i : i + size])
            if english is not None:
                out += [rest, english]
                rest = ""
                i += size
                break
        else:
            rest += run[i]
            i += 1
    return " ".join(w for w in (*out, rest) if w)


def to_devanagari(word: str) -> str:
    """A word of another Brahmic script of India written in Devanagari (the blocks share their
    layout); Bengali's ৎ, a t with no vowel, as त्."""
    out = []
    for char in word.replace("ৎ", "ত্"):
        code = ord(char)
        out.append(chr(0x900 + (code - 0x980) % 0x80) if 0x980 <= code < 0xD80 else char)
    return "".join(out)


def _brahmic(word: str) -> str:
    word = _JOINERS.sub("", word)
    if (english := BRAHMIC_WORDS.get(word)) is not None:
        return f" {english} "
    return to_devanagari(word)


def _spaced(words: dict[str, str], prefixes: str = ""):
    def read(match: re.Match[str]) -> str:
        word = _JOINERS.sub("", match.group())
        if (english := words.get(word)) is not None:
            return f" {english} "
        if word[0] in prefixes and (english := words.get(word[1:])) is not None:
            return f" {english} "
        return word

    return read


def read_asian(text: str) -> str:
    """`text` with its Bengali, Gurmukhi, Gujarati, Tamil, Telugu, Kannada, Malayalam, Sinhala,
    Amharic, Burmese, Khmer and Lao common words read as English, the other words of the
    Brahmic scripts of India in Devanagari; other text as it was."""
    if not _ASIAN.search(text):
        return text
    text = _BRAHMIC_WORD.sub(lambda m: _brahmic(m.group()), text)
    text = _SINHALA_WORD.sub(_spaced(SINHALA_WORDS), text)
    text = _ETHIOPIC_WORD.sub(_spaced(ETHIOPIC_WORDS, _ETHIOPIC_PREFIXES), text)
    return _RUN.sub(lambda m: f" {cut(m.group(), RUN_WORDS, _RUN_LONGEST)} ", text)
