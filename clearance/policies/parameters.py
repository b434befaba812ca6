"""Policy parameters: their declared types and limits, and the checks every value goes through."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0"})

# Types whose value is one word from a fixed set, and types whose value is a list of such words.
CHOICE_TYPES: dict[str, tuple[str, ...]] = {
    # Which date of the Prop 64 conviction a disqualifying conviction must come before: the
    # conduct date (the statute's test) or the disposition date (the 2019 Los Angeles flow).
    "prior_comparison": ("conduct", "disposition"),
    # Count earlier convictions one by one, or one per earlier cycle (separate cases).
    "prior_count_by": ("conviction", "cycle"),
}
CHOICE_LIST_TYPES: dict[str, tuple[str, ...]] = {
    "disqualifier_lists": (
        "super_strike",
        "possible_super_strike",
        "pc290",
        "possible_pc290",
        "la2019_super_strike",
        "la2019_pc290",
    ),
    "level_list": ("felony", "misdemeanor", "infraction"),
}

# One entry of an offense list: a Prop 64 section, then either its subsections or the word
# `bare` (recorded with no subsection), then optionally a level: `11357(b)`, `11357 bare`,
# `11360 misdemeanor`, `11357(a) felony`.
OFFENSE_ENTRY = re.compile(
    r"^(11357|11358|11359|11360)((\([a-z0-9]+\))+| bare)?( (felony|misdemeanor|infraction))?$"
)


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter a policy declares: its type, default, limits and meaning."""

    name: str
    type: str
    default: Any
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    allowed: tuple[Any, ...] | None = None

    def check(self, value: Any) -> Any:
        """Return the value in its normal form, or raise ValueError saying what is wrong."""
        return check_value(
            self.type, value, minimum=self.minimum, maximum=self.maximum, allowed=self.allowed
        )

    def parse(self, text: str) -> Any:
        """Read a command-line value (`--param NAME=VALUE`) as this parameter's type."""
        return self.check(parse_text(self.type, text))


def check_value(
    type_name: str,
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allowed: tuple[Any, ...] | None = None,
) -> Any:
    """Return value in its normal form for type_name, or raise ValueError saying what is wrong.

    An integer is valid when it is one of `allowed` or lies between `minimum` and `maximum`, so
    "0 (off) or 40 to 65" is `allowed: [0], min: 40, max: 65`.
    """
    if type_name == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, got {value!r}")
        return value
    if type_name == "integer":
        return _check_integer(value, minimum, maximum, allowed)
    if type_name == "date":
        return _check_date(value)
    if type_name == "section_list":
        return _check_section_list(value, allowed)
    if type_name == "offense_list":
        return _check_offense_list(value)
    if type_name in CHOICE_TYPES:
        return _check_choice(value, CHOICE_TYPES[type_name])
    if type_name in CHOICE_LIST_TYPES:
        return _check_choice_list(value, CHOICE_LIST_TYPES[type_name])
    raise ValueError(f"unknown parameter type {type_name!r}")


def describe_integer_limits(
    minimum: int | None, maximum: int | None, allowed: tuple[Any, ...] | None
) -> str:
    """Return the valid integers in words, such as "0 or an integer from 40 to 65"."""
    parts = [str(value) for value in allowed or ()]
    if minimum is not None and maximum is not None:
        parts.append(f"an integer from {minimum} to {maximum}")
    elif minimum is not None:
        parts.append(f"an integer of at least {minimum}")
    elif maximum is not None:
        parts.append(f"an integer of at most {maximum}")
    return " or ".join(parts) if parts else "an integer"


def parse_text(type_name: str, text: str) -> Any:
    """Read a value written on the command line as type_name, or raise ValueError."""
    stripped = text.strip()
    if type_name == "boolean":
        word = stripped.lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ValueError(f"must be true or false, got {text!r}")
    if type_name == "integer":
        try:
            return int(stripped)
        except ValueError:
            raise ValueError(f"must be an integer, got {text!r}") from None
    if type_name == "date":
        return stripped
    if type_name in {"section_list", "offense_list"} or type_name in CHOICE_LIST_TYPES:
        return [part.strip() for part in stripped.split(",") if part.strip()]
    if type_name in CHOICE_TYPES:
        return stripped
    raise ValueError(f"unknown parameter type {type_name!r}")


def to_json_value(value: Any) -> Any:
    """Return the value as JSON can hold it: dates as YYYY-MM-DD text, lists as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json_value(item) for key, item in value.items()}
    return value


def _check_integer(
    value: Any, minimum: int | None, maximum: int | None, allowed: tuple[Any, ...] | None
) -> int:
    # bool is a subclass of int in Python, but JSON true is not a number.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be an integer, got {value!r}")
    has_range = minimum is not None or maximum is not None
    in_range = (
        has_range
        and (minimum is None or value >= minimum)
        and (maximum is None or value <= maximum)
    )
    in_allowed = allowed is not None and value in allowed
    unconstrained = not has_range and allowed is None
    if not (unconstrained or in_range or in_allowed):
        limits = describe_integer_limits(minimum, maximum, allowed)
        raise ValueError(f"must be {limits}, got {value}")
    return value


def _check_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"must be a date (YYYY-MM-DD) without a time, got {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD, got {value!r}")


def _check_section_list(value: Any, allowed: tuple[Any, ...] | None) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise ValueError(f"must be a list of HS sections, got {value!r}")
    sections: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f'must list sections as text such as "11357", got {item!r}')
        if allowed is not None and item not in allowed:
            raise ValueError(f"lists {item!r}, which is not one of {', '.join(allowed)}")
        if item in sections:
            raise ValueError(f"lists {item!r} twice")
        sections.append(item)
    return tuple(sections)


def _check_offense_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f'must be a non-empty list of offenses such as "11357(b)", got {value!r}')
    entries: list[str] = []
    for item in value:
        if not isinstance(item, str) or not OFFENSE_ENTRY.match(item):
            raise ValueError(
                "must list offenses as a Prop 64 section with optional lower-case subsections "
                'or "bare", then an optional level, such as "11357(b)", "11357 bare" or '
                f'"11360 misdemeanor"; got {item!r}'
            )
        if item in entries:
            raise ValueError(f"lists {item!r} twice")
        entries.append(item)
    return tuple(entries)


def _check_choice(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"must be one of {', '.join(choices)}, got {value!r}")
    return value


def _check_choice_list(value: Any, choices: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f"must be a non-empty list of {', '.join(choices)}, got {value!r}")
    for item in value:
        _check_choice(item, choices)
    if len(set(value)) != len(value):
        raise ValueError(f"lists an item twice: {list(value)!r}")
    return tuple(value)
