"""Names written in scripts other than Latin and Chinese, romanised before they are normalised.
Plain Python (no Django).

`romanise("Ростех")` is `Rostekh`, `romanise("현대중공업")` `hyeondae heavy industries`,
`romanise("トヨタ自動車")` `toyota自動車`, `romanise("محمد الرشيد")` `mhmd al rshyd`. trade.names
calls it from `fold` for every name with a character of such a script (OTHER_SCRIPT_RE, a cheap
check first), so the index (bulk screening) and the single check read the same words:

- Cyrillic, Greek, Kana, Armenian, Georgian, Hebrew, Thai, Indic scripts: anyascii (ISC), which
  writes Russian as English names do (Rostekh, Tul'skiy, Uralvagonzavod) and Kana in Hepburn
  (toyota, denso). Chinese characters, Kanji among them, are left to the pinyin reading of
  trade.names (its glossary and legal forms: 株式会社); a Japanese name in Kanji is read as its
  characters' pinyin, not its Japanese reading (東芝 is dongzhi, not Toshiba): that needs a
  dictionary of readings, which the list's aliases supply better.
- Thai, Devanagari (Hindi) and Georgian: their common words read as English first
  (trade.script_words: Thai cut into words by the longest word of its glossary).
- Hangul: the Revised Romanization written here syllable by syllable (anyascii writes every
  syllable on its own, Golyeo, HanGug, where names write Goryeo, Hanguk: a final consonant is
  spoken k, t, p; an ㄹ starting a syllable r); the syllables of a run are one word, after the
  common words of company names are read as their English (KOREAN_WORDS: 중공업 heavy
  industries, 전자 electronics), as the Chinese glossary reads 科技. Older English spellings
  (Hyundai, Koryo, Chosun) meet the result through trade.transliteration's Korean keys.
- Arabic (and Persian): anyascii's letters, written without vowels as the script is (محمد mhmd);
  the article is a word of its own (الرشيد al rshyd), a word that starts with a vowel letter
  starts with a or i (أحمد ahmd, إبراهيم ibrhym), and ع, ء and the final ة, ى are left out. A
  word so written meets its romanisations with vowels by its consonants
  (trade.transliteration.consonants_alike). Common words of company names are read as the
  romanised words the word lists know (شركة sharikat, للتجارة lil tijara).
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from trade.script_words import read_words

# Scripts romanised here: Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai, Lao, Burmese,
# Khmer, Ethiopic, Georgian,
# Hangul (syllables and jamo), Kana (full and half width), and their presentation forms.
OTHER_SCRIPT_RE = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f"
    "\u08a0-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1200-\u139f\u1780-\u17ff"
    "\u10a0-\u10ff\u1100-\u11ff\u1c80-\u1c8f"
    "\u1f00-\u1fff\u2de0-\u2dff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\ua640-\ua69f"
    "\uac00-\ud7af\ufb1d-\ufdff\ufe70-\ufeff\uff66-\uff9f]"
)
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_ARABIC_WORD = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+")
_HAMZAS = re.compile("[ءأإآؤئ]")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # vowel signs and the tatweel
# Runs of the scripts anyascii reads letter by letter (neither Hangul nor Arabic, done here).
_ANYASCII_RUN = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0900-\u0dff\u0e00-\u0eff"
    "\u1000-\u109f\u1200-\u139f\u1780-\u17ff"
    "\u10a0-\u10ff\u1100-\u11ff\u1c80-\u1c8f\u1f00-\u1fff\u2de0-\u2dff\u3040-\u30ff"
    "\u3130-\u318f\u31f0-\u31ff\ua640-\ua69f\ufb1d-\ufb4f\uff66-\uff9f]+"
)

# round 27c: the Greek articles and "and" of two letters or more between a name's words (της,
# του, των; και), which its English name writes as "of" and "and" or leaves out; not a letter
# of initials (Ο.Τ.Ε.)
_GREEK_ARTICLES = re.compile(
    r"(?<![\u0370-\u03ff\u1f00-\u1fff])(?:της|του|των|τον|την|τις|τους|και)"
    r"(?![\u0370-\u03ff\u1f00-\u1fff.])",
    re.IGNORECASE,
)


def _table(spelt: str) -> tuple[str, ...]:
    return tuple(spelt.split())


# Revised Romanization: initials, vowels, finals as spoken at the end of a syllable, and a
# final's sound before a syllable that starts with a vowel (한국어 hangugeo).
_INITIALS = _table("g kk n d tt r m b pp s ss - j jj ch k t p h")
_VOWELS = _table("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_FINALS = _table("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
_LINKED = _table("- g kk ks n nj n d r lg lm lb ls lt lp r m b ps s ss ng j ch k t p -")

# Common words of Korean company names, read as the English of their official names (a word
# list like the Chinese glossary; legal forms read as nothing). Longest first when read.
KOREAN_WORDS = {
    "주식회사": "", "유한회사": "", "(주)": "", "㈜": "", "총회사": "general corporation",
    "회사": "company", "중공업": "heavy industries", "자동차": "motor", "전자": "electronics",
    "항공우주": "aerospace", "에어로스페이스": "aerospace", "항공": "aviation",
    "산업": "industries", "그룹": "group", "무역": "trading", "은행": "bank",
    "건설": "construction", "화학": "chemical", "기술": "technology", "제철": "steel",
    "철강": "steel", "통신": "telecom", "정밀": "precision", "시스템": "systems",
    "에너지": "energy", "조선해양": "shipbuilding marine", "해양": "marine", "한국": "korea",
    "조선": "shipbuilding",
    # the fifteenth round: 현대 is Hyundai in every English name; mining, development
    "현대": "hyundai", "광업": "mining", "개발": "development",
    # the eighteenth round: English words Korean names write in Hangul, and more common words
    "테크놀로지": "technology", "테크놀러지": "technology", "일렉트로닉스": "electronics",
    "시스템즈": "systems", "엔지니어링": "engineering", "케미칼": "chemical",
    "케미컬": "chemical", "머티리얼즈": "materials", "인터내셔널": "international",
    "솔루션즈": "solutions", "솔루션": "solutions", "디스플레이": "display",
    "로보틱스": "robotics", "반도체": "semiconductor", "연구소": "research institute",
    "연구원": "research institute", "기계": "machinery", "정보통신": "information communication",
    "해운": "shipping", "제약": "pharmaceutical", "방산": "defense", "우주": "space",
    "디펜스": "defense", "에너지솔루션": "energy solutions", "모터스": "motors",
    # the twenty-third round: the words of state and North Korean names (한국전력공사, Korea
    # Electric Power Corporation; 단천상업은행, Tanchon Commercial Bank)
    "상업": "commercial", "전력": "electric power", "공사": "company", "원자력": "nuclear",
    "연구": "research", "대학교": "university", "대학": "university", "과학": "science",
    "국가": "state", "국립": "national", "중앙": "central", "철도": "railway", "석유": "oil",
    "가스": "gas", "전기": "electric", "국방": "defense", "위원회": "commission",
    "공업": "industries", "공화국": "republic", "인민": "people", "민주주의": "democratic",
    "합영": "joint venture", "총국": "general bureau", "연합": "union", "기업소": "enterprise",
    "대외": "foreign", "보험": "insurance", "국제": "international", "수출입": "export import",
    "광물": "mineral", "공단": "corporation", "공항": "airport",
}  # fmt: skip


def _longest_first(words: dict[str, str]) -> re.Pattern[str]:
    """One pattern of the words, the longest tried first (에너지솔루션 before 에너지)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_KOREAN_WORDS_RE = _longest_first(KOREAN_WORDS)
