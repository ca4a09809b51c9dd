"""Text as people compare and sort it: names folded for matching, Swedish alphabetical
order. Standard library only (a query's path and the site use both)."""

from __future__ import annotations

import re
import unicodedata


def norm(text: str) -> str:
    """A name folded for comparing: case, diacritics and punctuation ignored
    ('Öron-, näs- och halssjukdomar' -> 'oron nas och halssjukdomar')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


# å, ä and ö are letters of their own after z (æ and ø sort with ä and ö).
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def sort_key(text: str) -> tuple[str, str]:
    """Swedish alphabetical order: å, ä, ö after z, other accents as their letter, case
    ignored (and then upper case first, so the order is total)."""
    folded = text.casefold().translate(_SWEDISH)
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    return plain, text


def family_first(name: str, family: str | None = None) -> str:
    """A person's name with the family name first ("Anna Ståhl" as "Ståhl Anna"): the
    last word, or `family` when the name ends with it ("Lise Bergman Nordgren" with the
    family name "Bergman Nordgren" as "Bergman Nordgren Lise")."""
    if family and name.endswith(family) and len(name) > len(family):
        return f"{family} {name[: -len(family)].strip()}"
    parts = name.split()
    return " ".join([parts[-1], *parts[:-1]]) if len(parts) > 1 else name


def name_key(name: str, family: str | None = None) -> tuple[str, str]:
    """A person's name in Swedish order by family name, then given name."""
    return sort_key(family_first(name, family))


SOFT_HYPHEN = "\u00ad"
# The last parts of the compounds the system's names end in ("Cancersjukdomar",
# "Programområde", "Sjukvårdsregionen", "primärvårdsråd"): a line may break before one,
# with a hyphen, where a narrow column would otherwise cut the word anywhere.
_COMPOUND_END = re.compile(
    r"(?<=[a-zåäöé]{4})(?=(sjukdomar|sjukdom|områden|område|regionen|region|vård|råd"
    r"|medicin|organens|kirurgi|förlossning)\b)",
    re.IGNORECASE,
)


def breakable(text: str) -> str:
    """`text` with a soft hyphen (shown only where a line breaks) before the last part of
    each long compound word the system's names are made of."""
    return _COMPOUND_END.sub(SOFT_HYPHEN, text)
