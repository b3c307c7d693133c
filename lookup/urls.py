"""Lookup addresses.

``page_patterns`` are the pages a person reads, mounted under the language prefix;
``language_neutral_patterns`` are the JSON API and the short trace URLs printed in QR
codes, which must not change with the reader's language.
"""

from django.urls import path

from lookup.api import api
from lookup.views.certificate import certificate_page
from lookup.views.pages import lookup_home
from lookup.views.reports import report_concern, report_thanks
from lookup.views.scenarios import (
    body_directory,
    body_page,
    code_lookup,
    company_lookup,
    product_lookup,
    validity_check,
)
from lookup.views.supervision import supervision_lookup
from lookup.views.trace import trace_landing

page_patterns = [
    path("", lookup_home, name="lookup-home"),
    path("certificates/<str:number>/", certificate_page, name="lookup-certificate"),
    path("certificates/<str:number>/report/", report_concern, name="lookup-certificate-report"),
    path("certificates/<str:number>/report/thanks/", report_thanks, name="lookup-certificate-report-thanks"),
    path("code/", code_lookup, name="lookup-code"),
    path("products/", product_lookup, name="lookup-products"),
    path("companies/", company_lookup, name="lookup-companies"),
    path("bodies/", body_directory, name="lookup-bodies"),
    path("bodies/<str:code>/", body_page, name="lookup-body"),
    path("validity/", validity_check, name="lookup-validity"),
    path("supervision/", supervision_lookup, name="lookup-supervision"),
]

language_neutral_patterns = [
    path("t/<str:code>", trace_landing, name="trace-landing"),
    path("api/v1/", api.urls),
]
