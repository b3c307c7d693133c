"""The permission matrix: each role against the key actions of the admin."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import Page
from wagtail.permissions import policy_registry

from lookup.models import BlacklistEntry, Certificate, SpotCheck
from lookup.permissions import BODY_STAFF, REGISTRY_EDITORS
from lookup.tests.factories import BodyStaffFactory, CertificateFactory, UserFactory
from security.models import AuditEvent
from security.roles import ADMINISTRATORS, AUDITORS, ROLES, SITE_EDITORS, SUPERVISION_EDITORS, ensure_roles

pytestmark = pytest.mark.django_db

ACTIONS = [
    "edit pages",
    "edit own body's certificate",
    "edit other body's certificate",
    "edit spot checks",
    "edit blacklist",
    "read audit log",
    "manage users",
]
# role → the actions it may take, in the order of ACTIONS.
MATRIX = {
    SITE_EDITORS: {"edit pages"},
    SUPERVISION_EDITORS: {"edit spot checks", "edit blacklist"},
    REGISTRY_EDITORS: {
        "edit own body's certificate",
        "edit other body's certificate",
        "edit spot checks",
        "edit blacklist",
    },
    BODY_STAFF: {"edit own body's certificate"},
    AUDITORS: {"read audit log"},
    ADMINISTRATORS: {"manage users"},
}


def member_of(role):
    if role == BODY_STAFF:
        return BodyStaffFactory().user
    return UserFactory(groups=[Group.objects.get(name=role)])


def allowed_actions(user, own_certificate, other_certificate):
    certificates = policy_registry.get_by_type(Certificate)
    home = Page.objects.filter(depth=2).first()
    checks = {
        "edit pages": home.permissions_for_user(user).can_edit(),
        "edit own body's certificate": certificates.user_has_permission_for_instance(user, "change", own_certificate),
        "edit other body's certificate": certificates.user_has_permission_for_instance(
            user, "change", other_certificate
        ),
        "edit spot checks": policy_registry.get_by_type(SpotCheck).user_has_permission(user, "change"),
        "edit blacklist": policy_registry.get_by_type(BlacklistEntry).user_has_permission(user, "change"),
        "read audit log": policy_registry.get_by_type(AuditEvent).user_has_permission(user, "view"),
        "manage users": user.has_perm("auth.change_user") and user.has_perm("auth.add_user"),
    }
    return {action for action, allowed in checks.items() if allowed}


def test_migration_creates_every_role():
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


def test_ensure_roles_is_idempotent():
    before = {group.name: set(group.permissions.all()) for group in Group.objects.filter(name__in=ROLES)}
    ensure_roles()
    after = {group.name: set(group.permissions.all()) for group in Group.objects.filter(name__in=ROLES)}
    assert after == before


@pytest.mark.parametrize("role", list(MATRIX))
def test_role_may_take_exactly_its_actions(role):
    user = member_of(role)
    own_body = user.body_staff.body if role == BODY_STAFF else None
    own_certificate = CertificateFactory(body=own_body) if own_body else CertificateFactory()
    other_certificate = CertificateFactory()
    assert allowed_actions(user, own_certificate, other_certificate) == MATRIX[role]


def test_superuser_may_read_the_audit_log_but_not_edit_it():
    user = UserFactory(superuser=True)
    policy = policy_registry.get_by_type(AuditEvent)
    assert policy.user_has_permission(user, "view")
    assert not any(policy.user_has_permission(user, action) for action in ("add", "change", "delete"))