_KOREA_FIRST = re.compile("(?<![\uac00-\ud7a3])조선(?!해양)(?=[\uac00-\ud7a3]{2})")

# English words Japanese names write in Katakana, read as English before the rest of a run is
# romanised (ソニーグループ Sony Group; anyascii would write gurupu). Longest first when read.
KANA_WORDS = {
    "ホールディングス": "holdings", "グループ": "group", "システムズ": "systems",
    "システム": "system", "エレクトロニクス": "electronics", "エレクトロン": "electron",
    "テクノロジーズ": "technologies", "テクノロジー": "technology",
    "エンジニアリング": "engineering", "ケミカル": "chemical", "マテリアルズ": "materials",
    "マテリアル": "material", "インターナショナル": "international",
    "コーポレーション": "corporation", "エアロスペース": "aerospace",
    "ソリューションズ": "solutions", "ソリューション": "solution", "サービス": "services",
    "デバイス": "device", "プレシジョン": "precision", "オプティカル": "optical",
    "インダストリーズ": "industries", "トレーディング": "trading", "エナジー": "energy",
    "エネルギー": "energy", "ロボティクス": "robotics", "メディカル": "medical",
    "セミコンダクター": "semiconductor", "マシナリー": "machinery", "ジャパン": "japan",
    "アジア": "asia", "パシフィック": "pacific", "グローバル": "global",
    "ネットワークス": "networks", "ネットワーク": "network",
    "コミュニケーションズ": "communications", "ソフトウェア": "software", "デジタル": "digital",
    "モーターズ": "motors", "モーター": "motor", "オートモーティブ": "automotive",
    "エレクトリック": "electric", "インスツルメンツ": "instruments", "ディフェンス": "defense",
    "マリン": "marine", "ラボラトリーズ": "laboratories", "リサーチ": "research",
    "マニュファクチャリング": "manufacturing", "プロダクツ": "products",
    "ストレージ": "storage", "ディスプレイ": "display", "バッテリー": "battery",
    "センサー": "sensor", "レーザー": "laser", "フォトニクス": "photonics",
    "オプトエレクトロニクス": "optoelectronics", "マーケティング": "marketing",
    "ロジスティクス": "logistics", "インベストメント": "investment", "キャピタル": "capital",
}  # fmt: skip
_KANA_RUN = re.compile("[\u30a0-\u30ff\uff66-\uff9f]+")
_KANA_WORDS_RE = _longest_first(KANA_WORDS)

