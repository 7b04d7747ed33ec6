"""The eighteenth round: the common words of Arabic and Hebrew organisation names read after the
article and the prepositions written as their first letters (والبحوث, the research; המחקר), the
words of French, German, Italian, Turkish and Persian names in English, French articles elided
before a vowel (Centre d'Etudes), German für, compounds ending in a known word (Lasertechnik),
the countries and regions whose adjectives lead Russian names (Sibirskaya, Belorusskoye) and
Aviation and Space read as Aerospace."""

from __future__ import annotations

from trade.matching import score_pair
from trade.other_scripts import arabic_word, hebrew_word, romanise


def test_arabic_words_after_the_article_and_a_conjunction():
    assert arabic_word("مركز") == "center"
    assert arabic_word("العلمية") == "science"  # the article goes with a known word
    assert arabic_word("والبحوث") == "research"  # and the research
    assert arabic_word("للتقنيات") == "technology"  # for the technologies
    assert arabic_word("أبحاث") == arabic_word("ابحاث") == "research"  # with a hamza or not
    assert arabic_word("الرشيد") == "al rshyd"  # a name keeps its article
    assert romanise("شركة الخليج للتقنيات المتقدمة").split() == [
        "sharikat",
        "gulf",
        "technology",
        "advanced",
    ]
    assert (
        score_pair("مركز الدراسات والبحوث العلمية", "Scientific Studies and Research Center") >= 0.8
    )
    assert score_pair("شركة الخليج للتقنيات المتقدمة", "Gulf Advanced Technologies Company") >= 0.8


def test_hebrew_words_after_a_prefix_letter():
    assert hebrew_word("מתקדמות") == "advanced"
    assert hebrew_word("המחקר") == "research"  # the research
    assert hebrew_word("רפאל") == "rfl"  # a name as it was
    assert score_pair("רפאל מערכות לחימה מתקדמות", "Rafael Advanced Defense Systems") >= 0.8
