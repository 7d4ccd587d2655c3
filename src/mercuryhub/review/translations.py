"""Content in the six languages: one mechanism for every kind of entry.

An entry is written in one language (``content_language``); its own fields (``name``,
``description``…) hold that text. Each kind names the fields that can be given in other languages
(``EntryKind.translated_fields``), and the entry keeps those texts in ``translations``
({"fr": {"name": "…"}}). In a kind's serialization, and so in versions, the API's ``data``, the
import and export columns, a translation is a key of its own: the field's name and the language's
suffix (``name_fr``, ``description_es``, ``name_zh`` for Chinese). Pages and the API show a text in
the language asked for and, when it has not been given in that language, the text in another, saying
which (``LocalizedText.is_fallback``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, get_language_info

from mercuryhub.lib.text import control_character_message

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class TranslatedField:
    """A field of a kind that can be given in each language. ``name`` is its name in the
    serialization, ``model_field`` the model's field holding the text in the entry's own
    language (when the two differ)."""

    name: str
    model_field: str = ""
    max_length: int | None = None
    multiline: bool = False

    @property
    def stored_as(self) -> str:
        return self.model_field or self.name


def content_languages() -> list[str]:
    """The languages content can be given in: the interface languages, English first."""
    return [code for code, _name in settings.LANGUAGES]


def suffix(language: str) -> str:
    """The suffix of a translation's key: ``fr``; ``zh`` for Simplified Chinese."""
    return language.split("-")[0]


def key(field_name: str, language: str) -> str:
    return f"{field_name}_{suffix(language)}"


def language_of(code) -> str | None:
    """The content language a code names ("fr", "FR", "zh", "zh-Hans", "zh_hans"), or None."""
    wanted = str(code or "").strip().lower().replace("_", "-")
    for language in content_languages():
        if wanted in {language, suffix(language)}:
            return language
    return None


# Interface languages that write the name of a language in lower case within a sentence.
_LOWER_CASE_NAMES = {"fr", "es", "ru"}


def language_name(language: str, *, in_sentence: bool = False) -> str:
    """The language's name in the interface's current language ("French", "Francés"); within a
    sentence as that language writes it there ("francés")."""
    name = str(get_language_info(language)["name_translated"])
    if in_sentence and (get_language() or "").split("-")[0] in _LOWER_CASE_NAMES:
        return name[:1].lower() + name[1:]
    return name


def translation_keys(fields) -> list[tuple[str, TranslatedField, str]]:
    """(key, field, language) for every field in every language, in reading order."""
    return [(key(f.name, lang), f, lang) for f in fields for lang in content_languages()]


def clean_translations(data: dict, fields, errors: dict) -> dict:
    """The checked ``content_language`` and ``translations`` of input in the serialization's
    shape, as the model stores them; each bad key is named in ``errors``."""
    raw_language = data.get("content_language")
    language = DEFAULT_LANGUAGE
    if raw_language not in (None, ""):
        language = language_of(raw_language)
        if language is None:
            errors["content_language"] = (
                f"Unknown language {raw_language!r}; use one of: "
                + ", ".join(suffix(code) for code in content_languages())
            )
            language = DEFAULT_LANGUAGE
    translations: dict[str, dict[str, str]] = {}
    for name, field, translation_language in translation_keys(fields):
        value = data.get(name)
        value = "" if value is None else str(value).strip()
        if not value:
            continue
        refused = control_character_message(value, multiline=field.multiline)
        if refused:
            errors[name] = refused
        elif field.max_length and len(value) > field.max_length:
            errors[name] = f"At most {field.max_length} characters (this has {len(value)})"
        elif translation_language == language and "content_language" not in errors:
            errors[name] = (
                f"The entry is written in this language: give the text in {field.name}, "
                f"or set content_language to the language {field.name} is written in"
            )
        else:
            translations.setdefault(translation_language, {})[field.stored_as] = value
    return {"content_language": language, "translations": translations}


def translation_data(entry, fields) -> dict:
    """The entry's language and its translations as serialization keys; translations not given
    are left out."""
    data = {"content_language": entry.content_language or DEFAULT_LANGUAGE}
    stored = entry.translations or {}
    for name, field, language in translation_keys(fields):
        value = stored.get(language, {}).get(field.stored_as)
        if value:
            data[name] = value
    return data


def stored_translations(values: dict, fields) -> dict:
    """Checked values (``clean_translations``) back in the serialization's shape."""
    data = {"content_language": values["content_language"]}
    by_stored_name = {field.stored_as: field for field in fields}
    for language, texts in values["translations"].items():
        for stored_as, text in texts.items():
            data[key(by_stored_name[stored_as].name, language)] = text
    return {name: data[name] for name in _ordered(data, fields)}


def _ordered(data: dict, fields) -> list[str]:
    order = ["content_language", *(name for name, _f, _l in translation_keys(fields))]
    return [name for name in order if name in data]


def without_blank_translations(data: dict, fields) -> dict:
    """Input data with its blank translation keys dropped: a blank translation is none."""
    blank = {
        name for name, _f, _l in translation_keys(fields) if not str(data.get(name) or "").strip()
    }
    return {name: value for name, value in data.items() if name not in blank}


class LocalizedText(str):
    """A text of an entry in the language it is shown in, which says which language that is and
    whether it is another than the one asked for."""

    language: str
    requested: str

    def __new__(cls, text: str, language: str, requested: str):
        self = super().__new__(cls, text)
        self.language = language
        self.requested = requested
        return self

    @property
    def is_fallback(self) -> bool:
        return bool(self) and self.language != self.requested

    @property
    def language_name(self) -> str:
        return language_name(self.language, in_sentence=True)

    @property
    def requested_name(self) -> str:
        return language_name(self.requested, in_sentence=True)


def requested_language(language: str | None = None) -> str:
    """A content language from a request's language code; the interface's current one when
    none is given."""
    return language_of(language or get_language() or DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def localized(entry, model_field: str, language: str | None = None) -> LocalizedText:
    """The entry's text for ``model_field`` in ``language`` (default: the current one); when it
    was not given in that language, in the entry's own language, else in the first language it
    was given in."""
    wanted = requested_language(language)
    own_language = entry.content_language or DEFAULT_LANGUAGE
    stored = entry.translations or {}
    own_text = getattr(entry, model_field) or ""
    candidates = [(wanted, stored.get(wanted, {}).get(model_field))]
    candidates.append((own_language, own_text))
    candidates += [(code, stored.get(code, {}).get(model_field)) for code in content_languages()]
    if wanted == own_language:
        candidates.insert(0, (own_language, own_text))
    for code, text in candidates:
        if text:
            return LocalizedText(text, code, wanted)
    return LocalizedText("", wanted, wanted)