# Common words of Arabic company names, as the word lists know them romanised.
ARABIC_WORDS = {
    "شركة": "sharikat", "مؤسسة": "muassasat", "مجموعة": "group", "للتجارة": "lil tijara",
    "التجارية": "tijariya", "تجارة": "tijara", "للصناعات": "lil industries",
    "الصناعات": "industries", "صناعات": "sinaat", "بنك": "bank", "مصرف": "bank",
    "الوطنية": "national", "الوطني": "national", "الدولية": "international",
    "العامة": "general", "المحدودة": "limited", "النفط": "oil", "للنفط": "lil oil",
    # the fifteenth round: Arabic and Persian words of state industries (Iran Electronics
    # Industries, Aerospace Industries Organization, Saudi Arabian Military Industries)
    "العربية": "arab", "السعودية": "saudi", "العسكرية": "military", "للتصنيع": "industrialization",
    "الهيئة": "organization", "الشركة": "sharikat", "شرکت": "sharikat",
    "صنایع": "industries", "سازمان": "organization",
    "الکترونیک": "electronics", "ایران": "iran", "هوافضا": "aerospace", "دفاع": "defense",
    "هواپیماسازی": "aircraft manufacturing", "هواپیمایی": "airline",
    # the eighteenth round: the common words of Arabic names of research, industrial and trade
    # organisations, written without the article (which goes, with a conjunction or
    # preposition before it: والبحوث, and the research; للتقنيات, for the technologies) and
    # with their hamzas or without (_arabic_key)
    "مركز": "center", "مراكز": "center", "دراسات": "studies", "بحوث": "research",
    "ابحاث": "research", "بحث": "research", "علمية": "science", "علمي": "science",
    "علوم": "science", "خليج": "gulf", "تقنيات": "technology", "تقنية": "technology",
    "تكنولوجيا": "technology", "متقدمة": "advanced", "متقدم": "advanced",
    "هندسة": "engineering", "هندسية": "engineering", "خدمات": "service", "نقل": "transport",
    "طيران": "aviation", "معدات": "equipment", "انظمة": "system", "نظم": "system",
    "الكترونيات": "electronic", "الكترونية": "electronic", "كيماويات": "chemical",
    "كيميائية": "chemical", "صناعة": "industrial", "صناعية": "industrial",
    "مختبرات": "laboratory", "مختبر": "laboratory", "جامعة": "university", "معهد": "institute",
    "اتصالات": "communication", "طاقة": "energy", "بترول": "petroleum", "حديد": "iron",
    "صلب": "steel", "شحن": "shipping", "بحرية": "marine",
    "دفاعية": "defense", "امن": "security", "متحدة": "united", "استثمار": "investment",
    "استثمارات": "investment", "تطوير": "development", "تنمية": "development",
    "انتاج": "production", "مقاولات": "contracting", "معادن": "mineral", "تعدين": "mining",
    "هيئة": "organization", "منظمة": "organization", "وزارة": "ministry",
    "عالمية": "international", "دولية": "international", "دولي": "international",
    "وطنية": "national", "وطني": "national", "عامة": "general", "فنية": "technical",
    "ميكانيكية": "mechanical", "كهربائية": "electric", "بصريات": "optical", "طبية": "medical",
    "ادوية": "pharmaceutical", "شرق": "east", "اوسط": "middle", "ذخيرة": "ammunition",
    "اسلحة": "arms", "صواريخ": "missile", "فضاء": "space", "مواد": "material",
    "عسكرية": "military", "عسكري": "military", "حربية": "military", "تجارية": "trading",
    "تصنيع": "manufacturing",
    "نفط": "oil", "غاز": "gas", "كيمياء": "chemical", "الكترونيك": "electronics",
    # round 28: the king of Saudi bodies' names (جامعة الملك سعود, King Saud University)
    "ملك": "king",
    # the nineteenth round: Persian and Urdu words of industrial and state names (گروه صنعتی,
    # Industrial Group; Urdu جوہری توانائی کمیشن, Atomic Energy Commission)
    "گروه": "group", "صنعتی": "industrial", "صنعت": "industrial", "انرژی": "energy",
    "توانائی": "energy", "اتمی": "atomic", "جوہری": "atomic", "کمیشن": "commission",
    "کمیسیون": "commission",
    # the twentieth round: more Persian words of industrial and trade names (سازمان صنایع
    # هوایی, Aviation Industries Organization; تجارت, Tejarat, trading), the places Persian
    # names begin or end with, as they are romanised (پارس Pars, کیش Kish), and the English
    # words Urdu names write in their own letters (پاکستان آرڈیننس فیکٹریز, Pakistan Ordnance
    # Factories)
    "هوایی": "aviation", "تجارت": "trading", "بازرگانی": "trading", "مهندسی": "engineering",
    "فناوری": "technology", "پژوهش": "research", "تحقیقات": "research", "دانشگاه": "university",
    "مخابرات": "telecom", "ارتباطات": "communication", "نفت": "oil", "پتروشیمی": "petrochemical",
    "فولاد": "steel", "دریایی": "marine", "موشکی": "missile", "تولیدی": "production",
    "ملی": "national", "دولتی": "state", "پارس": "pars", "کیش": "kish", "تهران": "tehran",
    "اصفهان": "isfahan", "شیراز": "shiraz", "تبریز": "tabriz", "مشهد": "mashhad",
    "اهواز": "ahvaz", "کرج": "karaj", "پاکستان": "pakistan", "باكستان": "pakistan",
    "آرڈیننس": "ordnance", "فیکٹریز": "factories", "فیکٹری": "factory",
    # round 30: Pashto د, of, before a name (د افغانستان بانک, Da Afghanistan Bank), and the
    # country as it is written
    "د": "da", "افغانستان": "afghanistan",
    "انڈسٹریز": "industries", "انڈسٹری": "industry", "لمیٹڈ": "limited",
    "پرائیویٹ": "private", "کارپوریشن": "corporation", "ٹیکنالوجی": "technology",
    "ٹیکنالوجیز": "technology", "انجینئرنگ": "engineering", "الیکٹرانکس": "electronics",
    "کمپنی": "company", "ایروناٹیکل": "aeronautical", "کمپلیکس": "complex", "ہیوی": "heavy",
    "لیبارٹریز": "laboratory", "ریسرچ": "research", "سائنس": "science", "نیشنل": "national",
    "انٹرنیشنل": "international", "ٹریڈنگ": "trading", "انسٹیٹیوٹ": "institute",
    # the twenty-second round: more English words Urdu names write in their own letters
    # (پاکستان اٹامک انرجی کمیشن, Pakistan Atomic Energy Commission), the name Khan, and the
    # Arabic words of banks and trade and the adjectives of the Arab countries and their
    # neighbours (المصرف التجاري السوري, the Commercial Bank of Syria), read after the article
    "اٹامک": "atomic", "انرجی": "energy", "ایٹمی": "atomic", "یونیورسٹی": "university",
    "انسٹیٹیوٹس": "institute", "سینٹر": "center", "ڈیفنس": "defense", "لیبارٹری": "laboratory",
    "اتھارٹی": "authority", "بورڈ": "board", "بینک": "bank", "ایئرلائنز": "airlines",
    "ایئر": "air", "سسٹمز": "systems", "ورکس": "works", "ملز": "mills", "اسٹیل": "steel",
    "سٹیل": "steel", "پیٹرولیم": "petroleum", "آئل": "oil", "گیس": "gas",
    "کیمیکل": "chemical", "کیمیکلز": "chemical", "میزائل": "missile", "اسپیس": "space",
    "ڈیولپمنٹ": "development", "آرگنائزیشن": "organization", "گروپ": "group",
    "ہولڈنگز": "holding", "شپنگ": "shipping", "مینوفیکچرنگ": "manufacturing",
    "ایرو": "aero", "ایروناٹیکس": "aeronautics", "سائنسز": "science", "نیوکلیئر": "nuclear",
    "قومی": "national", "ادارہ": "institute", "تحقیقاتی": "research", "خان": "khan",
    "تجاري": "commercial", "تجارى": "commercial", "مصرفي": "banking", "زراعي": "agricultural",
    "صناعي": "industrial", "عقاري": "real estate", "مركزي": "central", "اسلامي": "islamic",
    "سوري": "syria", "سورية": "syria", "سوريا": "syria", "عراقي": "iraq", "عراقية": "iraq",
    "عراق": "iraq", "لبناني": "lebanon", "لبنانية": "lebanon", "لبنان": "lebanon",
    "مصري": "egypt", "مصرية": "egypt", "اردني": "jordan", "اردنية": "jordan",
    "ليبي": "libya", "ليبية": "libya", "يمني": "yemen", "يمنية": "yemen",
    "كويتي": "kuwait", "كويتية": "kuwait", "قطري": "qatar", "قطرية": "qatar",
    "اماراتي": "emirates", "امارات": "emirates", "سوداني": "sudan", "سودانية": "sudan",
    "جزائري": "algeria", "جزائرية": "algeria", "مغربي": "morocco", "مغربية": "morocco",
    "تونسي": "tunisia", "تونسية": "tunisia", "عماني": "oman", "عمانية": "oman",
    "بحريني": "bahrain", "بحرينية": "bahrain", "سعودي": "saudi", "ايراني": "iran",
    "ايرانية": "iran", "باكستاني": "pakistan",
    # the twenty-third round: more common words of Arabic and Persian state names, read after
    # the article and its prepositions (شركة الزيت العربية السعودية, Saudi Arabian Oil Company;
    # الشركة السعودية للصناعات الأساسية, Saudi Basic Industries; بانک ملی ایران, Bank Melli Iran)
    "زيت": "oil", "اساسية": "basic", "اساسي": "basic", "كهرباء": "electricity",
    "ذرية": "atomic", "نووية": "nuclear", "نووي": "nuclear", "جمهورية": "republic",
    "اسلامية": "islamic", "ملكية": "royal", "خطوط": "lines", "ملاحة": "navigation",
    "موانئ": "ports", "اتحاد": "union", "زراعية": "agricultural", "بتروكيماويات": "petrochemical",
    "لجنة": "commission", "مفوضية": "commission", "جوية": "air", "مركزية": "central",
    "مصانع": "factory", "مصنع": "factory", "وكالة": "agency", "فضائية": "space",
    "اكاديمية": "academy", "كلية": "college", "بانک": "bank", "جمهوری": "republic",
    "اسلامی": "islamic", "کشتیرانی": "shipping", "مرکزی": "central",
    "نیرو": "power", "برق": "electric", "پالایش": "refining",
}  # fmt: skip
# Alef with a hamza written or not, Persian ی and ک as Arabic ي and ك: one key for the words above
_ARABIC_KEY = str.maketrans("أإآیک", "ااايك")


