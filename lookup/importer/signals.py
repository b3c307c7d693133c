"""Signals of the importer.

``certificates_imported`` is sent once an imported file is committed, with the
:class:`~lookup.models.ImportRun` as ``run``. Certificates are written in bulk (no
``post_save`` per row): a receiver that keeps an index up to date reads the
certificates changed since ``run.started_at`` (``updated_at`` is indexed).
"""

from django.dispatch import Signal

certificates_imported = Signal()
