"""Synthetic, realistic certificates for demos and benchmarks.

:func:`generate_certificates` adds certificates for every product category in the
database, issued by bodies approved for it, held by organisations with plausible
Chinese and English names, valid USCCs and addresses in the regions of
``lookup/data/regions.csv``; every status appears, with reasons and status history,
and each certificate gets its trace codes. One ``random.Random(seed)`` drives every
choice, so the same seed on the same database gives the same data.

Work goes in batches: organisations first (a bounded pool that certificates share,
a few companies holding many certificates), then certificates with their status
changes and trace codes, inserted with one ``executemany`` per table and one
transaction per batch. USCCs and certificate numbers are checked against the
database and the batch before insert; trace codes (a space of 10^12 per prefix) go
in with ``ON CONFLICT DO NOTHING`` and those left out are counted and drawn again. A
colliding code is always drawn again, so a second run adds and never collides.
Memory stays flat whatever the count.

Bulk inserts send no ``post_save``: rebuild the lookup index afterwards
(``rebuild_lookup_index``).
"""

import itertools
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from . import codes
from .models import Certificate, CertificationBody, Organisation, ProductCategory, Status, StatusChange, TraceCode
from .regions import PREFECTURE, divisions
from .synthetic_names import (
    BRAND_SYLLABLES,
    COMPANY_FORM_WEIGHTS,
    COMPANY_FORMS,
    EXPIRED_MARKED_SHARE,
    FOREIGN_MAKERS,
    GENERIC_INDUSTRIES,
    GREEN_MARK,
    GREEN_SCHEME,
    LEGACY_SCHEME_SHARE,
    MODES,
    MUNICIPALITIES,
    PROVINCE_ONLY,
    PROVINCE_WEIGHTS,
    REASONS,
    ROAD_KINDS,
    SCHEMES,
    STATUS_WEIGHTS,
    STATUSES,
    SUSPENDED_FIRST_SHARE,
    VOCABULARY,
    ZONES,
    Vocabulary,
    pick,
)

BATCH_SIZE = 5_000
LOOKUP_CHUNK = 5_000
ISSUE_WINDOW_DAYS = 6 * 365
VALIDITY_YEARS = 3
MAX_ORGANISATIONS = 50_000
CERTIFICATES_PER_ORGANISATION = 6
FOREIGN_SHARE = 0.03
OTHER_MANUFACTURER_SHARE = 0.12
OTHER_PRODUCER_SHARE = 0.05
MODELS_PER_CERTIFICATE = (1, 1, 1, 2, 2, 3, 4)


class GenerationError(Exception):
    """The database lacks what certificates need (categories, approved bodies)."""


@dataclass
class GenerationResult:
    certificates: int = 0
    trace_codes: int = 0
    status_changes: int = 0
    organisations: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Maker:
    """An organisation already saved, with what certificates borrow from it."""

    pk: int
    brand_zh: str
    brand_en: str
    initials: str


@dataclass
class _Plan:
    """What the database offers: categories, the bodies approved for each, and where
    organisations are."""

    categories: list
    bodies: dict
    places: list
    place_weights: list
    makers: dict = field(default_factory=dict)
    maker_weights: dict = field(default_factory=dict)
    foreign_makers: list = field(default_factory=list)
    body_pks: dict = field(default_factory=dict)


def _vocabulary(category):
    known = VOCABULARY.get(category.code)
    if known is not None:
        return known
    return Vocabulary(products=((category.name_zh, category.name_en.lower()),), industries=GENERIC_INDUSTRIES)


def _load_plan():
    categories = list(ProductCategory.objects.select_related("group").order_by("code"))
    if not categories:
        raise GenerationError("There are no product categories: run the migrations first.")
    approvals = CertificationBody.approved_categories.through.objects.filter(
        certificationbody__status=CertificationBody.Status.ACTIVE
    ).values_list("productcategory__code", "certificationbody__code")
    bodies = defaultdict(list)
    for category_code, body_code in approvals.order_by("certificationbody__code"):
        bodies[category_code].append(body_code)
    categories = [category for category in categories if bodies[category.code]]
    if not categories:
        raise GenerationError("No active certification body is approved for any product category.")
    places = [
        division
        for division in divisions().values()
        if (division.level == PREFECTURE or division.code in MUNICIPALITIES)
        and not division.code.startswith(PROVINCE_ONLY)
    ]
    weights = list(itertools.accumulate(PROVINCE_WEIGHTS.get(place.code[:2], 1) for place in places))
    return _Plan(
        categories=categories,
        bodies=dict(bodies),
        places=places,
        place_weights=weights,
        body_pks=dict(CertificationBody.objects.values_list("code", "pk")),
    )


