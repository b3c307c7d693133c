from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LookupConfig(AppConfig):
    name = "lookup"
    verbose_name = _("Certificate registry")

    def ready(self):
        from lookup import (
            certificate_pages,
            import_hooks,  # noqa: F401 (registers the bulk import admin views)
            trace_hooks,  # noqa: F401 (registers the trace-code admin hooks)
            trace_pages,
        )
        from lookup.engines.indexing import connect_signals

        connect_signals()
        trace_pages.connect_signals()
        certificate_pages.connect_signals()
