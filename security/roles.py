"""The roles of the admin, as Django groups with exact permissions.

=============================  ==================================================
Role (group)                   May
=============================  ==================================================
Site editors                   edit, publish, lock and unlock pages; add and edit
                               images and documents
Market supervision editors     keep spot checks and the blacklist; see the bodies,
                               categories and organisations they refer to; follow
                               up reports from the public
Registry editors               every registry record (``lookup.permissions``)
Certification body staff       their own body's certificates (``lookup.permissions``)
Auditors                       read the audit log, nothing else
Administrators                 manage users and groups; follow up reports from
                               the public
=============================  ==================================================

Administrators do not read the audit log and auditors change nothing: the people
who run accounts and the people who check them are kept apart. The groups are made
by this app's data migration; :func:`ensure_roles` makes them again, e.g. after a
group was edited by hand.
"""

from lookup.permissions import BODY_STAFF, REGISTRY_EDITORS, ensure_registry_groups

SITE_EDITORS = "Site editors"
SUPERVISION_EDITORS = "Market supervision editors"
AUDITORS = "Auditors"
ADMINISTRATORS = "Administrators"
ROLES = [SITE_EDITORS, SUPERVISION_EDITORS, REGISTRY_EDITORS, BODY_STAFF, AUDITORS, ADMINISTRATORS]

ACCESS_ADMIN = ("wagtailadmin", "access_admin")


def _crud(app_label, model, actions=("add", "change", "delete", "view")):
    return [(app_label, f"{action}_{model}") for action in actions]


# Reports from the public about certificates (``lookup.ConcernReport``): read and followed up.
REPORTS_FROM_THE_PUBLIC = [("lookup", "view_concernreport"), ("lookup", "change_concernreport")]

GROUP_PERMISSIONS = {
    SITE_EDITORS: [ACCESS_ADMIN],
    SUPERVISION_EDITORS: [
        ACCESS_ADMIN,
        *_crud("lookup", "spotcheck"),
        *_crud("lookup", "blacklistentry"),
        ("lookup", "view_organisation"),
        ("lookup", "add_organisation"),
        ("lookup", "view_productcategory"),
        ("lookup", "view_certificationbody"),
        *REPORTS_FROM_THE_PUBLIC,
    ],
    AUDITORS: [ACCESS_ADMIN, ("security", "view_auditevent")],
    ADMINISTRATORS: [ACCESS_ADMIN, *_crud("auth", "user"), *_crud("auth", "group"), *REPORTS_FROM_THE_PUBLIC],
}
# Page permissions of site editors, on the root of the page tree.
SITE_EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# Image and document permissions of site editors, on the root collection.
SITE_EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _permissions(permission_model, wanted):
    return [
        permission
        for app_label, codename in wanted
        for permission in permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
    ]


def ensure_roles(apps=None):
    """Create or complete every role's group; returns the groups by name.

    ``apps`` is a migration's app registry (historical models), or None for the
    current models. Permissions that do not exist are skipped; permissions a group
    holds beyond its role are left alone.
    """
    if apps is None:
        from django.apps import apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    page_model = apps.get_model("wagtailcore", "Page")
    collection_model = apps.get_model("wagtailcore", "Collection")
    page_permission_model = apps.get_model("wagtailcore", "GroupPagePermission")
    collection_permission_model = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = ensure_registry_groups(group_model, permission_model)
    for name, wanted in GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(permission_model, wanted))
        groups[name] = group

    site_editors = groups[SITE_EDITORS]
    root_page = page_model.objects.filter(depth=1).first()
    if root_page is not None:
        for permission in _permissions(
            permission_model, [("wagtailcore", codename) for codename in SITE_EDITOR_PAGE_PERMISSIONS]
        ):
            page_permission_model.objects.get_or_create(group=site_editors, page=root_page, permission=permission)
    root_collection = collection_model.objects.filter(depth=1).first()
    if root_collection is not None:
        for permission in _permissions(permission_model, SITE_EDITOR_COLLECTION_PERMISSIONS):
            collection_permission_model.objects.get_or_create(
                group=site_editors, collection=root_collection, permission=permission
            )
    return groups
