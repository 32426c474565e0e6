"""Blind indexes: keyed HMAC of a normalised value, for exact-match search without decrypting."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

INDEX_LENGTH = 32  # hex characters: 128 bits, ample against collisions in one register

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


def blind_index(key: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256 over purpose and value; the purpose keeps a CPR index from matching a name index."""
    mac = hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256)
    return mac.hexdigest()[:INDEX_LENGTH]


def normalise_word(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def name_words(*names: str | None) -> set[str]:
    """The distinct searchable words of names ('Anne-Marie Ølgaard' -> {'anne-marie', 'anne', 'marie', 'ølgaard'})."""
    words: set[str] = set()
    for name in names:
        for word in _WORD.findall(name or ""):
            w = normalise_word(word)
            words.add(w)
            if "-" in w:
                words.update(part for part in w.split("-") if part)
    return words


def normalise_cpr(cpr: str) -> str:
    return re.sub(r"\D", "", cpr or "")


def _index_key() -> bytes:
    from flask import current_app

    return current_app.extensions["caseapp.keyring"].index_key


def cpr_index(cpr: str) -> str:
    """The register's blind index of a CPR number, under the app's index key."""
    return blind_index(_index_key(), "cpr", normalise_cpr(cpr))


def name_index(word: str) -> str:
    """The register's blind index of one (normalised) name word, under the app's index key."""
    return blind_index(_index_key(), "name", word)
