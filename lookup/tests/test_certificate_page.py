"""The certificate page's links, mark, supervision record, QR code, print sheet and
structured data, and the "report a suspected fake" form behind it."""

import datetime
import json
import re
import shutil
import subprocess

import pytest
import wagtail_factories
from defusedxml import ElementTree as ET
from PIL import Image

from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from cms.tests.factories import (
    AdoptionIndexPageFactory,
    ImplementationRuleIndexPageFactory,
    ImplementationRulePageFactory,
    InformationIndexPageFactory,
    MarkPageFactory,
    StandardIndexPageFactory,
    StandardPageFactory,
    home_page,
    translate,
)
from lookup import codes
from lookup.concern_reports import sender_key
from lookup.flags import BLACKLIST, SPOT_CHECK_FAILED, entry_url
from lookup.models import BlacklistEntry, ConcernReport, SpotCheck, Status
from lookup.permissions import REGISTRY_EDITORS
from lookup.tests.factories import CertificateFactory, OrganisationFactory, UserFactory
from security.roles import ADMINISTRATORS, SITE_EDITORS, SUPERVISION_EDITORS, ensure_roles

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LANGUAGES = ["zh-hans", "en"]
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def page_url(number, language="en"):
    with translation.override(language):
        return reverse("lookup-certificate", kwargs={"number": number})


def report_url(number, language="en"):
    with translation.override(language):
        return reverse("lookup-certificate-report", kwargs={"number": number})


def get(client, certificate, language="en", **query):
    response = client.get(page_url(certificate.number, language), query)
    assert response.status_code == 200
    return response.content.decode()


def section(content, heading_id):
    start = content.index(f'id="{heading_id}"')
    end = content.find("</section>", start)
    return content[start:end]


def json_ld(content):
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content, re.S)
    assert match, "the page has no JSON-LD"
    return json.loads(match.group(1))


def qr_payload(svg, tmp_path, scale=8):
    """What a real QR reader (zbarimg) reads from the page's inline SVG."""
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    image = Image.new("L", (size * scale, size * scale), 255)
    for start, row, run in re.findall(r"M(\d+) (\d+)h(\d+)", root.find(f"{SVG}path").get("d")):
        left, top = int(start) * scale, int(row) * scale
        image.paste(0, (left, top, left + int(run) * scale, top + scale))
    path = tmp_path / "qr.png"
    image.save(path)
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: install Debian's zbar-tools (./dev.sh does)"
    result = subprocess.run(
        [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


@pytest.fixture
def record_pages(db):
    """The standard GB/T 39761-2021 and the rule CNCA-CGP-01:2019 as live pages in
    Chinese and English, and a draft standard GB/T 35603-2017."""
    home = home_page()
    translate(home, title="Home", hero_title="Green product certification")
    adoption = AdoptionIndexPageFactory(parent=home)
    translate(adoption, title="Adoption")
    standards = StandardIndexPageFactory(parent=adoption)
    translate(standards, title="Standards")
    rules = ImplementationRuleIndexPageFactory(parent=adoption)
    translate(rules, title="Rules")
    standard = StandardPageFactory(parent=standards, number="GB/T 39761-2021", slug="gbt-39761")
    rule = ImplementationRulePageFactory(parent=rules, rule_code="CNCA-CGP-01:2019", slug="cnca-cgp-01")
    draft = StandardPageFactory(parent=standards, number="GB/T 35603-2017", slug="gbt-35603", live=False)
    return {
        "zh-hans": {"standard": standard, "rule": rule},
        "en": {
            "standard": translate(standard, title="Household appliances"),
            "rule": translate(rule, title="Implementation rule"),
        },
        "draft": draft,
    }


@pytest.fixture
def mark_pages(db):
    home = home_page()
    translate(home, title="Home", hero_title="Green product certification")
    information = InformationIndexPageFactory(parent=home)
    translate(information, title="Information")
    image = wagtail_factories.ImageFactory(title="绿色产品标识")
    mark = MarkPageFactory(parent=information, image=image, slug="green-product-mark")
    return {"zh-hans": mark, "en": translate(mark, title="The green product mark")}


# The status banner and the pages that are not found


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.REVOKED])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_withdrawn_or_revoked_certificate_still_has_its_page_with_the_red_banner(client, status, language):
    certificate = CertificateFactory(status=status, status_reason="监督抽查不合格", status_changed_on=TODAY - DAY)
    content = get(client, certificate, language)
    assert f"status-banner--{status}" in content
    assert "监督抽查不合格" in content
    assert certificate.number in content