# Hebrew, written as Arabic is: consonants, ו and י vowels or consonants (w, y), א and ע a vowel
# first and nothing inside; ב, ש, כ as names write them most often (Elbit, Shamir, Kochav),
# where anyascii writes v, s, kh. Common words of company names in English, the legal form
# בע"מ (Ltd.) left out.
_HEBREW_WORD = re.compile("[\u05d0-\u05ea]+")
_HEBREW_MARKS = re.compile("[\u0591-\u05c7]")  # vowel points and cantillation
_HEBREW_LETTERS = {"ב": "b", "ו": "w", "ש": "sh", "כ": "k", "ך": "k", "א": "", "ע": ""}
HEBREW_WORDS = {
    "מערכות": "systems", "תעשיות": "industries", "תעשייה": "industry", "התעשייה": "industry",
    "אווירית": "aerospace", "האווירית": "aerospace", "ישראל": "israel", "לישראל": "israel",
    # the eighteenth round: more common words of Israeli organisation names (with ה, ו, ל or ב
    # before them too, the article and prepositions: hebrew_word); מערכות לחימה, combat
    # systems, are Defense Systems in their English names (Rafael)
    "מתקדמות": "advanced", "מתקדמים": "advanced", "מתקדם": "advanced", "לחימה": "defense",
    "ביטחון": "defense", "ביטחוני": "defense", "טכנולוגיות": "technology",
    "טכנולוגיה": "technology", "הנדסה": "engineering", "אלקטרוניקה": "electronic",
    "חברה": "company", "תקשורת": "communication", "מחקר": "research", "פיתוח": "development",
    "מכון": "institute", "אוניברסיטה": "university", "בינלאומי": "international",
    "חשמל": "electric", "כימיקלים": "chemical", "אופטיקה": "optical", "מתכת": "metal",
    "ייצור": "manufacturing", "שירותים": "service", "אנרגיה": "energy", "לייזר": "laser",
    "חלל": "space", "רפואי": "medical", "תעופה": "aviation", "ימית": "marine",
    # the twentieth round: Electro written in Hebrew letters (אלקטרו-אופטיקה, Electro-Optics)
    # and the places Israeli names take, as they are romanised (גליל Galil, נגב Negev)
    "אלקטרו": "electro", "גליל": "galil", "נגב": "negev", "חיפה": "haifa",
    "ירושלים": "jerusalem", "כרמל": "carmel", "רחובות": "rehovot",
    # the twenty-third round: the words of Israeli state names (בנק ישראל, Bank of Israel; רשות
    # החשמל, the Electricity Authority; הוועדה לאנרגיה אטומית, Atomic Energy Commission)
    "בנק": "bank", "רשות": "authority", "ועדה": "commission", "וועדה": "commission",
    "אטומית": "atomic", "גרעיני": "nuclear", "גרעינית": "nuclear", "לאומי": "national",
    "לאומית": "national", "מרכזי": "central", "ממשלתי": "state", "משרד": "ministry",
    "טכנולוגי": "technology", "טכניון": "technion", "מדינת": "state", "נמל": "port",
    "רכבת": "railway", "נפט": "oil", "גז": "gas", "מדע": "science", "למדע": "science",
}  # fmt: skip
_HEBREW_PREFIXES = "הולב"  # the article and the prepositions written as a word's first letter
_HEBREW_LTD = re.compile('בע["״]מ')


