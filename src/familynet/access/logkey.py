"""The access log's key: a secret kept outside the store, for keyed hashes the store cannot forge.

One setting (``FAMILYNET_ACCESS_LOG_KEY``) gives one key, and each use gets a subkey
of its own (HMAC-SHA256 of the use's label), so a search-terms digest can never
stand in for a checkpoint signature or the other way round.

- **Search terms** are logged as a keyed hash, not as text: the log then holds no
  name or date of birth that no person on record carries, yet an administrator who
  holds the key can tell whether a search was for given terms
  (:func:`search_terms_digest`) and the same terms always give the same digest.
- **Checkpoints** of the hash chain are signed with it (:mod:`familynet.access.checkpoint`).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from familynet.errors import ConfigurationError

#: The shortest key accepted.
MIN_KEY_LENGTH = 32


def key_bytes(text: str) -> bytes:
    """The key of a setting's text; shorter than :data:`MIN_KEY_LENGTH` characters is refused.

    >>> len(key_bytes("k" * 32))
    32
    >>> key_bytes("short")
    Traceback (most recent call last):
    ...
    familynet.errors.ConfigurationError: FAMILYNET_ACCESS_LOG_KEY must be at least 32 characters
    """
    if len(text) < MIN_KEY_LENGTH:
        raise ConfigurationError(f"FAMILYNET_ACCESS_LOG_KEY must be at least {MIN_KEY_LENGTH} characters")
    return text.encode()


def subkey(key: bytes, label: str) -> bytes:
    """The key of one use of ``key``."""
    return hmac.new(key, label.encode(), hashlib.sha256).digest()


def search_terms_digest(key: bytes, name: str, date_of_birth: str | None) -> str:
    """The keyed hash of a search's terms as sent: ``hmac-sha256:`` and 32 hex digits.

    >>> d = search_terms_digest(b"k" * 32, "Nguyen", "2016")
    >>> d.startswith("hmac-sha256:"), len(d), d == search_terms_digest(b"k" * 32, "Nguyen", "2016")
    (True, 44, True)
    >>> d == search_terms_digest(b"j" * 32, "Nguyen", "2016")
    False
    """
    message = json.dumps([name, date_of_birth], ensure_ascii=False).encode("utf-8", "surrogatepass")
    return "hmac-sha256:" + hmac.new(subkey(key, "search terms"), message, hashlib.sha256).hexdigest()[:32]