@pytest.mark.parametrize(
    ("language", "answer"), [("en", "No certificate has the number {}."), ("zh-hans", "不存在编号为 {} 的证书。")]
)
def test_an_unknown_number_is_a_404_that_offers_a_report(client, language, answer):
    number = codes.generate_certificate_number(2024, "001", "011")
    response = client.get(page_url(number, language))
    content = response.content.decode()
    assert response.status_code == 404
    assert answer.format(number) in content
    assert f'href="{report_url(number, language)}"' in content


def test_an_unknown_number_says_why_it_may_be_missing(client):
    number = codes.generate_certificate_number(2024, "001", "011")
    content = client.get(page_url(number)).content.decode()
    assert "A character was misread or mistyped" in content
    assert "The certificate was issued in the last few days" in content
    assert "The number was never issued" in content


def test_an_unknown_number_is_never_answered_as_a_certificate(client):
    number = codes.generate_certificate_number(2024, "001", "011")
    content = client.get(page_url(number)).content.decode()
    assert "status-banner" not in content
    assert "application/ld+json" not in content


# What the page links to


def test_the_body_links_to_its_entry_in_the_directory(client):
    certificate = CertificateFactory()
    directory_url = reverse("lookup-body", kwargs={"code": certificate.body.code})
    content = section(get(client, certificate), "certificate-certificate")
    assert f'<a href="{directory_url}">{certificate.body.name}</a>' in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_standards_and_rules_link_to_their_pages_in_the_readers_language(client, record_pages, language):
    certificate = CertificateFactory(standards=["GB/T 39761-2021"], rules=["CNCA-CGP-01:2019"])
    content = section(get(client, certificate, language), "certificate-certificate")
    pages = record_pages[language]
    assert f'<a href="{pages["standard"].url}">GB/T 39761-2021</a>' in content
    assert f'<a href="{pages["rule"].url}">CNCA-CGP-01:2019</a>' in content
    assert pages["standard"].url.startswith(f"/{language}/")


def test_a_standard_without_a_live_page_is_named_without_a_link(client, record_pages):
    certificate = CertificateFactory(standards=["GB/T 35603-2017", "GB/T 99999-2030"])
    content = section(get(client, certificate), "certificate-certificate")
    assert "<li>GB/T 35603-2017</li>" in content
    assert "<li>GB/T 99999-2030</li>" in content
    assert record_pages["draft"].url_path.split("/")[-2] not in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mark_shows_its_image_and_links_to_the_mark_page(client, mark_pages, language):
    certificate = CertificateFactory(mark="中国绿色产品")
    content = section(get(client, certificate, language), "certificate-product")
    mark = re.search(r'<dd class="certificate-mark"><a href="([^"]+)"><img src="([^"]+)"', content)
    assert mark, content
    assert mark.group(1) == mark_pages[language].url
    assert mark.group(2) == mark_pages[language].image.get_rendition("height-96").url


def test_a_certificate_without_a_mark_shows_no_mark(client, mark_pages):
    certificate = CertificateFactory(mark="")
    assert "certificate-mark" not in get(client, certificate)


# The parties' supervision record


