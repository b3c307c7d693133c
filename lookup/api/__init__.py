"""The JSON API, version 1, mounted at ``/api/v1/`` (see ``lookup.urls``).

- ``public``: anonymous reads of the lookup contract (certificates, trace codes);
- ``lookup``: search through the lookup engine (``/lookup/``);
- ``reporting``: certification bodies create and update their certificates, change
  their status and request trace codes, with an API key;
- ``errors``: the one error shape; ``auth``: API keys; ``schemas``: request and
  response shapes; ``records``: certificates and trace codes as response dicts.

The OpenAPI document is at ``/api/v1/openapi.json``, readable docs at ``/api/v1/docs``.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from .errors import install_error_handlers
from .lookup import router as lookup_router
from .public import router as public_router
from .reporting import router as reporting_router


class Utf8JSONRenderer(JSONRenderer):
    """Chinese names as UTF-8 text rather than ``\\u`` escapes: half the size, readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="China Green Product Certification lookup API",
    version="1",
    description=(
        "Certificates and trace codes of China's green product certification scheme. "
        "Codes are normalised before they are judged (spaces and hyphens dropped, full-width "
        "characters folded, lower case raised). Every error answers "
        '`{"error": {"code", "message", "field"}}`. Names and labels follow `Accept-Language` '
        "or `?lang=` (zh-hans, en)."
    ),
    urls_namespace="api-v1",
    renderer=Utf8JSONRenderer(),
)
install_error_handlers(api)
api.add_router("/", public_router)
api.add_router("/", lookup_router)
api.add_router("/reporting/", reporting_router)
