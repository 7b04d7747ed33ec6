"""Messages for people, kept as a code and its parameters: written in English where they arise
(the spec parser, the file readers, the catalogue's checks, the worker), translated where they
are shown (rules.labels.message_text), however long after and in whatever process.

A Message is a str, its English text, so every output that carries the words (the `screen`
contract, the audit trail, the error report) is exactly what it was; it also carries its code
and parameters, which stored rows keep (`as_json`) so that a page reads them in the reader's
language. Plain Python (no Django): `gettext_noop` only marks the English for the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Code → English template (the msgid). Filled as modules define their templates; a stored code
# missing here (a message since removed) is shown in the English it was stored with.
TEMPLATES: dict[str, str] = {}

Param = str | int | float


def gettext_noop(text: str) -> str:
    """Marks `text` for the translation catalogue (makemessages looks for this name)."""
    return text


class Message(str):
    """A message's English text, with the code and parameters to say it in another language.
    A parameter may itself be a Message (said in the same language as the sentence) or Words."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any] | None = None) -> Message:
        # Numbers, messages and words stay what they are; anything else (a date, a path, an
        # exception) is kept as its text, so that the parameters store as JSON.
        values = {
            key: value
            if isinstance(value, int | float | Message | Words) and not isinstance(value, bool)
            else str(value)
            for key, value in (params or {}).items()
        }
        text = TEMPLATES[code] % {k: str(v) for k, v in values.items()}
        message = super().__new__(cls, text)
        message.code = code
        message.params = values
        return message

    def __reduce__(self) -> tuple[Any, ...]:  # str's own would lose code and parameters
        return (Message, (self.code, self.params))

    def as_json(self) -> dict[str, Any]:
        """{"code", "params"}: what a stored row keeps beside the English text."""
        return {"code": self.code, "params": params_json(self.params)}


def params_json(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.as_json() if isinstance(v, Message | Words) else v for k, v in params.items()}


def message_of(error: BaseException) -> str:
    """An exception's message: the Message it was raised with, or its text."""
    if error.args and isinstance(error.args[0], Message):
        return error.args[0]
    return str(error)


def message_fields(message: str) -> dict[str, Any]:
    """The fields a model keeps of a message: `message` (its English, or the text as written),
    `message_code` and `message_params` (empty for text nobody can translate)."""
    if isinstance(message, Message):
        return {
            "message": str(message),
            "message_code": message.code,
            "message_params": params_json(message.params),
        }
    return {"message": str(message), "message_code": "", "message_params": {}}


def message_columns(message: str) -> tuple[str, str, dict[str, Any]]:
    """message_fields as a row's values: (message, message_code, message_params)."""
    fields = message_fields(message)
    return fields["message"], fields["message_code"], fields["message_params"]


def message_json(message: str) -> dict[str, Any]:
    """What a stored row keeps of a message: {"message": its English} and, for a Message,
    its code and parameters."""
    if isinstance(message, Message):
        return {"message": str(message), **message.as_json()}
    return {"message": str(message)}


class Words(str):
    """Words of the rule data with their Chinese (a measure's advice, a note): the English text,
    and `zh`. A parameter of a Message that reads in the reader's language."""

    zh: str

    def __new__(cls, english: str, zh: str = "") -> Words:
        words = super().__new__(cls, english)
        words.zh = zh or english
        return words

    def __reduce__(self) -> tuple[Any, ...]:
        return (Words, (str(self), self.zh))

    def as_json(self) -> dict[str, str]:
        return {"en": str(self), "zh": self.zh}


class Template:
    """A message template: a stable code and its English text with %(name)s placeholders.
    Calling it with the parameters gives the Message."""

    def __init__(self, code: str, english: str) -> None:
        if TEMPLATES.get(code, english) != english:
            raise ValueError(f"message code {code} is defined twice")
        TEMPLATES[code] = english
        self.code = code
        self.english = english

    def __call__(self, **params: Any) -> Message:
        return Message(self.code, params)

    def __repr__(self) -> str:
        return f"Template({self.code!r})"


def message_from_json(data: Mapping[str, Any]) -> Message | None:
    """The Message a stored {"code", "params"} describes, or None when its code is unknown."""
    code = data.get("code")
    if not isinstance(code, str) or code not in TEMPLATES:
        return None
    params: dict[str, Any] = {}
    for key, value in (data.get("params") or {}).items():
        if isinstance(value, Mapping) and "en" in value:
            value = Words(str(value["en"]), str(value.get("zh") or ""))
        elif isinstance(value, Mapping):
            nested = message_from_json(value)
            if nested is None:
                return None
            value = nested
        params[key] = value
    try:
        return Message(code, params)
    except (KeyError, TypeError, ValueError):  # parameters no longer those of the template
        return None