def _syllables_to_english(syllables):
    """Pinyin syllables joined as one word, with an apostrophe before a syllable
    that starts with a vowel (Xi'an), capitalised."""
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if syllable[0] in "aoe" else "") + syllable
    return word.capitalize()


def _brand(rng):
    first, second = pick(rng, BRAND_SYLLABLES), pick(rng, BRAND_SYLLABLES)
    while second[0] == first[0]:
        second = pick(rng, BRAND_SYLLABLES)
    return first[0] + second[0], _syllables_to_english([first[1], second[1]]), (first[1][0] + second[1][0]).upper()


PEOPLES_ZH = (
    "朝鲜",
    "土家",
    "苗",
    "藏",
    "彝",
    "布依",
    "哈尼",
    "壮",
    "傣",
    "白",
    "傈僳",
    "回",
    "蒙古",
    "柯尔克孜",
    "哈萨克",
)
PEOPLES_EN = {"Korean", "Tujia", "Tibetan", "Yi", "Buyei", "Miao", "Hani", "Zhuang", "Dai", "Bai", "Lisu", "Hui"}
PEOPLES_EN |= {"Mongol", "Kirghiz", "Kazakh"}


def _short_name_zh(division):
    """The place name as it starts a company name: 青岛 for 青岛市, 延边 for
    延边朝鲜族自治州."""
    name = division.name_zh
    if name.endswith("自治州"):
        positions = [position for position in (name.find(people, 2) for people in PEOPLES_ZH) if position > 0]
        return name[: min(positions)] if positions else name[: -len("自治州")]
    for ending in ("地区", "市", "盟"):
        if name.endswith(ending):
            return name[: -len(ending)]
    return name


def _short_name_en(division):
    words = []
    for word in division.name_en.split():
        if word in PEOPLES_EN or word in {"Prefecture", "League", "Autonomous"}:
            break
        words.append(word)
    return " ".join(words)


def _address(rng, place):
    province = divisions().get(place.parent_code)
    zone_zh, zone_en = pick(rng, ZONES)
    road_zh, road_en, _initials = _brand(rng)
    kind_zh, kind_en = pick(rng, ROAD_KINDS)
    number = rng.randint(1, 999)
    city_zh = place.name_zh if province is None else province.name_zh + place.name_zh
    city_en = place.name_en if province is None else f"{_short_name_en(place)}, {province.name_en}"
    address_zh = f"{city_zh}{zone_zh}{road_zh}{kind_zh}{number}号"
    address_en = ", ".join(part for part in (f"{number} {road_en} {kind_en}", zone_en, city_en) if part)
    return address_zh, address_en


def _jitter(rng, value, spread=0.12):
    return Decimal(f"{float(value) + rng.uniform(-spread, spread):.6f}")


def _chinese_organisation(rng, place, industries, used_names):
    while True:
        brand_zh, brand_en, initials = _brand(rng)
        industry_zh, industry_en = pick(rng, industries)
        form_zh, form_en = rng.choices(COMPANY_FORMS, cum_weights=COMPANY_FORM_WEIGHTS)[0]
        name_zh = f"{_short_name_zh(place)}{brand_zh}{industry_zh}{form_zh}"
        if name_zh not in used_names:
            used_names.add(name_zh)
            break
    address_zh, address_en = _address(rng, place)
    organisation = Organisation(
        name_zh=name_zh,
        name_en=f"{_short_name_en(place)} {brand_en} {industry_en} {form_en}",
        address=address_zh,
        address_en=address_en,
        region_code=place.code,
        country="CN",
        uscc=codes.generate_uscc(rng=rng, region_code=place.code),
        latitude=_jitter(rng, place.latitude),
        longitude=_jitter(rng, place.longitude),
    )
    return organisation, (brand_zh, brand_en, initials)


def _registration_number(rng, country):
    digits = "".join(str(rng.randrange(10)) for _digit in range(13))
    return {
        "DE": f"HRB {digits[:6]}",
        "JP": digits,
        "KR": f"{digits[:3]}-{digits[3:5]}-{digits[5:10]}",
        "IT": f"MI-{digits[:7]}",
        "US": f"{digits[:2]}-{digits[2:9]}",
    }[country]


