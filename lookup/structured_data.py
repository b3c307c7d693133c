"""schema.org structured data for a certificate's page, as JSON-LD.

A certificate is a ``Certification`` (schema.org 25) about the certified
``Product``, issued by the certification body. The text is escaped the way Django's
``json_script`` escapes it, so no value can close the ``<script>`` element it is
written into.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from lookup.models import Status

ACTIVE = "https://schema.org/CertificationActive"
INACTIVE = "https://schema.org/CertificationInactive"
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _organisation(name, url=""):
    data = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def certification(certificate, *, name, status, url, product_name, language, mark_url=""):
    """The certificate as a schema.org ``Certification`` dict named ``name``, in the
    reader's language."""
    product = {"@type": "Product", "name": product_name}
    if certificate.brand:
        product["brand"] = {"@type": "Brand", "name": certificate.brand}
    if certificate.product_models:
        product["model"] = list(certificate.product_models)
    data = {
        "@context": "https://schema.org",
        "@type": "Certification",
        "@id": url,
        "url": url,
        "inLanguage": language,
        "name": name,
        "certificationIdentification": certificate.number,
        "certificationStatus": ACTIVE if status == Status.VALID else INACTIVE,
        "issuedBy": _organisation(certificate.body.name, certificate.body.website),
        "validFrom": certificate.issued_on,
        "expires": certificate.expires_on,
        "about": product,
    }
    if mark_url:
        data["logo"] = mark_url
    return data


def json_ld(data):
    """``data`` as JSON safe to place inside a ``<script type="application/ld+json">``."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES))  # noqa: S308