def needs_romanising(text: str) -> bool:
    """Whether a name has a character of a script read here (a cheap check: Latin and
    Chinese names never reach anyascii)."""
    return not text.isascii() and OTHER_SCRIPT_RE.search(text) is not None


@lru_cache(maxsize=50_000)
def romanise(text: str) -> str:
    """The name with every run of another script in Latin letters; Latin and Chinese text as
    it was."""
    if _HANGUL_RUN.search(text):
        # 조선 leading a name is Korea as North Korean names translate it (조선련봉 Korea
        # Ryonbong); after a name, shipbuilding (대우조선 Daewoo Shipbuilding)
        text = _KOREA_FIRST.sub("korea ", text)
        text = _KOREAN_WORDS_RE.sub(lambda m: f" {KOREAN_WORDS[m.group()]} ", text)
        text = _HANGUL_RUN.sub(lambda m: f" {hangul(m.group())} ", text)
    if _KANA_RUN.search(text):
        text = _KANA_WORDS_RE.sub(lambda m: f" {KANA_WORDS[m.group()]} ", text)
    if _ARABIC_WORD.search(text):
        text = _ARABIC_WORD.sub(
            lambda m: f" {arabic_word(m.group())} ", _ARABIC_MARKS.sub("", text)
        )
    if _HEBREW_WORD.search(text):
        text = _HEBREW_LTD.sub(" ", _HEBREW_MARKS.sub("", text))
        text = _HEBREW_WORD.sub(lambda m: f" {hebrew_word(m.group())} ", text)
    if _GREEK_ARTICLES.search(text):  # round 27c: Τράπεζα της Ελλάδος, Bank of Greece
        text = _GREEK_ARTICLES.sub(" ", text)
    text = read_words(text)  # Thai and Hindi common words, Georgian genitives
    return _ANYASCII_RUN.sub(lambda m: anyascii(m.group()), text)


