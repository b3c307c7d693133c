"""API keys of certification bodies.

A key is shown once, when it is made; the database keeps its SHA-256 hash (looked up
by equality, so no timing leaks the key) and its first 8 characters, which name it
in lists. A request sends it as ``Authorization: Bearer <key>``.
"""

import hashlib
import secrets

from ninja.security import HttpBearer

from django.utils import timezone

from lookup.models import ApiToken, CertificationBody

KEY_BYTES = 32
PREFIX_LENGTH = 8


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_token(body, name, user=None):
    """Make a token for ``body`` (a CertificationBody or its code); return ``(token, key)``.

    ``key`` is the secret to hand over: it is not stored and cannot be shown again.
    """
    if not isinstance(body, CertificationBody):
        body = CertificationBody.objects.get(code=body)
    key = secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken.objects.create(
        body=body, name=name, key_prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key), created_by=user
    )
    return token, key


def token_for_key(key):
    """The live token whose key is ``key``, or None."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("body", "created_by")
        .filter(key_hash=hash_key(key.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class BodyTokenAuth(HttpBearer):
    """Bearer authentication by an :class:`ApiToken`; ``request.auth`` is the token."""

    def authenticate(self, request, token):
        return token_for_key(token)
