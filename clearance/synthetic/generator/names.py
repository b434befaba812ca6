"""Name pools for synthetic subjects, built once per run with Faker from the seed.

Faker invents the names, so no pool entry belongs to a real record. The pools are small, a few
hundred entries each. The SQL draws every subject's name from them by hash, so no Python code
runs per subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faker import Faker

_LETTERS_ONLY = re.compile(r"^[A-Z][A-Z' -]*$")


@dataclass(frozen=True)
class NamePools:
    """Upper-case name pools; `accented_last` contains only names with a letter outside ASCII."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    accented_last: tuple[str, ...]


def build_name_pools(seed: int, size: int = 1500) -> NamePools:
    """Draw first and last names with Faker's en_US and es_MX providers, seeded by `seed`."""
    faker = Faker(["en_US", "es_MX"])
    faker.seed_instance(seed)
    first: set[str] = set()
    last: set[str] = set()
    accented: set[str] = set()
    # Faker's lists are finite and repeat, so `size` draws give somewhat fewer distinct names.
    for _ in range(size):
        # First names stay ASCII, so that the accented-name share is set by one pool only.
        first_name = faker.first_name().upper()
        if first_name.isascii():
            first.add(first_name)
        name = faker.last_name().upper()
        if not _is_latin1(name):
            continue
        if name.isascii():
            last.add(name)
        else:
            accented.add(name)
    return NamePools(
        first=_clean(first),
        last=_clean(last),
        accented_last=_clean(accented),
    )


def _is_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _clean(names: set[str]) -> tuple[str, ...]:
    # Commas and quotes would change the CSV fields, so such names are left out; sorting makes
    # the pool independent of set order.
    pool = sorted(name for name in names if _LETTERS_ONLY.match(_fold(name)) and _is_latin1(name))
    return tuple(pool)


def _fold(name: str) -> str:
    return "".join(char if char.isascii() else "A" for char in name)
