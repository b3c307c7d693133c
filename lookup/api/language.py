"""The reader's language for an API answer: ``?lang=`` first, then ``Accept-Language``
(already applied by Django's locale middleware), then the site's default."""

from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import gettext as _

from .errors import ApiError

LANG_DESCRIPTION = "zh-hans or en; overrides the Accept-Language header."


def _language(lang):
    if not lang:
        return translation.get_language()
    try:
        return translation.get_supported_language_variant(lang.strip().lower())
    except LookupError:
        raise ApiError(
            400, "bad_parameter", _("lang must be zh-hans or en, not “%(lang)s”.") % {"lang": lang}, "lang"
        ) from None


@contextmanager
def reader_language(lang, response=None):
    """Run the block in the reader's language and say so in ``Content-Language``."""
    language = _language(lang)
    with translation.override(language):
        if response is not None:
            response["Content-Language"] = language
        yield language