@pytest.fixture
def supervised():
    """A certificate whose holder failed one spot check and passed another, and is
    blacklisted; its body had a listing that has ended."""
    holder = OrganisationFactory(name_zh="南京青禾家电股份有限公司", name_en="Nanjing Qinghe")
    certificate = CertificateFactory(client=holder, producer=holder, manufacturer=holder)
    SpotCheck.objects.create(
        year=2024,
        task_name="2024年家用电器监督抽查",
        organisation=holder,
        organisation_name=holder.name_zh,
        product="变频冰箱 BCD-520WP",
        result=SpotCheck.Result.FAIL,
        findings="能效等级与标称不符",
        published_on=datetime.date(2024, 9, 1),
    )
    SpotCheck.objects.create(
        year=2023,
        task_name="2023年家用电器监督抽查",
        organisation_name=holder.name_zh,
        product="滚筒洗衣机",
        result=SpotCheck.Result.PASS,
        published_on=datetime.date(2023, 8, 1),
    )
    BlacklistEntry.objects.create(
        organisation=holder,
        party_name=holder.name_zh,
        reason="伪造认证标志",
        decided_on=datetime.date(2024, 10, 1),
        decided_by="江苏省市场监督管理局",
    )
    BlacklistEntry.objects.create(
        body=certificate.body,
        party_name=certificate.body.name_zh,
        reason="超范围认证",
        decided_on=datetime.date(2020, 1, 1),
        decided_by="国家认监委",
        listed_until=datetime.date(2021, 1, 1),
    )
    return certificate


def test_the_page_warns_of_the_parties_flags_under_the_banner(client, supervised):
    content = get(client, supervised)
    warnings = content[content.index("certificate-flags") : content.index("<h1>")]
    assert "Blacklisted: 南京青禾家电股份有限公司" in warnings
    assert "Failed a spot check in 2024: 南京青禾家电股份有限公司" in warnings


@pytest.mark.parametrize(("language", "failed", "passed"), [("en", "Fail", "Pass"), ("zh-hans", "不合格", "合格")])
def test_the_supervision_record_lists_each_entry_with_its_dates_and_outcome(
    client, supervised, language, failed, passed
):
    content = section(get(client, supervised, language), "certificate-supervision")
    assert content.count("certificate-outcome--listed") == 1
    assert content.count("certificate-outcome--ended") == 1
    assert "伪造认证标志" in content and "2024-10-01" in content and "江苏省市场监督管理局" in content
    assert "超范围认证" in content and "2021-01-01" in content
    assert "certificate-outcome--fail" in content and failed in content
    assert "certificate-outcome--pass" in content and passed in content
    assert "能效等级与标称不符" in content and "2024-09-01" in content and "2023-08-01" in content


def test_each_entry_links_to_its_place_on_the_supervision_page(client, supervised):
    content = section(get(client, supervised), "certificate-supervision")
    check = SpotCheck.objects.get(result=SpotCheck.Result.FAIL)
    entry = BlacklistEntry.objects.get(reason="伪造认证标志")
    assert f'href="{escape(entry_url(SPOT_CHECK_FAILED, check.pk, check.organisation_name))}"' in content
    assert f'href="{escape(entry_url(BLACKLIST, entry.pk, entry.party_name))}"' in content


def test_a_clean_record_says_nothing_concerns_the_parties(client):
    content = section(get(client, CertificateFactory()), "certificate-supervision")
    assert "No published spot check or blacklist entry concerns" in content
    assert "certificate-record" not in content


def test_another_companys_entries_are_not_shown(client, supervised):
    content = section(get(client, CertificateFactory()), "certificate-supervision")
    assert "伪造认证标志" not in content and "能效等级与标称不符" not in content


# The QR code, the print sheet and the structured data


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_qr_code_reads_as_the_pages_own_address(client, tmp_path, language):
    certificate = CertificateFactory()
    content = get(client, certificate, language)
    address = f"http://testserver{page_url(certificate.number, language)}"
    svg = re.search(r"<svg .*?</svg>", content[content.index("certificate-qr__code") :], re.S).group(0)
    assert qr_payload(svg, tmp_path) == address
    assert f'<p class="certificate-qr__url">{address}</p>' in content


