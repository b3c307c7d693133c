import datetime
import threading

import pytest

from django.db import connection
from django.utils import timezone

from lookup import status as lifecycle
from lookup.models import Certificate, Status, StatusChange
from lookup.status import StatusTransitionError, change_status, record_initial_status, status_on

from .factories import CertificateFactory, StatusChangeFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def transition_error(certificate, new_status, **kwargs):
    with pytest.raises(StatusTransitionError) as raised:
        change_status(certificate, new_status, **kwargs)
    return raised.value


def test_valid_certificate_can_be_suspended_with_a_reason():
    certificate = CertificateFactory()
    change_status(certificate, Status.SUSPENDED, reason="Surveillance audit not carried out")
    certificate.refresh_from_db()
    assert certificate.status == Status.SUSPENDED
    assert certificate.status_changed_on == today()
    assert certificate.status_reason == "Surveillance audit not carried out"


def test_suspended_certificate_is_restored_to_valid_after_correction():
    certificate = CertificateFactory(status=Status.SUSPENDED)
    change_status(certificate, Status.VALID, reason="Corrective action verified")
    assert Certificate.objects.get(pk=certificate.pk).status == Status.VALID


def test_revoked_certificate_never_returns_to_valid():
    certificate = CertificateFactory()
    change_status(certificate, Status.REVOKED, reason="Product failed a spot check")
    error = transition_error(certificate, Status.VALID, reason="Appeal")
    assert error.code == "final_status"
    assert Certificate.objects.get(pk=certificate.pk).status == Status.REVOKED


def test_withdrawn_certificate_cannot_be_suspended():
    certificate = CertificateFactory(status=Status.WITHDRAWN)
    assert transition_error(certificate, Status.SUSPENDED, reason="x").code == "final_status"


@pytest.mark.parametrize("new_status", [Status.SUSPENDED, Status.WITHDRAWN, Status.REVOKED])
def test_suspending_withdrawing_and_revoking_need_a_reason(new_status):
    certificate = CertificateFactory()
    error = transition_error(certificate, new_status, reason="  ")
    assert error.code == "reason_required"
    assert not StatusChange.objects.filter(certificate=certificate).exists()


def test_changing_to_the_same_status_is_refused():
    certificate = CertificateFactory(status=Status.SUSPENDED)
    assert transition_error(certificate, Status.SUSPENDED, reason="again").code == "same_status"


def test_unknown_status_is_refused():
    assert transition_error(CertificateFactory(), "cancelled").code == "unknown_status"


def test_valid_certificate_past_expiry_reads_expired_without_a_job():
    certificate = CertificateFactory(expired=True)
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID
    assert certificate.effective_status() == Status.EXPIRED
    assert status_on(certificate, today()) == Status.EXPIRED


def test_expired_certificate_cannot_be_made_valid_without_renewal():
    certificate = CertificateFactory(expired=True, status=Status.SUSPENDED)
    error = transition_error(certificate, Status.VALID, reason="Corrected")
    assert error.code == "past_expiry"
    assert certificate.expires_on.isoformat() in str(error)


def test_renewed_certificate_can_be_made_valid_again():
    certificate = CertificateFactory(expired=True, status=Status.EXPIRED)
    certificate.expires_on = today() + 3 * 365 * DAY
    certificate.save()
    change_status(certificate, Status.VALID, reason="Renewed after recertification audit")
    assert Certificate.objects.get(pk=certificate.pk).effective_status() == Status.VALID


def test_expired_can_be_recorded_only_after_the_expiry_date():
    assert transition_error(CertificateFactory(), Status.EXPIRED).code == "not_expired"
    expired = CertificateFactory(expired=True, status=Status.SUSPENDED)
    change = change_status(expired, Status.EXPIRED)
    assert change.to_status == Status.EXPIRED


def test_every_change_is_recorded_with_date_reason_and_user():
    certificate = CertificateFactory()
    user = UserFactory()
    on = today() - 10 * DAY
    change = change_status(
        certificate, Status.SUSPENDED, changed_on=on, reason="Labels misused", user=user, source="import"
    )
    recorded = StatusChange.objects.get(pk=change.pk)
    assert (recorded.from_status, recorded.to_status) == (Status.VALID, Status.SUSPENDED)
    assert recorded.changed_on == on
    assert recorded.reason == "Labels misused"
    assert recorded.changed_by == user
    assert recorded.source == StatusChange.Source.IMPORT


def test_a_refused_change_writes_nothing():
    certificate = CertificateFactory(status=Status.REVOKED)
    transition_error(certificate, Status.VALID)
    certificate.refresh_from_db()
    assert certificate.status == Status.REVOKED
    assert not certificate.status_changes.exists()