def hangul(run: str) -> str:
    """A run of Hangul syllables in the Revised Romanization, one word (현대 hyeondae, 고려
    goryeo, 한국 hanguk, 신라 silla)."""
    parts: list[str] = []
    codes = [ord(c) - 0xAC00 for c in run]
    for n, code in enumerate(codes):
        initial, vowel, final = code // 588, code % 588 // 28, code % 28
        following = codes[n + 1] // 588 if n + 1 < len(codes) else None
        start = _INITIALS[initial]
        if initial == 5 and n and codes[n - 1] % 28 in (4, 8):  # ㄴ or ㄹ before ㄹ: ll
            start = "l"
        if following == 11:  # before a vowel the final starts the next syllable
            end = _LINKED[final]
        elif following == 5 and final in (4, 8):
            end = "l"
        else:
            end = _FINALS[final]
        parts.append(start.strip("-") + _VOWELS[vowel] + end.strip("-"))
    return "".join(parts)


def arabic_word(word: str) -> str:
    """One Arabic word in Latin letters without vowels (محمد mhmd, الرشيد al rshyd, أحمد ahmd)."""
    if word in ARABIC_WORDS:
        return ARABIC_WORDS[word]
    if word.startswith("عبدال") and len(word) >= 7:  # عبدالعزيز: abd al azyz, as Abd al-Aziz
        return "abd " + arabic_word(word[3:])
    if word[0] in "وب" and word[1:3] in ("ال", "لل") and len(word) >= 6:  # والبحوث, and the
        word = word[1:]
    article = ""
    for prefix, written in (("لل", "lil "), ("ال", "al ")):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            article, word = written, word[len(prefix) :]
            break
    if known := _arabic_words().get(word.translate(_ARABIC_KEY)):  # العلمية: science
        return known
    start = "i" if word[0] == "إ" else "a" if word[0] in "اأآع" else ""
    if start:
        word = word[1:]
    # a hamza inside a word (خامنئي) and the vowels written last are not consonants
    word = _HAMZAS.sub("", word).rstrip("ةىا")
    letters = "".join(c for c in anyascii(word) if c.isalpha())
    return article + start + letters.lower()


@lru_cache(maxsize=1)
def _arabic_words() -> dict[str, str]:
    """ARABIC_WORDS under their keys (_ARABIC_KEY: أبحاث and ابحاث one word)."""
    return {word.translate(_ARABIC_KEY): english for word, english in ARABIC_WORDS.items()}


def hebrew_word(word: str) -> str:
    """One Hebrew word in Latin letters without vowels (אלביט albyt, רפאל rfl)."""
    if word in HEBREW_WORDS:
        return HEBREW_WORDS[word]
    if word[0] in _HEBREW_PREFIXES and word[1:] in HEBREW_WORDS:  # המחקר, the research
        return HEBREW_WORDS[word[1:]]
    start = "a" if word[0] in "אע" else ""
    letters = "".join(_HEBREW_LETTERS.get(c) or anyascii(c) for c in word[bool(start) :])
    return start + "".join(c for c in letters.lower() if c.isalpha())