def test_the_page_has_a_print_stylesheet(client):
    content = get(client, CertificateFactory())
    assert re.search(
        r'<link rel="stylesheet" href="[^"]*lookup/certificate-print(\.[0-9a-f]+)?\.css" media="print">', content
    )


@pytest.mark.parametrize(("status", "schema_status"), [(Status.VALID, "Active"), (Status.REVOKED, "Inactive")])
def test_structured_data_describe_the_certification_and_its_product(client, status, schema_status):
    certificate = CertificateFactory(status=status, status_reason="抽查不合格", product_models=["A-1", "A-2"])
    data = json_ld(get(client, certificate))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Certification"
    assert data["certificationIdentification"] == certificate.number
    assert data["name"] == f"Green product certificate {certificate.number}"
    assert data["certificationStatus"] == f"https://schema.org/Certification{schema_status}"
    assert data["url"] == f"http://testserver{page_url(certificate.number)}"
    assert data["issuedBy"]["name"] == certificate.body.name_en
    assert data["validFrom"] == certificate.issued_on.isoformat()
    assert data["expires"] == certificate.expires_on.isoformat()
    assert data["about"] == {
        "@type": "Product",
        "name": certificate.product_name_en,
        "brand": {"@type": "Brand", "name": certificate.brand},
        "model": ["A-1", "A-2"],
    }


def test_structured_data_are_in_the_readers_language(client):
    certificate = CertificateFactory()
    data = json_ld(get(client, certificate, "zh-hans"))
    assert data["about"]["name"] == certificate.product_name
    assert data["inLanguage"] == "zh-hans"


def test_structured_data_cannot_close_their_script_element(client):
    certificate = CertificateFactory(brand="</script><script>alert(1)</script>")
    content = get(client, certificate)
    script = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content, re.S).group(1)
    assert "<" not in script
    assert json.loads(script)["about"]["brand"]["name"] == certificate.brand


def test_structured_data_carry_the_policys_nonce(client):
    response = client.get(page_url(CertificateFactory().number))
    policy = response.headers.get("Content-Security-Policy", "")
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, f"no nonce in the Content-Security-Policy header: {policy!r}"
    assert f'<script type="application/ld+json" nonce="{nonce.group(1)}">' in response.content.decode()


# The report form


@pytest.fixture
def editors():
    """Two market-supervision editors with email (one reads Chinese), one without, and
    a registry editor who must not be told."""
    return {
        "en": UserFactory(groups=[SUPERVISION_EDITORS], email="en-editor@example.cn"),
        "zh": UserFactory(groups=[SUPERVISION_EDITORS], email="zh-editor@example.cn", admin_language="zh-hans"),
        "no_email": UserFactory(groups=[SUPERVISION_EDITORS], email=""),
        "other": UserFactory(groups=[REGISTRY_EDITORS], email="registry@example.cn"),
    }


