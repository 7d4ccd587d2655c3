"""The words an entry is indexed and searched by: case and accents folded, compatibility forms
decomposed, each ideograph a word of its own, whatever the script."""

import re
import unicodedata

import pytest

from mercuryhub.search.words import normalize, query_words, segmented, word_text, words

TEXTS = [
    "Batrec Industrie AG recovers mercury from lamps",
    "Montréal, MONTRÉAL, Montreal",
    "Ærøskøbing Straße İstanbul ﬁltration",  # a ligature, ß and a dotted capital I
    "ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ and ① circled digit",
    "Ελληνικά: Άγιος Νικόλαος",
    "Переработка ртутьсодержащих ламп — Ёлки",
    "معالجة النفايات الزئبقية مَعالِجَة",  # Arabic with its short vowels (combining marks)
    # simplified, traditional, extension A, compatibility ideographs
    "灯管处理线 處理 廢棄物 㐀 豈",
    "水銀廃棄物の処理 ランプ",  # Japanese: kanji and katakana
    "Tiếng Việt: xử lý chất thải thủy ngân",
    "",
]
# As documents hold them: names joined by the separator, a long description among them, a
# combining mark right after a separator.
TEXTS += [
    " · ".join(TEXTS),
    " · ".join([*TEXTS, "Crushes fluorescent tubes. " * 20, "Montre\u0301al"]),
    "x · \u0301y ·· z · · ",
]


def _spelled_out(text: str) -> list[str]:
    """The same words by the definitions written out plainly, character by character."""
    spaced = re.sub(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])", r" \1 ", text)
    decomposed = unicodedata.normalize("NFKD", spaced)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.findall(r"[^\W_]+", folded)


@pytest.mark.parametrize("text", TEXTS)
def test_words_fold_case_accents_and_compatibility_forms_and_split_ideographs(text):
    assert words(text) == _spelled_out(text)
    # Twice: the second time from what the first remembered of each character.
    assert words(text) == _spelled_out(text)
    # As the ranking index takes them: joined by spaces.
    assert word_text(text) == " ".join(_spelled_out(text)) == word_text(text)


def test_examples_read_as_people_expect():
    assert normalize("Montréal") == normalize("MONTREAL") == "montreal"
    assert normalize("Straße") == "strasse"
    assert normalize("ﬁltration") == "filtration"
    assert normalize("مَعالِجَة") == "معالجة"
    assert segmented("灯管处理线") == " 灯  管  处  理  线 "
    assert segmented("lamps") == "lamps"
    assert words("灯管处理线") == ["灯", "管", "处", "理", "线"]
    assert query_words("Lamp lamp LAMPE") == ["lamp", "lampe"]
    assert normalize(None) == "" and segmented(None) == ""