def test_status_change_cannot_be_dated_in_the_future():
    error = transition_error(CertificateFactory(), Status.SUSPENDED, reason="x", changed_on=today() + DAY)
    assert error.code == "future_date"


def test_status_change_cannot_be_dated_before_issue():
    certificate = CertificateFactory()
    error = transition_error(certificate, Status.SUSPENDED, reason="x", changed_on=certificate.issued_on - DAY)
    assert error.code == "before_issue"


def test_status_change_cannot_be_dated_before_the_last_recorded_one():
    certificate = CertificateFactory()
    change_status(certificate, Status.SUSPENDED, reason="x", changed_on=today() - 5 * DAY)
    error = transition_error(certificate, Status.VALID, changed_on=today() - 6 * DAY)
    assert error.code == "before_last_change"


def test_allowed_transitions_leave_out_valid_for_an_expired_certificate():
    certificate = CertificateFactory(expired=True, status=Status.SUSPENDED)
    allowed = lifecycle.allowed_transitions(certificate)
    assert Status.VALID not in allowed
    assert set(allowed) == {Status.WITHDRAWN, Status.REVOKED, Status.EXPIRED}


def test_new_certificate_history_starts_valid_on_its_issue_date():
    certificate = CertificateFactory()
    user = UserFactory()
    (entry,) = record_initial_status(certificate, user=user)
    assert (entry.from_status, entry.to_status, entry.changed_on) == ("", Status.VALID, certificate.issued_on)
    assert entry.changed_by == user


def test_imported_suspended_certificate_history_shows_when_it_was_suspended():
    suspended_on = today() - 20 * DAY
    certificate = CertificateFactory(
        status=Status.SUSPENDED, status_changed_on=suspended_on, status_reason="Audit overdue"
    )
    record_initial_status(certificate, source=StatusChange.Source.IMPORT)
    assert status_on(certificate, suspended_on - DAY) == Status.VALID
    assert status_on(certificate, suspended_on) == Status.SUSPENDED
    assert certificate.status_changes.last().reason == "Audit overdue"


def test_recording_the_initial_status_twice_writes_it_once():
    certificate = CertificateFactory()
    record_initial_status(certificate)
    assert record_initial_status(certificate) == []
    assert certificate.status_changes.count() == 1


def test_status_on_a_past_date_comes_from_the_history():
    certificate = CertificateFactory()
    record_initial_status(certificate)
    change_status(certificate, Status.SUSPENDED, reason="x", changed_on=today() - 30 * DAY)
    change_status(certificate, Status.VALID, reason="fixed", changed_on=today() - 10 * DAY)
    assert status_on(certificate, today() - 40 * DAY) == Status.VALID
    assert status_on(certificate, today() - 20 * DAY) == Status.SUSPENDED
    assert status_on(certificate, today()) == Status.VALID


def test_status_before_issue_is_none():
    certificate = CertificateFactory()
    assert status_on(certificate, certificate.issued_on - DAY) is None


def test_status_on_a_day_after_expiry_reads_expired():
    certificate = CertificateFactory()
    StatusChangeFactory(certificate=certificate)
    assert status_on(certificate, certificate.expires_on) == Status.VALID
    assert status_on(certificate, certificate.expires_on + DAY) == Status.EXPIRED


def test_surveillance_is_due_within_twelve_months_of_the_last_audit():
    certificate = CertificateFactory(issued_on=datetime.date(2024, 2, 29))
    assert lifecycle.surveillance_due(certificate) == datetime.date(2025, 2, 28)
    assert lifecycle.surveillance_due(certificate, datetime.date(2025, 1, 15)) == datetime.date(2026, 1, 15)


def test_certificate_without_an_audit_for_over_a_year_is_overdue():
    certificate = CertificateFactory(issued_on=today() - 400 * DAY)
    assert lifecycle.surveillance_overdue(certificate)
    assert not lifecycle.surveillance_overdue(certificate, last_audit_on=today() - 30 * DAY)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_changes_cannot_both_pass():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    certificate = CertificateFactory()
    outcomes = []
    barrier = threading.Barrier(2)

    def revoke(status):
        try:
            barrier.wait()
            change_status(Certificate.objects.get(pk=certificate.pk), status, reason="race")
            outcomes.append("changed")
        except StatusTransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=revoke, args=(status,)) for status in (Status.REVOKED, Status.WITHDRAWN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["changed", "refused"]
    assert StatusChange.objects.filter(certificate=certificate).count() == 1
