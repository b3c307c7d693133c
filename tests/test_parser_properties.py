"""Hostile text through the public pages and the API: malformed codes, over-long
queries, odd Unicode and injection attempts get a clear 4xx (or an empty result) and
change nothing; never a server error."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lookup.models import Certificate, ConcernReport, TraceCode
from lookup.tests.factories import TraceCodeFactory

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "' OR '1'='1",
    "G2024001011382914'; DROP TABLE lookup_certificate; --",
    '"><script>alert(1)</script>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%(secret)s %s %n",
    "../../../../etc/passwd",
    "*:* OR _id:*",
    '{"query": {"match_all": {}}}',
    "\\u0000\x00",
    "=cmd|' /C calc'!A0",
]
any_character = st.characters(codec="utf-8", exclude_categories=("Cs",))
hostile = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(any_character, max_size=60),
    st.text(st.sampled_from("G0123456789０１Ｇ -\u200b\u3000"), max_size=40),
    st.text(any_character, min_size=300, max_size=2000),
)
fuzzing = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def stored():
    trace = TraceCodeFactory()
    return lambda: (
        Certificate.objects.count(),
        TraceCode.objects.count(),
        ConcernReport.objects.count(),
        TraceCode.objects.get(pk=trace.pk).scan_count,
    )


def in_path(text):
    return quote(text, safe="") or "%20"


def assert_clear_answer(response):
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        assert response.json()["error"]["message"]


@fuzzing
@given(hostile)
def test_trace_page_answers_hostile_codes_clearly(client, stored, text):
    before = stored()
    assert_clear_answer(client.get(f"/t/{in_path(text)}"))
    assert stored() == before


@fuzzing
@given(hostile)
def test_certificate_page_and_report_form_answer_hostile_numbers_clearly(client, stored, text):
    before = stored()
    assert_clear_answer(client.get(f"/en/lookup/certificates/{in_path(text)}/"))
    assert_clear_answer(
        client.post(f"/en/lookup/certificates/{in_path(text)}/report/", {"kind": "fake", "description": text})
    )
    assert stored() == before


@fuzzing
@given(hostile)
def test_lookup_pages_answer_hostile_queries_clearly(client, stored, text):
    before = stored()
    for url in ("/en/lookup/", "/en/lookup/code/", "/en/lookup/companies/", "/en/lookup/validity/"):
        assert_clear_answer(client.get(url, {"q": text}))
    assert stored() == before


@fuzzing
@given(hostile)
def test_api_answers_hostile_input_clearly(client, stored, text):
    before = stored()
    assert_clear_answer(client.get(f"/api/v1/certificates/{in_path(text)}/"))
    assert_clear_answer(client.get(f"/api/v1/trace/{in_path(text)}/"))
    assert_clear_answer(client.get("/api/v1/lookup/", {"q": text, "status": text, "page": text}))
    assert_clear_answer(client.get("/api/v1/autocomplete/", {"q": text}))
    assert stored() == before
