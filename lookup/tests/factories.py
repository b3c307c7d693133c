"""Factories for the registry's models, shared by every lookup test.

The reference data migration already holds bodies 001-010 and categories 011-122,
so factory-made bodies and categories use codes from 500 up and are fetched when
they exist. Codes are random but repeatable: they draw on factory_boy's seeded
random generator (``factory.random.reseed_random``).
"""

import datetime
import hashlib

import factory
import factory.random
from factory.django import DjangoModelFactory

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.users.models import UserProfile

from lookup import codes
from lookup.models import (
    ApiToken,
    BlacklistEntry,
    BodyStaff,
    Certificate,
    CertificationBody,
    ImportRun,
    Organisation,
    ProductCategory,
    ProductGroup,
    Region,
    SpotCheck,
    Status,
    StatusChange,
    TraceCode,
)
from lookup.permissions import BODY_STAFF, ensure_registry_groups


def _rng():
    return factory.random.randgen


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.cn")
    password = factory.django.Password("correct horse battery staple")
    is_staff = False
    is_superuser = False

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """``UserFactory(groups=[REGISTRY_EDITORS])`` puts the user in those groups,
        by name or as Group objects; the registry's groups get their permissions,
        other named groups are created empty when missing."""
        if not create or not extracted:
            return
        registry_groups = ensure_registry_groups()
        for group in extracted:
            if isinstance(group, str):
                group = registry_groups.get(group) or Group.objects.get_or_create(name=group)[0]
            self.groups.add(group)

    @factory.post_generation
    def admin_language(self, create, extracted, **kwargs):
        """The Wagtail admin follows the user's preferred language, and without one the
        request's (Chinese by default). Tests read the admin in English unless they
        pass ``admin_language="zh-hans"``."""
        if not create:
            return
        profile = UserProfile.get_for_user(self)
        profile.preferred_language = extracted or "en"
        profile.save(update_fields=["preferred_language"])


class ProductGroupFactory(DjangoModelFactory):
    number = factory.Sequence(lambda n: f"{50 + n % 50:02d}")
    name_zh = factory.Sequence(lambda n: f"测试产品组{n}")
    name_en = factory.Sequence(lambda n: f"Test product group {n}")

    class Meta:
        model = ProductGroup
        django_get_or_create = ("number",)


class ProductCategoryFactory(DjangoModelFactory):
    code = factory.Sequence(lambda n: f"{500 + n % 500:03d}")
    group = factory.SubFactory(ProductGroupFactory)
    name_zh = factory.Sequence(lambda n: f"测试产品类别{n}")
    name_en = factory.Sequence(lambda n: f"Test product category {n}")

    class Meta:
        model = ProductCategory
        django_get_or_create = ("code",)


class CertificationBodyFactory(DjangoModelFactory):
    code = factory.Sequence(lambda n: f"{500 + n % 500:03d}")
    name_zh = factory.Sequence(lambda n: f"测试认证机构{n}")
    name_en = factory.Sequence(lambda n: f"Test Certification Body {n}")
    approval_number = factory.Sequence(lambda n: f"CNCA-R-2024-{n:03d}")
    status = CertificationBody.Status.ACTIVE

    class Meta:
        model = CertificationBody
        django_get_or_create = ("code",)


class RegionFactory(DjangoModelFactory):
    code = factory.Sequence(lambda n: f"{900000 + n * 100:06d}")
    name_zh = factory.Sequence(lambda n: f"测试地区{n}")
    name_en = factory.Sequence(lambda n: f"Test region {n}")
    level = Region.Level.PROVINCE

    class Meta:
        model = Region
        django_get_or_create = ("code",)


class OrganisationFactory(DjangoModelFactory):
    name_zh = factory.Sequence(lambda n: f"测试绿色科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Test Green Technology Co., Ltd. {n}")
    address = "北京市海淀区中关村大街1号"
    address_en = "1 Zhongguancun Street, Haidian, Beijing"
    region_code = "110000"
    country = "CN"
    uscc = factory.LazyAttribute(lambda organisation: codes.generate_uscc(_rng(), organisation.region_code))

    class Meta:
        model = Organisation

    class Params:
        foreign = factory.Trait(
            country="DE", uscc=None, region_code="", registration_number=factory.Sequence(lambda n: f"HRB {n}")
        )