def report_data(**changes):
    data = {
        "kind": ConcernReport.Kind.MARK_MISUSE,
        "description": "超市里的冰箱贴着绿色产品标识，但型号不在证书上。",
        "where_seen": "南京新街口某超市",
        "contact": "reader@example.cn",
        "website": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_certificate_page_links_to_the_report_form(client, language):
    certificate = CertificateFactory()
    content = section(get(client, certificate, language), "certificate-report")
    assert f'href="{report_url(certificate.number, language)}"' in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_form_asks_what_is_wrong_in_each_language(client, language):
    certificate = CertificateFactory()
    response = client.get(report_url(certificate.number, language))
    content = response.content.decode()
    assert response.status_code == 200
    with translation.override(language):
        assert str(ConcernReport.Kind.FAKE_CERTIFICATE.label) in content
        assert str(ConcernReport.Kind.NON_COMPLIANCE.label) in content
    assert f'action="{report_url(certificate.number, language)}"' in content
    assert "csrfmiddlewaretoken" in content
    assert content.count('name="kind"') == len(ConcernReport.Kind.values)


def test_a_report_is_saved_and_the_reader_thanked(client, django_capture_on_commit_callbacks):
    certificate = CertificateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(certificate.number), report_data(), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    assert (report.certificate, report.number, report.kind) == (certificate, certificate.number, "mark_misuse")
    assert report.status == ConcernReport.ReportStatus.NEW
    assert report.language == "en"
    assert report.sender_key == sender_key("203.0.113.9")
    thanks = client.get(response.url)
    assert thanks.status_code == 200
    assert "Thank you: your report was received" in thanks.content.decode()


def test_the_senders_address_is_not_stored(client):
    client.post(report_url(CertificateFactory().number), report_data(), REMOTE_ADDR="203.0.113.9")
    report = ConcernReport.objects.values().get()
    assert not any("203.0.113.9" in str(value) for value in report.values())
    assert len(report["sender_key"]) == 64


def test_the_editors_are_emailed_in_their_language_and_no_one_else(
    client, editors, django_capture_on_commit_callbacks
):
    certificate = CertificateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(certificate.number, "zh-hans"), report_data())
    report = ConcernReport.objects.get()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"en-editor@example.cn", "zh-editor@example.cn"}
    english, chinese = by_recipient["en-editor@example.cn"], by_recipient["zh-editor@example.cn"]
    assert english.subject == f"Report from the public about certificate {certificate.number}"
    with translation.override("zh-hans"):
        subject = gettext("Report from the public about certificate %(number)s") % {"number": certificate.number}
        kind = str(ConcernReport.Kind.MARK_MISUSE.label)
    assert chinese.subject == subject
    assert kind in chinese.body
    admin_path = reverse("wagtailsnippets_lookup_concernreport:inspect", args=[report.pk])
    assert admin_path in english.body and admin_path in chinese.body
    assert "reader@example.cn" not in english.body and report.description not in english.body


def test_a_report_about_a_number_never_issued_is_kept_without_a_certificate(client):
    number = codes.generate_certificate_number(2024, "001", "011")
    response = client.post(report_url(number), report_data(kind=ConcernReport.Kind.FAKE_CERTIFICATE))
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    assert report.number == number and report.certificate is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"website": "http://spam.example"}, "This field must be left empty."),
        ({"description": "太短了"}, "Write at least 20 characters"),
        ({"description": "长" * 2001}, "at most 2000 characters"),
        ({"contact": "x" * 201}, "at most 200 characters"),
        ({"kind": "nonsense"}, "Select a valid choice"),
        ({"kind": ""}, "This field is required"),
    ],
)
def test_a_bad_report_is_refused_with_a_reason_and_nothing_is_saved(client, changes, message):
    response = client.post(report_url(CertificateFactory().number), report_data(**changes))
    content = response.content.decode()
    assert response.status_code == 400
    assert "The report was not sent." in content
    assert message in content
    assert not ConcernReport.objects.exists()
    assert not mail.outbox


def test_a_report_without_the_csrf_token_is_refused(editors):
    client = Client(enforce_csrf_checks=True)
    response = client.post(report_url(CertificateFactory().number), report_data())
    assert response.status_code == 403
    assert not ConcernReport.objects.exists()


def test_the_report_form_refuses_a_malformed_number(client):
    response = client.post(report_url("G123"), report_data())
    assert response.status_code == 400
    assert not ConcernReport.objects.exists()


def test_the_thank_you_page_needs_a_fresh_receipt(client):
    certificate = CertificateFactory()
    with translation.override("en"):
        thanks = reverse("lookup-certificate-report-thanks", kwargs={"number": certificate.number})
    for query in ("", "?receipt=forged"):
        response = client.get(thanks + query)
        assert response.status_code == 302
        assert response.url == report_url(certificate.number)


# The reports in the admin