def _foreign_organisation(rng, used_names):
    country = pick(rng, sorted(FOREIGN_MAKERS))
    (country_zh, country_en), cities, first_words, second_words, form = FOREIGN_MAKERS[country]
    city_zh, city_en, latitude, longitude = pick(rng, cities)
    first, second = pick(rng, first_words), pick(rng, second_words)
    name = f"{first} {second} {form}"
    if name in used_names:
        name = f"{first} {second} {city_en} {form}"
    used_names.add(name)
    street = rng.randint(1, 200)
    organisation = Organisation(
        name_zh=name,
        name_en=name,
        address=f"{country_zh}{city_zh}",
        address_en=f"{street} Industrial Street, {city_en}, {country_en}",
        region_code="",
        country=country,
        uscc=None,
        registration_number=_registration_number(rng, country),
        latitude=_jitter(rng, latitude, 0.05),
        longitude=_jitter(rng, longitude, 0.05),
    )
    brand = name.split()[0]
    return organisation, (brand, brand, brand[:2].upper())


def _existing(model, field_name, values):
    found = set()
    values = list(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(model.objects.filter(**{f"{field_name}__in": chunk}).values_list(field_name, flat=True))
    return found


def _make_unique(model, field_name, values, regenerate):
    """Replace, in place, every value that repeats one before it or is already in
    the table, by ``regenerate(index)``, until none does."""
    kept = set()
    pending = range(len(values))
    while pending:
        taken = _existing(model, field_name, {values[index] for index in pending})
        retry = []
        for index in pending:
            value = values[index]
            if value in taken or value in kept:
                retry.append(index)
            else:
                kept.add(value)
        for index in retry:
            values[index] = regenerate(index)
        pending = retry


def _create_organisations(rng, plan, count):
    """Save a pool of organisations for ``count`` certificates: Chinese makers by
    product category (a few big ones hold many certificates) and a few foreign ones."""
    pool_size = max(len(plan.categories) * 2, min(MAX_ORGANISATIONS, count // CERTIFICATES_PER_ORGANISATION))
    foreign_size = max(3, min(60, count // 300))
    used_names = set(Organisation.objects.filter(country="CN").values_list("name_zh", flat=True).iterator())
    created = 0
    for category in plan.categories:
        share = max(2, pool_size // len(plan.categories))
        industries = _vocabulary(category).industries or GENERIC_INDUSTRIES
        drafts = []
        for _number in range(share):
            place = rng.choices(plan.places, cum_weights=plan.place_weights)[0]
            drafts.append(_chinese_organisation(rng, place, industries, used_names))
        organisations = [organisation for organisation, _brand_names in drafts]
        usccs = [organisation.uscc for organisation in organisations]
        _make_unique(
            Organisation,
            "uscc",
            usccs,
            lambda index, organisations=organisations: codes.generate_uscc(
                rng=rng, region_code=organisations[index].region_code
            ),
        )
        for organisation, uscc in zip(organisations, usccs, strict=True):
            organisation.uscc = uscc
        Organisation.objects.bulk_create(organisations, batch_size=1000)
        plan.makers[category.code] = [_Maker(organisation.pk, *brand_names) for organisation, brand_names in drafts]
        # Zipf-like: the n-th maker of a category holds about 1/n as many certificates as the first.
        plan.maker_weights[category.code] = list(itertools.accumulate(1 / (rank + 1) for rank in range(share)))
        created += share
    foreign = [_foreign_organisation(rng, used_names) for _number in range(foreign_size)]
    Organisation.objects.bulk_create([organisation for organisation, _brand_names in foreign])
    plan.foreign_makers = [_Maker(organisation.pk, *brand_names) for organisation, brand_names in foreign]
    return created + foreign_size


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def _status_history(rng, issued_on, expires_on, today):
    """The stored status, when and why it last changed, and the changes that led
    there as (from, to, on, reason)."""
    status = rng.choices(STATUSES, cum_weights=STATUS_WEIGHTS)[0]
    last_day = min(today, expires_on)
    if status == Status.VALID:
        if expires_on >= today or rng.random() >= EXPIRED_MARKED_SHARE:
            return status, None, "", []
        changed_on = expires_on + timedelta(days=1)
        reason = pick(rng, REASONS[Status.EXPIRED])
        return Status.EXPIRED, changed_on, reason, [(Status.VALID, Status.EXPIRED, changed_on, reason)]
    earliest = issued_on + timedelta(days=30)
    if last_day <= earliest:
        return Status.VALID, None, "", []
    changed_on = earliest + timedelta(days=rng.randrange((last_day - earliest).days + 1))
    reason = pick(rng, REASONS[status])
    changes = []
    previous = Status.VALID
    if status != Status.SUSPENDED and rng.random() < SUSPENDED_FIRST_SHARE and (changed_on - earliest).days > 60:
        suspended_on = changed_on - timedelta(days=rng.randint(30, 60))
        changes.append((Status.VALID, Status.SUSPENDED, suspended_on, pick(rng, REASONS[Status.SUSPENDED])))
        previous = Status.SUSPENDED
    changes.append((previous, status, changed_on, reason))
    return status, changed_on, reason, changes


def _product(rng, vocabulary, maker):
    product_zh, product_en = pick(rng, vocabulary.products)
    features = rng.sample(vocabulary.features, k=min(len(vocabulary.features), rng.randint(0, 2)))
    name_zh = maker.brand_zh + "".join(zh for zh, _en in features) + product_zh
    name_en = " ".join([maker.brand_en, *(en for _zh, en in features), product_en])
    product_models = []
    for _model in range(pick(rng, MODELS_PER_CERTIFICATE)):
        model = vocabulary.model(rng, maker.initials)
        if model not in product_models:
            product_models.append(model)
    return name_zh, name_en, product_models


def _scheme(rng, category):
    if rng.random() >= LEGACY_SCHEME_SHARE:
        return GREEN_SCHEME, GREEN_MARK
    group = category.group.number
    if group == "02":
        scheme = "organic"
    elif group == "09":
        scheme = "water saving"
    elif group in {"01", "05", "08", "12"}:
        scheme = pick(rng, ("energy saving", "low carbon"))
    else:
        scheme = pick(rng, ("environmental labelling", "recycling"))
    return scheme, SCHEMES[scheme]


def _certificate(rng, plan, today):
    category = pick(rng, plan.categories)
    vocabulary = _vocabulary(category)
    body_code = pick(rng, plan.bodies[category.code])
    makers = plan.makers[category.code]
    client = rng.choices(makers, cum_weights=plan.maker_weights[category.code])[0]
    producer = manufacturer = client
    draw = rng.random()
    if draw < FOREIGN_SHARE and plan.foreign_makers:
        manufacturer = pick(rng, plan.foreign_makers)
    elif draw < FOREIGN_SHARE + OTHER_MANUFACTURER_SHARE:
        manufacturer = pick(rng, makers)
        if rng.random() < OTHER_PRODUCER_SHARE / OTHER_MANUFACTURER_SHARE:
            producer = manufacturer
    issued_on = today - timedelta(days=rng.randrange(ISSUE_WINDOW_DAYS))
    issued_on = max(issued_on, date(codes.FIRST_YEAR, 1, 1))
    expires_on = _add_years(issued_on, VALIDITY_YEARS) - timedelta(days=1)
    status, changed_on, reason, changes = _status_history(rng, issued_on, expires_on, today)
    product_name, product_name_en, product_models = _product(rng, vocabulary, client)
    scheme, mark = _scheme(rng, category)
    standards = list(vocabulary.standards)
    if category.standard and category.standard not in standards:
        standards.insert(0, category.standard)
    saving = None
    if vocabulary.saving:
        saving = Decimal(rng.randint(*vocabulary.saving))
    certificate = {
        "number": codes.generate_certificate_number(issued_on.year, body_code, category.code, rng=rng),
        "status": status,
        "status_changed_on": changed_on,
        "status_reason": reason,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "scheme": scheme,
        "rules": [f"CNCA-CGP-{category.group.number}:{pick(rng, ('2019', '2021'))}"],
        "standards": standards,
        "mode": MODES.get(category.group.number, MODES["default"]),
        "product_name": product_name,
        "product_name_en": product_name_en,
        "product_models": product_models,
        "brand": client.brand_zh if rng.random() < 0.8 else client.brand_en.upper(),
        "category": category.pk,
        "body": plan.body_pks[body_code],
        "client": client.pk,
        "producer": producer.pk,
        "manufacturer": manufacturer.pk,
        "mark": mark,
        "accreditation_mark": "CNAS" if rng.random() < 0.85 else "",
        "energy_saving_kwh_per_year": saving,
    }
    return certificate, changes


def generate_certificates(count, *, trace_codes=0, seed=0, batch_size=BATCH_SIZE, today=None, progress=None):
    """Add ``count`` synthetic certificates with ``trace_codes`` trace codes each.

    ``progress(done, count)`` is called after each batch. Returns a
    :class:`GenerationResult`. Raises :class:`GenerationError` when the database has
    no category with an approved, active body, and ``ValueError`` for a negative
    count or a batch size below 1.
    """
    if count < 0 or trace_codes < 0:
        raise ValueError("count and trace codes cannot be negative")
    if batch_size < 1:
        raise ValueError("the batch size is at least 1")
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
    result = GenerationResult()
    if count == 0:
        return result
    plan = _load_plan()
    with transaction.atomic():
        result.organisations = _create_organisations(rng, plan, count)
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        _add_batch(rng, plan, size, trace_codes, today, result)
        done += size
        if progress is not None:
            progress(done, count)
    result.seconds = time.perf_counter() - started
    return result


def _insert_rows(model, field_names, rows, *, skip_conflicts=False):
    """Insert rows of plain values with one ``executemany`` and return how many went
    in. Building a model instance for each row would cost more than the insert.
    With ``skip_conflicts`` a row that breaks a unique constraint is left out
    (``ON CONFLICT DO NOTHING``, on SQLite and PostgreSQL alike)."""
    fields = [model._meta.get_field(name) for name in field_names]
    adapters = [_adapter(model_field) for model_field in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608 - names from the model, values as parameters
        quote(model._meta.db_table),
        ", ".join(quote(model_field.column) for model_field in fields),
        ", ".join(["%s"] * len(fields)),
        " ON CONFLICT DO NOTHING" if skip_conflicts else "",
    )
    params = [[adapt(value) for adapt, value in zip(adapters, row, strict=True)] for row in rows]
    if not params:
        return 0
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return cursor.rowcount


PLAIN_FIELD_TYPES = {"CharField", "TextField", "ForeignKey", "PositiveIntegerField", "IntegerField", "BigAutoField"}


REPEATED_FIELD_TYPES = {"DateField", "DateTimeField", "DecimalField"}


def _adapter(model_field):
    """How a value of ``model_field`` goes to the database: as it is for text and
    integers, through the field otherwise (JSON, dates and decimals; the last three
    repeat a lot, so each value is adapted once)."""
    kind = model_field.get_internal_type()
    if kind in PLAIN_FIELD_TYPES:
        return _as_is
    if kind not in REPEATED_FIELD_TYPES:
        return lambda value: model_field.get_db_prep_save(value, connection)
    adapted = {}

    def adapt(value):
        try:
            return adapted[value]
        except KeyError:
            adapted[value] = model_field.get_db_prep_save(value, connection)
            return adapted[value]

    return adapt


def _as_is(value):
    return value


def _make_unique_in_batch(traces, rng):
    """Draw again, in place, a trace code that repeats one before it in the batch."""
    seen = set()
    for index, (code, pk, now, scans) in enumerate(traces):
        while code in seen:
            code = codes.generate_trace_code(code[1:5], code[5:8], code[8:11], rng=rng)
        seen.add(code)
        traces[index] = (code, pk, now, scans)


def _add_batch(rng, plan, size, trace_codes, today, result):
    drafts = [_certificate(rng, plan, today) for _number in range(size)]
    certificates = [certificate for certificate, _changes in drafts]
    numbers = [certificate["number"] for certificate in certificates]
    _make_unique(
        Certificate,
        "number",
        numbers,
        lambda index: codes.generate_certificate_number(
            certificates[index]["issued_on"].year, numbers[index][5:8], numbers[index][8:11], rng=rng
        ),
    )
    now = timezone.now()
    for certificate, number in zip(certificates, numbers, strict=True):
        certificate.update(number=number, created_at=now, updated_at=now)
    field_names = list(certificates[0])
    with transaction.atomic():
        _insert_rows(
            Certificate, field_names, ([certificate[name] for name in field_names] for certificate in certificates)
        )
        pks = dict(Certificate.objects.filter(number__in=numbers).values_list("number", "pk"))
        changes = [
            (pks[certificate["number"]], from_status, to_status, changed_on, reason, StatusChange.Source.IMPORT, now)
            for certificate, history in drafts
            for from_status, to_status, changed_on, reason in history
        ]
        _insert_rows(
            StatusChange,
            ("certificate", "from_status", "to_status", "changed_on", "reason", "source", "recorded_at"),
            changes,
        )
        traces = [
            (codes.generate_trace_code(number[1:5], number[5:8], number[8:11], rng=rng), pks[number], now, 0)
            for number in numbers
            for _code in range(trace_codes)
        ]
        _make_unique_in_batch(traces, rng)
        added = 0
        while traces:
            added += _insert_rows(
                TraceCode, ("code", "certificate", "issued_at", "scan_count"), traces, skip_conflicts=True
            )
            if added == size * trace_codes:
                break
            # A code that was already taken: draw those again.
            stored = set(
                TraceCode.objects.filter(code__in=[trace[0] for trace in traces]).values_list("code", "certificate_id")
            )
            traces = [
                (codes.generate_trace_code(code[1:5], code[5:8], code[8:11], rng=rng), pk, now, 0)
                for code, pk, _now, _scans in traces
                if (code, pk) not in stored
            ]
    result.certificates += size
    result.status_changes += len(changes)
    result.trace_codes += added
