"""Fuzzing the JSON API from its own OpenAPI document with schemathesis.

Every operation of ``/api/v1/openapi.json`` is called with inputs generated from its
schema, valid and invalid: none may answer a server error, and every answer must have
a status code, content type and body that the document declares. The reporting
operations are called with a valid API key of a certification body, on the test
database, with certificates and trace codes of that body to find.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from lookup.api import api
from lookup.api.auth import create_api_token
from lookup.models import CertificationBody
from lookup.tests.factories import CertificateFactory, TraceCodeFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 40
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_application():
    """Django's WSGI handler inside the test's transaction: like Django's test client,
    requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_application):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_application)


@pytest.fixture
def known():
    """A body's API key, and a certificate and a trace code of that body: generated
    path parameters are mostly malformed codes, so half the cases name these instead
    and reach past the code checks."""
    body = CertificationBody.objects.get(code="001")
    certificate = CertificateFactory(body=body, category__code="011")
    trace = TraceCodeFactory(certificate=certificate)
    _token, key = create_api_token(body, "fuzzing")
    return {"key": key, "number": certificate.number, "code": trace.code}


def operations():
    """``(method, path)`` of every operation the API documents."""
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return [(method.upper(), path) for path, methods in document["paths"].items() for method in methods]


@pytest.mark.parametrize(("method", "path"), operations())
def test_api_never_fails_and_answers_as_documented(api_schema, known, method, path):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(), name_known_codes=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case, name_known_codes):
        if name_known_codes:
            for name in {"number", "code"} & set(case.path_parameters or {}):
                case.path_parameters[name] = known[name]
        case.call_and_validate(headers={"Authorization": f"Bearer {known['key']}"}, checks=CHECKS)

    call()