def admin_listing_status(user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("wagtailsnippets_lookup_concernreport:list")).status_code


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(SUPERVISION_EDITORS, True), (ADMINISTRATORS, True), (REGISTRY_EDITORS, False), (SITE_EDITORS, False)],
)
def test_only_supervision_editors_and_administrators_see_the_reports(role, allowed):
    user = UserFactory(groups=[Group.objects.get(name=role)])
    status = admin_listing_status(user)
    assert (status == 200) is allowed, status


def test_superusers_see_the_reports():
    assert admin_listing_status(UserFactory(is_superuser=True)) == 200


def test_an_editor_changes_the_status_but_not_what_the_reader_wrote(editors):
    report = ConcernReport.objects.create(
        number=CertificateFactory().number, kind="other", description="原始描述" * 10, language="zh-hans"
    )
    client = Client()
    client.force_login(editors["en"])
    url = reverse("wagtailsnippets_lookup_concernreport:edit", args=[report.pk])
    response = client.post(
        url,
        {
            "status": "under_review",
            "editor_notes": "已转交江苏省局",
            "description": "改写",
            "kind": "fake_certificate",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.status == "under_review" and report.editor_notes == "已转交江苏省局"
    assert report.description == "原始描述" * 10 and report.kind == "other"


def test_no_one_adds_a_report_in_the_admin(editors):
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailsnippets_lookup_concernreport:add"))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


def test_an_editor_reads_the_whole_report_in_the_admin(editors):
    report = ConcernReport.objects.create(
        number=CertificateFactory().number,
        kind="fake_certificate",
        description="标签上的证书编号查不到" * 3,
        contact="reader@example.cn",
        language="zh-hans",
    )
    client = Client()
    client.force_login(editors["en"])
    response = client.get(reverse("wagtailsnippets_lookup_concernreport:inspect", args=[report.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert report.description in content and "reader@example.cn" in content


@pytest.mark.parametrize("role", [SUPERVISION_EDITORS, ADMINISTRATORS])
def test_ensure_roles_gives_the_reports_back_to_a_group_edited_by_hand(role):
    group = Group.objects.get(name=role)
    group.permissions.remove(*group.permissions.filter(codename__endswith="_concernreport"))
    ensure_roles()
    codenames = set(group.permissions.filter(codename__endswith="_concernreport").values_list("codename", flat=True))
    assert codenames == {"view_concernreport", "change_concernreport"}


@pytest.mark.parametrize(
    ("language", "address"), [("zh-hans", "南京市江宁区科学园路18号"), ("en", "18 Kexueyuan Road, Nanjing")]
)
def test_organisations_show_their_address_in_the_readers_language(client, language, address):
    holder = OrganisationFactory(address="南京市江宁区科学园路18号", address_en="18 Kexueyuan Road, Nanjing")
    content = section(get(client, CertificateFactory(client=holder), language), "certificate-organisations")
    assert address in content


def test_a_foreign_manufacturer_shows_its_own_registration_number(client):
    maker = OrganisationFactory(uscc=None, country="DE", region_code="", registration_number="HRB 12345")
    content = section(get(client, CertificateFactory(manufacturer=maker)), "certificate-organisations")
    assert "Registration number" in content and "HRB 12345" in content


def test_the_page_costs_the_same_queries_however_long_the_record(client):
    def queries_with(entries):
        holder = OrganisationFactory()
        certificate = CertificateFactory(client=holder, producer=OrganisationFactory(), manufacturer=holder)
        for year in range(2000, 2000 + entries):
            SpotCheck.objects.create(
                year=year,
                task_name=f"{year}年监督抽查",
                organisation=holder,
                organisation_name=holder.name_zh,
                product="冰箱",
                result=SpotCheck.Result.FAIL,
                published_on=datetime.date(year, 6, 1),
            )
            BlacklistEntry.objects.create(
                organisation=holder,
                party_name=holder.name_zh,
                reason="伪造",
                decided_on=datetime.date(year, 7, 1),
                decided_by="局",
            )
        get(client, certificate)
        with CaptureQueriesContext(connection) as captured:
            get(client, certificate)
        return len(captured.captured_queries)

    assert queries_with(10) == queries_with(1)