class CertificateFactory(DjangoModelFactory):
    """A valid certificate issued 100 days ago, for three years."""

    number = factory.LazyAttribute(
        lambda certificate: codes.generate_certificate_number(
            certificate.issued_on.year, certificate.body.code, certificate.category.code, rng=_rng()
        )
    )
    status = Status.VALID
    issued_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=100))
    expires_on = factory.LazyAttribute(lambda certificate: certificate.issued_on + datetime.timedelta(days=3 * 365))
    rules = factory.LazyFunction(lambda: ["CNCA-CGP-01:2019"])
    standards = factory.LazyFunction(lambda: ["GB/T 39761-2021"])
    mode = "型式试验+初始工厂检查+获证后监督"
    product_name = factory.Sequence(lambda n: f"节能家用电冰箱{n}")
    product_name_en = factory.Sequence(lambda n: f"Energy-saving household refrigerator {n}")
    product_models = factory.LazyFunction(lambda: ["BCD-520WP"])
    brand = "青禾"
    category = factory.SubFactory(ProductCategoryFactory)
    body = factory.SubFactory(CertificationBodyFactory)
    client = factory.SubFactory(OrganisationFactory)
    producer = factory.SelfAttribute("client")
    manufacturer = factory.SelfAttribute("client")
    mark = "中国绿色产品"

    class Meta:
        model = Certificate

    class Params:
        expired = factory.Trait(
            issued_on=factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3 * 365 + 30)),
        )


class StatusChangeFactory(DjangoModelFactory):
    certificate = factory.SubFactory(CertificateFactory)
    from_status = ""
    to_status = factory.SelfAttribute("certificate.status")
    changed_on = factory.SelfAttribute("certificate.issued_on")
    source = StatusChange.Source.ADMIN

    class Meta:
        model = StatusChange


class TraceCodeFactory(DjangoModelFactory):
    certificate = factory.SubFactory(CertificateFactory)
    code = factory.LazyAttribute(
        lambda trace: (
            trace.certificate.number[: codes.PREFIX_LENGTH]
            + "".join(_rng().choice("0123456789") for _position in range(12))
        )
    )

    class Meta:
        model = TraceCode


class BodyStaffFactory(DjangoModelFactory):
    """A certification body's staff member, in the "Certification body staff" group,
    so they can sign in to the admin."""

    user = factory.SubFactory(UserFactory, is_staff=True)
    body = factory.SubFactory(CertificationBodyFactory)

    class Meta:
        model = BodyStaff
        skip_postgeneration_save = True

    @factory.post_generation
    def in_staff_group(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.user.groups.add(ensure_registry_groups()[BODY_STAFF])


class ApiTokenFactory(DjangoModelFactory):
    """Pass ``key="..."`` to choose the secret; the factory stores only its hash."""

    body = factory.SubFactory(CertificationBodyFactory)
    name = factory.Sequence(lambda n: f"Reporting system {n}")
    key = factory.Sequence(lambda n: f"test-api-key-{n:08d}")
    key_prefix = factory.LazyAttribute(lambda token: token.key[:8])
    key_hash = factory.LazyAttribute(lambda token: hashlib.sha256(token.key.encode()).hexdigest())

    class Meta:
        model = ApiToken
        exclude = ("key",)


class ImportRunFactory(DjangoModelFactory):
    file_name = factory.Sequence(lambda n: f"certificates-{n}.csv")
    file_sha256 = factory.LazyAttribute(lambda run: hashlib.sha256(run.file_name.encode()).hexdigest())
    source = ImportRun.Source.COMMAND
    outcome = ImportRun.Outcome.IMPORTED
    rows_total = 3
    rows_created = 3

    class Meta:
        model = ImportRun


class SpotCheckFactory(DjangoModelFactory):
    year = factory.LazyFunction(lambda: datetime.date.today().year)
    task_name = factory.Sequence(lambda n: f"绿色产品认证有效性抽查 第{n}批")
    region_code = "110000"
    category = factory.SubFactory(ProductCategoryFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    organisation_name = factory.LazyAttribute(lambda check: check.organisation.name_zh)
    product = "家用电冰箱"
    result = SpotCheck.Result.PASS
    published_on = factory.LazyFunction(datetime.date.today)

    class Meta:
        model = SpotCheck


class BlacklistEntryFactory(DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    party_name = factory.LazyAttribute(lambda entry: entry.organisation.name_zh)
    reason = "伪造认证证书"
    decided_on = factory.LazyFunction(datetime.date.today)
    decided_by = "国家市场监督管理总局"

    class Meta:
        model = BlacklistEntry
