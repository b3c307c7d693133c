"""Receiving a report from the public about a certificate and telling the
market-supervision editors about it.

The sender's address is kept only as :func:`sender_key`. The editors are told by
email, each in the language they read the admin in, once the report is saved; the
email names the certificate and the kind of report and links to the admin, but does
not carry what the sender wrote or their contact details out of the admin.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wagtail.users.models import UserProfile

from lookup.models import ConcernReport
from security.roles import SUPERVISION_EDITORS

logger = logging.getLogger(__name__)

SENDER_KEY_SALT = b"lookup.concern_reports.sender_key"
SUBJECT_TEMPLATE = "lookup/email/concern_report_subject.txt"
BODY_TEMPLATE = "lookup/email/concern_report.txt"


def sender_key(address):
    """A keyed hash of the sender's address: the same for the same address, and not
    reversible without the site's secret key (the IPv4 space is small enough to try
    every address against a plain hash)."""
    if not address:
        return ""
    key = hmac.new(SENDER_KEY_SALT + settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return key.hexdigest()


def supervision_editors():
    """Active members of the market-supervision editors' group with an email address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPERVISION_EDITORS)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def admin_url(report):
    path = reverse("wagtailsnippets_lookup_concernreport:inspect", args=[quote(report.pk)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _message(report, editor):
    language = UserProfile.get_for_user(editor).get_preferred_language()
    with translation.override(language):
        context = {"report": report, "url": admin_url(report)}
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context)
    return subject, body, None, [editor.email]


def notify_editors(report):
    """Email every market-supervision editor about ``report``, one message each.
    A mail server that fails is logged; the report stays saved for the admin listing."""
    messages = [_message(report, editor) for editor in supervision_editors()]
    if not messages:
        logger.warning("Concern report %s received, but no market-supervision editor has an email address", report.pk)
        return 0
    try:
        return send_mass_mail(messages)
    except OSError:
        logger.exception("Concern report %s saved, but the editors could not be emailed", report.pk)
        return 0


def receive_report(*, number, certificate, kind, description, where_seen="", contact="", language, address=""):
    """Save a report and, once it is committed, tell the editors."""
    report = ConcernReport.objects.create(
        number=number,
        certificate=certificate,
        kind=kind,
        description=description,
        where_seen=where_seen,
        contact=contact,
        language=language,
        sender_key=sender_key(address),
    )
    transaction.on_commit(lambda: notify_editors(report))
    return report
