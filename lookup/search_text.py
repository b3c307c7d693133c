"""What a reader typed into a search box, made safe to compare with names."""

import unicodedata


def clean(raw):
    """``raw`` without control and invisible formatting characters (a NUL cannot even
    be sent to PostgreSQL), with runs of spaces made one and the ends trimmed."""
    kept = "".join(
        " " if character.isspace() else character
        for character in str(raw or "")
        if character.isspace() or unicodedata.category(character) not in {"Cc", "Cf", "Cs"}
    )
    return " ".join(kept.split())
