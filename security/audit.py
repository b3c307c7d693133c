"""Recording audit events.

:func:`record` writes one :class:`~security.models.AuditEvent`. Called during a
request, it takes the actor and the client's address from the request that
:class:`security.middleware.AuditContextMiddleware` keeps in a context variable;
outside a request (commands, jobs) the actor is whoever the caller names, or nobody.
"""

import contextvars
import ipaddress
import logging

from django.conf import settings
from django.db import DatabaseError, transaction

from security.models import AuditEvent

logger = logging.getLogger(__name__)

current_request = contextvars.ContextVar("current_request", default=None)

Outcome = AuditEvent.Outcome


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except (AttributeError, ValueError):
        return None


def client_ip(request):
    """The client's address: ``REMOTE_ADDR``, or with ``TRUST_X_FORWARDED_FOR`` the
    last address of ``X-Forwarded-For``, the hop the site's own nginx adds. Earlier
    addresses in that header are the client's to invent and are never trusted."""
    if request is None:
        return None
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = _valid_ip(forwarded.split(",")[-1])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def user_label(user):
    return user.get_username() if user is not None and user.is_authenticated else ""


def _object_fields(obj):
    if obj is None:
        return {}
    return {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk or ""),
        "object_repr": str(obj)[:255],
    }


def record(
    action, *, obj=None, outcome=Outcome.SUCCESS, actor=None, actor_label="", request=None, details=None, **fields
):
    """Write one audit event and return it (None if the database refused it).

    ``obj`` fills ``object_type``, ``object_id`` and ``object_repr``, which may also be
    given directly. ``actor`` defaults to the signed-in user of the current request;
    ``actor_label`` to the actor's user name. A failure to write is logged, never
    raised: the action being audited has already happened.
    """
    request = request if request is not None else current_request.get()
    if actor is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            actor = request_user
    values = {
        "action": action[:100],
        "outcome": outcome,
        "actor": actor if actor is not None and actor.pk else None,
        "actor_label": (actor_label or user_label(actor))[:200],
        "ip_address": client_ip(request),
        "details": details or {},
        **_object_fields(obj),
        **fields,
    }
    try:
        with transaction.atomic():
            return AuditEvent.objects.create(**values)
    except DatabaseError:
        logger.exception("Could not record audit event %s", values)
        return None
