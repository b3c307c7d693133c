import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from lookup.api.auth import token_for_key
from lookup.models import ApiToken, Certificate, ImportRun, Organisation, Status, StatusChange, TraceCode
from lookup.permissions import REGISTRY_EDITORS

from .factories import (
    ApiTokenFactory,
    BlacklistEntryFactory,
    BodyStaffFactory,
    CertificateFactory,
    CertificationBodyFactory,
    ImportRunFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    SpotCheckFactory,
    TraceCodeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"wagtailsnippets_lookup_{model}:{view}", args=args)


@pytest.fixture
def staff_member():
    return BodyStaffFactory()


@pytest.fixture
def editor():
    return UserFactory(groups=[REGISTRY_EDITORS])


def is_refused(response):
    """Wagtail answers a permission refusal by sending the user to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def sign_in(client, user):
    client.force_login(user)
    return client


def certificate_form_data(certificate=None, **changes):
    """What the edit form posts for ``certificate`` (or a new one), with changes."""
    certificate = certificate or CertificateFactory.build(
        body=CertificationBodyFactory(), category=ProductCategoryFactory(), client=OrganisationFactory()
    )
    data = {
        "number": certificate.number or "",
        "body": certificate.body_id,
        "category": certificate.category_id,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "scheme": certificate.scheme,
        "rules": "\n".join(certificate.rules),
        "standards": "\n".join(certificate.standards),
        "mode": certificate.mode,
        "mark": certificate.mark,
        "accreditation_mark": certificate.accreditation_mark,
        "status": certificate.status,
        "status_reason": "",
        "product_name": certificate.product_name,
        "product_name_en": certificate.product_name_en,
        "product_models": "\n".join(certificate.product_models),
        "brand": certificate.brand,
        "energy_saving_kwh_per_year": "",
        "client": certificate.client_id,
        "producer": "",
        "manufacturer": "",
    }
    data.update(changes)
    return data


# --- who sees what ------------------------------------------------------------------


def test_body_staff_list_only_their_own_certificates(client, staff_member):
    own = CertificateFactory(body=staff_member.body)
    other = CertificateFactory()
    response = sign_in(client, staff_member.user).get(url("certificate", "list"))
    assert response.status_code == 200
    assert own.number in response.content.decode()
    assert other.number not in response.content.decode()


def test_registry_editor_lists_every_bodys_certificates(client, editor):
    first, second = CertificateFactory(), CertificateFactory()
    content = sign_in(client, editor).get(url("certificate", "list")).content.decode()
    assert first.number in content
    assert second.number in content


def test_body_staff_cannot_edit_another_bodys_certificate(client, staff_member):
    other = CertificateFactory()
    sign_in(client, staff_member.user)
    assert client.get(url("certificate", "edit", other.pk)).status_code == 404
    response = client.post(url("certificate", "edit", other.pk), certificate_form_data(other, brand="Forged"))
    assert response.status_code == 404
    assert Certificate.objects.get(pk=other.pk).brand == other.brand


def test_body_staff_cannot_inspect_or_read_the_history_of_another_bodys_certificate(client, staff_member):
    other = CertificateFactory()
    sign_in(client, staff_member.user)
    assert client.get(url("certificate", "inspect", other.pk)).status_code == 404
    assert client.get(url("certificate", "history", other.pk)).status_code == 404


def test_body_staff_can_edit_their_own_certificate(client, staff_member):
    own = CertificateFactory(body=staff_member.body)
    response = sign_in(client, staff_member.user).post(
        url("certificate", "edit", own.pk), certificate_form_data(own, brand="青禾新")
    )
    assert response.status_code == 302
    assert Certificate.objects.get(pk=own.pk).brand == "青禾新"


def test_body_staff_cannot_delete_certificates(client, staff_member):
    own = CertificateFactory(body=staff_member.body)
    sign_in(client, staff_member.user)
    assert is_refused(client.post(url("certificate", "delete", own.pk)))
    assert Certificate.objects.filter(pk=own.pk).exists()


def test_body_staff_cannot_create_a_certificate_for_another_body(client, staff_member):
    other_body = CertificationBodyFactory()
    data = certificate_form_data(body=other_body.pk)
    response = sign_in(client, staff_member.user).post(url("certificate", "add"), data)
    assert response.status_code == 200
    assert not Certificate.objects.filter(body=other_body).exists()


def test_body_staff_list_only_their_own_trace_codes(client, staff_member):
    own = TraceCodeFactory(certificate=CertificateFactory(body=staff_member.body))
    other = TraceCodeFactory()
    sign_in(client, staff_member.user)
    content = client.get(url("tracecode", "list")).content.decode()
    assert own.code in content
    assert other.code not in content
    assert client.get(url("tracecode", "inspect", other.pk)).status_code == 404


def test_user_without_a_body_sees_no_certificates(client, staff_member):
    CertificateFactory(body=staff_member.body)
    staff_member.delete()
    content = sign_in(client, staff_member.user).get(url("certificate", "list")).content.decode()
    assert not any(certificate.number in content for certificate in Certificate.objects.all())


def test_trace_codes_cannot_be_typed_in_by_anyone(client, editor):
    trace = TraceCodeFactory()
    sign_in(client, editor)
    assert is_refused(client.get(url("tracecode", "add")))
    assert is_refused(client.get(url("tracecode", "edit", trace.pk)))


def test_import_reports_are_read_only(client, editor):
    run = ImportRunFactory(
        outcome=ImportRun.Outcome.REJECTED,
        errors=[{"row": 3, "field": "body", "value": "999", "reason": "Unknown certification body"}],
    )
    sign_in(client, editor)
    assert is_refused(client.get(url("importrun", "add")))
    assert is_refused(client.get(url("importrun", "edit", run.pk)))
    inspect = client.get(url("importrun", "inspect", run.pk))
    assert "Unknown certification body" in inspect.content.decode()


# --- audit log and status history ---------------------------------------------------


def test_admin_edit_is_written_to_the_audit_log(client, editor):
    certificate = CertificateFactory()
    sign_in(client, editor).post(url("certificate", "edit", certificate.pk), certificate_form_data(certificate))
    entry = ModelLogEntry.objects.get(object_id=str(certificate.pk), action="wagtail.edit")
    assert entry.user == editor


def test_admin_create_issues_a_number_and_starts_the_history(client, editor):
    data = certificate_form_data()
    response = sign_in(client, editor).post(url("certificate", "add"), data)
    assert response.status_code == 302
    certificate = Certificate.objects.get(product_name=data["product_name"])
    assert certificate.number.startswith(f"G{certificate.issued_on.year}{certificate.body.code}")
    assert certificate.status_changes.get().changed_by == editor
    assert ModelLogEntry.objects.filter(object_id=str(certificate.pk), action="wagtail.create").exists()


def test_typed_number_must_match_the_body_and_category(client, editor):
    data = certificate_form_data(number="G2024001011382914")
    response = sign_in(client, editor).post(url("certificate", "add"), data)
    assert response.status_code == 200
    assert "starts with" in response.content.decode()
    assert not Certificate.objects.filter(number="G2024001011382914").exists()


def test_status_change_in_the_admin_is_recorded_in_the_history(client, editor):
    certificate = CertificateFactory()
    data = certificate_form_data(certificate, status=Status.SUSPENDED, status_reason="Surveillance audit missed")
    response = sign_in(client, editor).post(url("certificate", "edit", certificate.pk), data)
    assert response.status_code == 302
    change = StatusChange.objects.get(certificate=certificate)
    assert (change.from_status, change.to_status) == (Status.VALID, Status.SUSPENDED)
    assert change.reason == "Surveillance audit missed"
    assert change.changed_by == editor
    assert change.source == StatusChange.Source.ADMIN
    assert ModelLogEntry.objects.filter(object_id=str(certificate.pk), action="lookup.change_status").exists()


def test_admin_suspension_without_a_reason_is_refused(client, editor):
    certificate = CertificateFactory()
    data = certificate_form_data(certificate, status=Status.SUSPENDED)
    response = sign_in(client, editor).post(url("certificate", "edit", certificate.pk), data)
    assert response.status_code == 200
    assert Certificate.objects.get(pk=certificate.pk).status == Status.VALID


def test_admin_cannot_make_a_revoked_certificate_valid(client, editor):
    certificate = CertificateFactory(status=Status.REVOKED, status_reason="Fraud")
    data = certificate_form_data(certificate, status=Status.VALID, status_reason="Appeal")
    response = sign_in(client, editor).post(url("certificate", "edit", certificate.pk), data)
    assert response.status_code == 200
    assert Certificate.objects.get(pk=certificate.pk).status == Status.REVOKED
    assert not StatusChange.objects.filter(certificate=certificate).exists()


def test_editing_other_fields_keeps_the_status_reason(client, editor):
    certificate = CertificateFactory(status=Status.SUSPENDED, status_reason="Audit overdue")
    data = certificate_form_data(certificate, brand="新品牌")
    sign_in(client, editor).post(url("certificate", "edit", certificate.pk), data)
    certificate.refresh_from_db()
    assert (certificate.brand, certificate.status_reason) == ("新品牌", "Audit overdue")


def test_inspect_view_shows_the_status_history(client, editor):
    certificate = CertificateFactory()
    data = certificate_form_data(certificate, status=Status.SUSPENDED, status_reason="Labels misused")
    sign_in(client, editor).post(url("certificate", "edit", certificate.pk), data)
    content = client.get(url("certificate", "inspect", certificate.pk)).content.decode()
    assert "Labels misused" in content


def test_inspect_view_lists_models_and_standards_as_text(client, editor):
    certificate = CertificateFactory(product_models=["BCD-520WP", "BCD-520WPG"])
    content = sign_in(client, editor).get(url("certificate", "inspect", certificate.pk)).content.decode()
    assert "BCD-520WP; BCD-520WPG" in content
    assert "[&#x27;" not in content


# --- listing: search and filters ----------------------------------------------------


def test_admin_search_finds_a_certificate_by_number(client, editor):
    wanted, other = CertificateFactory(), CertificateFactory()
    content = sign_in(client, editor).get(url("certificate", "list"), {"q": wanted.number}).content.decode()
    assert wanted.number in content
    assert other.number not in content


def test_status_filter_counts_a_valid_certificate_past_expiry_as_expired(client, editor):
    current, lapsed = CertificateFactory(), CertificateFactory(expired=True)
    content = sign_in(client, editor).get(url("certificate", "list"), {"status": "expired"}).content.decode()
    assert lapsed.number in content
    assert current.number not in content


def test_issue_year_filter(client, editor):
    this_year = timezone.localdate().year
    recent = CertificateFactory(issued_on=datetime.date(this_year, 1, 2))
    older = CertificateFactory(issued_on=datetime.date(2019, 5, 1))
    content = sign_in(client, editor).get(url("certificate", "list"), {"issue_year": "2019"}).content.decode()
    assert older.number in content
    assert recent.number not in content


# --- organisations ------------------------------------------------------------------


def organisation_form_data(**changes):
    data = {
        "name_zh": "青岛绿源科技有限公司",
        "name_en": "",
        "country": "CN",
        "region_code": "370200",
        "uscc": "",
        "registration_number": "",
        "address": "",
        "address_en": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(changes)
    return data


def test_organisation_uscc_is_normalised_when_saved(client, editor):
    response = sign_in(client, editor).post(
        url("organisation", "add"), organisation_form_data(uscc=" 91350100-m000100y43 ")
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name_zh="青岛绿源科技有限公司").uscc == "91350100M000100Y43"


def test_organisation_uscc_with_a_wrong_check_character_is_refused(client, editor):
    response = sign_in(client, editor).post(
        url("organisation", "add"), organisation_form_data(uscc="91350100M000100Y44")
    )
    assert response.status_code == 200
    assert "should be 3, not 4" in response.content.decode()
    assert not Organisation.objects.filter(name_zh="青岛绿源科技有限公司").exists()


def test_trace_code_model_is_not_editable_for_staff(client, staff_member):
    trace = TraceCodeFactory(certificate=CertificateFactory(body=staff_member.body))
    sign_in(client, staff_member.user)
    assert client.get(url("tracecode", "inspect", trace.pk)).status_code == 200
    assert is_refused(client.post(url("tracecode", "delete", trace.pk)))
    assert TraceCode.objects.filter(pk=trace.pk).exists()


# --- every page renders -------------------------------------------------------------


RECORDS = {
    "certificate": CertificateFactory,
    "tracecode": TraceCodeFactory,
    "organisation": OrganisationFactory,
    "certificationbody": CertificationBodyFactory,
    "productcategory": ProductCategoryFactory,
    "spotcheck": SpotCheckFactory,
    "blacklistentry": BlacklistEntryFactory,
    "importrun": ImportRunFactory,
    "apitoken": ApiTokenFactory,
    "bodystaff": BodyStaffFactory,
}


@pytest.mark.parametrize("model", RECORDS)
def test_every_registry_listing_inspect_and_history_page_renders_for_an_editor(client, editor, model):
    record = RECORDS[model]()
    sign_in(client, editor)
    assert client.get(url(model, "list")).status_code == 200
    if model != "importrun":  # imports are never changed in the admin, so have no history there
        assert client.get(url(model, "history", record.pk)).status_code == 200
    if model != "bodystaff":
        assert client.get(url(model, "inspect", record.pk)).status_code == 200


@pytest.mark.parametrize(
    "model",
    ["certificate", "organisation", "certificationbody", "productcategory", "spotcheck", "blacklistentry", "apitoken"],
)
def test_every_editable_registry_form_renders_for_an_editor(client, editor, model):
    record = RECORDS[model]()
    sign_in(client, editor)
    assert client.get(url(model, "add")).status_code == 200
    assert client.get(url(model, "edit", record.pk)).status_code == 200


def test_body_staff_add_form_offers_only_their_own_body(client, staff_member):
    other = CertificationBodyFactory()
    content = sign_in(client, staff_member.user).get(url("certificate", "add")).content.decode()
    assert staff_member.body.name_en in content
    assert other.name_en not in content


def test_edit_form_offers_only_reachable_statuses(client, editor):
    certificate = CertificateFactory(status=Status.SUSPENDED)
    response = sign_in(client, editor).get(url("certificate", "edit", certificate.pk))
    choices = [value for value, _label in response.context["form"].fields["status"].choices]
    assert choices == [Status.VALID, Status.SUSPENDED, Status.WITHDRAWN, Status.REVOKED]


def test_registry_menu_groups_the_registry_models(client, editor):
    content = sign_in(client, editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "Certificate registry" in content


def test_body_staff_certificate_chooser_offers_only_their_own_certificates(client, staff_member):
    own = CertificateFactory(body=staff_member.body)
    other = CertificateFactory()
    sign_in(client, staff_member.user)
    content = client.get(reverse("wagtailsnippetchoosers_lookup_certificate:choose")).content.decode()
    assert own.number in content
    assert other.number not in content
    chosen = reverse("wagtailsnippetchoosers_lookup_certificate:chosen", args=[other.pk])
    assert client.get(chosen).status_code == 404


def test_certificate_inspect_links_to_issuing_its_trace_codes(client, editor):
    certificate = CertificateFactory()
    content = sign_in(client, editor).get(url("certificate", "inspect", certificate.pk)).content.decode()
    assert f"{reverse('lookup_trace_codes:issue')}?number={certificate.number}" in content


def test_linking_a_user_to_a_body_lets_them_into_the_admin(client, editor):
    user, body = UserFactory(is_staff=True), CertificationBodyFactory()
    response = sign_in(client, editor).post(url("bodystaff", "add"), {"user": user.pk, "body": body.pk})
    assert response.status_code == 302
    assert user.has_perm("wagtailadmin.access_admin")
    assert user.body_staff.body == body


def test_new_api_token_key_is_shown_once_and_only_its_hash_kept(client, editor):
    body = CertificationBodyFactory()
    response = sign_in(client, editor).post(url("apitoken", "add"), {"body": body.pk, "name": "ERP"})
    assert response.status_code == 200
    token = ApiToken.objects.get(body=body, name="ERP")
    key = response.content.decode().split("data-api-key>")[1].split("<")[0]
    assert token_for_key(key) == token
    assert key not in (token.key_hash, token.key_prefix)
    assert ModelLogEntry.objects.filter(object_id=str(token.pk), action="wagtail.create").exists()
