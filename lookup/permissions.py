"""Who may see and change registry records in the Wagtail admin.

Two groups, made by migration and kept by :func:`ensure_registry_groups`:

* **Registry editors** (and superusers) see and change every record.
* **Certification body staff** (users who also have a ``BodyStaff`` row) add and
  change certificates, and see trace codes, of their own body only.

Anyone else who is not an editor sees no certificates or trace codes, whatever
Django permissions they hold.

Model-level rights come from Django permissions as usual; :class:`BodyScopedPolicy`
narrows them to the user's own body for certificates and trace codes.
"""

from operator import attrgetter

from wagtail.permission_policies import ModelPermissionPolicy

REGISTRY_EDITORS = "Registry editors"
BODY_STAFF = "Certification body staff"

NO_BODY = 0  # no row has this id

REGISTRY_MODELS = [
    "certificate",
    "statuschange",
    "tracecode",
    "organisation",
    "region",
    "certificationbody",
    "productcategory",
    "productgroup",
    "bodystaff",
    "apitoken",
    "importrun",
    "spotcheck",
    "blacklistentry",
]
GROUP_PERMISSIONS = {
    REGISTRY_EDITORS: [
        ("wagtailadmin", "access_admin"),
        *(
            ("lookup", f"{action}_{model}")
            for model in REGISTRY_MODELS
            for action in ("add", "change", "delete", "view")
        ),
    ],
    BODY_STAFF: [
        ("wagtailadmin", "access_admin"),
        ("lookup", "add_certificate"),
        ("lookup", "change_certificate"),
        ("lookup", "view_certificate"),
        ("lookup", "view_tracecode"),
        ("lookup", "view_organisation"),
        ("lookup", "add_organisation"),
        ("lookup", "view_productcategory"),
    ],
}


def ensure_registry_groups(group_model=None, permission_model=None):
    """Create or update the two groups with their permissions; returns them by name.

    Takes the model classes so that a data migration can pass its historical models.
    Permissions that do not exist (yet) are skipped.
    """
    if group_model is None or permission_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    groups = {}
    for name, wanted in GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        permissions = [
            permission
            for app_label, codename in wanted
            for permission in permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
        ]
        group.permissions.add(*permissions)
        groups[name] = group
    return groups


def is_registry_editor(user):
    """Superusers and members of "Registry editors" see every body's records."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_registry_editor", None)
    if cached is None:
        cached = user._registry_editor = user.groups.filter(name=REGISTRY_EDITORS).exists()
    return cached


def staff_body_id(user):
    """The id of the certification body ``user`` works for, or None."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_staff_body_id", False)
    if cached is False:
        from lookup.models import BodyStaff

        cached = user._staff_body_id = BodyStaff.objects.filter(user=user).values_list("body_id", flat=True).first()
    return cached


def restricted_body_id(user):
    """The id of the body a user is confined to, or None for editors, who are not.

    Everyone else is confined to their own body; a user with no body at all gets
    :data:`NO_BODY`, which matches nothing.
    """
    if is_registry_editor(user):
        return None
    body_id = staff_body_id(user)
    return NO_BODY if body_id is None else body_id


class BodyScopedPolicy(ModelPermissionPolicy):
    """Django model permissions, narrowed for body staff to the rows of their body.

    ``body_path`` is the lookup from the model to the body's id
    (``"body_id"`` for certificates, ``"certificate__body_id"`` for trace codes).
    ``allowed_actions`` caps what anyone may do through the admin (trace codes are
    issued, never typed in).
    """

    def __init__(self, model, body_path="body_id", allowed_actions=None):
        super().__init__(model)
        self.body_path = body_path
        self.allowed_actions = allowed_actions
        self._body_of = attrgetter(body_path.replace("__", "."))

    def user_has_permission(self, user, action):
        if self.allowed_actions is not None and action not in self.allowed_actions:
            return False
        return super().user_has_permission(user, action)

    def in_scope(self, user, instance):
        """Whether ``instance`` belongs to a body ``user`` may reach."""
        body_id = restricted_body_id(user)
        return body_id is None or self._body_of(instance) == body_id

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope_queryset(user, super().instances_user_has_any_permission_for(user, actions))

    def scope_queryset(self, user, queryset):
        """``queryset`` narrowed to what ``user`` may see."""
        body_id = restricted_body_id(user)
        if body_id is None:
            return queryset
        return queryset.filter(**{self.body_path: body_id})
