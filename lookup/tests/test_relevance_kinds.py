"""Every kind of query a reader types, through ``GET /api/v1/lookup/``, on both
engines: certificates imported in the exchange format, among look-alikes, and the
right one first. benchmarks/relevance.py measures the same kinds at scale."""

import csv
import datetime
import random

import pytest

from django.test import override_settings

from lookup.codes import generate_certificate_number, generate_uscc
from lookup.engines.base import get_engine, reset_engine
from lookup.importer import import_file

URL = "/api/v1/lookup/"
TODAY = datetime.date.today()
VALID = (TODAY - datetime.timedelta(days=200), TODAY + datetime.timedelta(days=900))
PAST = (TODAY - datetime.timedelta(days=1300), TODAY - datetime.timedelta(days=205))

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def lookup_engine(request):
    """Each engine in turn, empty: the embedded one, then Elasticsearch on an osmem
    server of the test's own."""
    if request.param == "embedded":
        overrides = {"LOOKUP_ENGINE": "lookup.engines.embedded.EmbeddedEngine"}
    else:
        overrides = {
            "LOOKUP_ENGINE": "lookup.tests.test_engine_elastic.RefreshingElasticsearchEngine",
            "ELASTICSEARCH_URL": request.getfixturevalue("osmem_url"),
            "ELASTICSEARCH_INDEX_PREFIX": "test",
            "ELASTICSEARCH_COMPATIBILITY_HEADERS": False,
        }
    with override_settings(**overrides):
        reset_engine()
        engine = get_engine()
        engine.clear()
        yield engine
        engine.clear()
        reset_engine()


class Registry:
    """Certificates written to a file in the exchange format and imported."""

    def __init__(self, directory):
        self.directory = directory
        self.rng = random.Random(5)
        self.rows = []
        self.usccs = {}

    def add(self, product_name, *, client, region, category="011", body="001", status="valid", dates=VALID, **extra):
        issued_on, expires_on = dates
        uscc = self.usccs.setdefault(client, generate_uscc(rng=self.rng, region_code=region))
        number = generate_certificate_number(issued_on.year, body, category, rng=self.rng)
        self.rows.append(
            {
                "number": number,
                "status": status,
                "issued_on": issued_on.isoformat(),
                "expires_on": expires_on.isoformat(),
                "product_name": product_name,
                "category": category,
                "body": body,
                "client_name": client,
                "client_uscc": uscc,
                "client_region": region,
                **extra,
            }
        )
        return number

    def publish(self, capture_on_commit):
        """Import the file; the import's commit indexes it, as on the site."""
        columns = list(dict.fromkeys(column for row in self.rows for column in row))
        path = self.directory / "certificates.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            writer.writerows(self.rows)
        with capture_on_commit(execute=True):
            run = import_file(path)
        assert run.outcome == "imported", run.errors


@pytest.fixture
def registry(tmp_path, lookup_engine, django_capture_on_commit_callbacks):
    """Refrigerators, tiles, motors, lamps and purifiers from a handful of companies,
    several sharing a brand, a word or the start of a model number."""
    registry = Registry(tmp_path)
    haichuan, mingyuan = "青岛海川建材股份有限公司", "广州明远照明有限公司"
    registry.fridge = registry.add(
        "海川变频节能家用电冰箱",
        product_name_en="Haichuan inverter household refrigerator",
        brand="海川",
        models="BCD-470W;BCD-520WP",
        client=haichuan,
        client_name_en="Qingdao Haichuan Building Materials Co., Ltd.",
        region="370200",
    )
    registry.old_fridge = registry.add(
        "海川双门家用电冰箱", brand="海川", models="BCD-470WK", client=haichuan, region="370200", dates=PAST
    )
    registry.other_fridge = registry.add(
        "青禾风冷无霜电冰箱",
        product_name_en="Qinghe frost-free refrigerators",
        brand="青禾",
        models="BCD-606W",
        client="南京青禾家电股份有限公司",
        region="320100",
    )
    registry.tiles = registry.add(
        "海川抛釉陶瓷砖",
        product_name_en="Haichuan glazed porcelain tiles",
        brand="海川",
        models="HC-TP8080",
        client=haichuan,
        region="370200",
        category="107",
        body="005",
    )
    registry.motor = registry.add(
        "鼎力高效三相异步电动机",
        brand="鼎力",
        models="YE4-160M-4",
        client="德州鼎力电机有限公司",
        region="371400",
        category="082",
    )
    for model in ("YE4-160M-2", "YE3-160M-4", "YE4-160L-4"):
        registry.add(
            "联森超高效率三相异步电动机",
            brand="联森",
            models=model,
            client="茂名联森电气有限公司",
            region="440900",
            category="082",
        )
    registry.lamp = registry.add(
        "明远节能荧光灯",
        product_name_en="Mingyuan energy-saving fluorescent lamps",
        brand="明远",
        models="MY-36RR",
        client=mingyuan,
        region="440100",
        category="051",
        status="suspended",
    )
    registry.purifier = registry.add(
        "清泉反渗透净水器",
        product_name_en="Qingquan reverse osmosis water purifier",
        brand="清泉",
        models="QQ-RO-400G",
        client="杭州清泉净水设备有限公司",
        region="330100",
        category="093",
        body="002",
    )
    registry.film = registry.add(
        "宏峰食品级可降解聚乙烯薄膜",
        product_name_en="Hongfeng food-grade biodegradable polyethylene film",
        brand="宏峰",
        models="HF-PE3914",
        client="珠海宏峰塑业有限公司",
        region="440400",
        category="034",
        body="003",
    )
    registry.publish(django_capture_on_commit_callbacks)
    assert lookup_engine.count() == len(registry.rows)
    return registry


def numbers(client, q="", **filters):
    response = client.get(URL, {"q": q, "lang": "en", **filters})
    assert response.status_code == 200, response.content
    return [result["number"] for result in response.json()["results"]]


def test_codes_typed_loosely_answer_their_record_first(client, registry):
    fridge = registry.fridge
    full_width = fridge.translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})
    assert numbers(client, f"{fridge[:5].lower()} {fridge[5:11]}-{fridge[11:]}") == [fridge]
    assert numbers(client, full_width) == [fridge]
    uscc = registry.usccs["青岛海川建材股份有限公司"]
    assert set(numbers(client, f"{uscc[:9].lower()} {uscc[9:]}")) == {
        registry.fridge,
        registry.old_fridge,
        registry.tiles,
    }


def test_two_chinese_characters_find_the_names_they_are_inside(client, registry):
    assert set(numbers(client, "冰箱")) == {registry.fridge, registry.old_fridge, registry.other_fridge}
    assert numbers(client, "净水") == [registry.purifier]


def test_distinctive_part_of_a_company_name_finds_its_certificates(client, registry):
    assert set(numbers(client, "海川建材")) == {registry.fridge, registry.old_fridge, registry.tiles}
    assert numbers(client, "明远照明", status="suspended") == [registry.lamp]


def test_model_numbers_match_whatever_the_case_and_separators(client, registry):
    for typed in ("bcd470w", "BCD 470W", "bcd-470w"):
        assert numbers(client, typed)[0] == registry.fridge, typed
    assert numbers(client, "qqro400g") == [registry.purifier]


def test_model_number_typed_in_pieces_puts_that_model_first(client, registry):
    for typed in ("ye4 160m 4", "YE4160M4", "ye4-160m-4"):
        assert numbers(client, typed)[0] == registry.motor, typed


def test_model_number_typed_with_its_parts_apart(client, registry):
    assert numbers(client, "hf pe 3914") == [registry.film]
    assert numbers(client, "HF PE3914") == [registry.film]


def test_english_names_match_singular_and_plural(client, registry):
    assert numbers(client, "lamp", status="suspended") == [registry.lamp]
    assert numbers(client, "purifiers") == [registry.purifier]
    assert set(numbers(client, "refrigerators")) >= {registry.fridge, registry.other_fridge}


def test_brand_and_product_narrow_each_other(client, registry):
    assert set(numbers(client, "海川 冰箱")) == {registry.fridge, registry.old_fridge}
    assert set(numbers(client, "海川冰箱")) == {registry.fridge, registry.old_fridge}
    assert numbers(client, "海川 瓷砖") == [registry.tiles]


def test_filters_narrow_by_category_group_status_body_and_region(client, registry):
    assert numbers(client, "海川", category="107") == [registry.tiles]
    assert numbers(client, "海川", scenario="10") == [registry.tiles]
    assert numbers(client, "", status="suspended") == [registry.lamp]
    assert numbers(client, "", body="002") == [registry.purifier]
    assert set(numbers(client, "冰箱", region="370000")) == {registry.fridge, registry.old_fridge}
    assert numbers(client, "冰箱", region="320100") == [registry.other_fridge]


def test_valid_certificates_come_first(client, registry):
    results = client.get(URL, {"q": "海川", "lang": "en"}).json()["results"]
    statuses = [result["status"] for result in results]
    assert statuses == sorted(statuses, key=lambda status: status != "valid")
    assert statuses[-1] == "expired"
    assert results[-1]["number"] == registry.old_fridge


def test_english_typing_mistakes_are_forgiven(client, registry):
    assert registry.fridge in numbers(client, "refrigirator")
    assert numbers(client, "purifer") == [registry.purifier]


def test_chinese_names_are_found_by_their_pinyin(client, registry):
    assert set(numbers(client, "haichuan")) >= {registry.fridge, registry.tiles}
    assert set(numbers(client, "bingxiang")) == {registry.fridge, registry.old_fridge, registry.other_fridge}
    assert numbers(client, "jingshuiqi") == [registry.purifier]


def test_long_english_words_forgive_two_mistakes(client, registry):
    assert numbers(client, "biodegredble") == [registry.film]
    assert numbers(client, "polyethylen flim") == [registry.film]


def test_pinyin_typed_syllable_by_syllable(client, registry):
    assert set(numbers(client, "hai chuan")) >= {registry.fridge, registry.tiles}
    assert set(numbers(client, "Hai Chuan Bing Xiang")) == {registry.fridge, registry.old_fridge}
    assert numbers(client, "jing shui qi") == [registry.purifier]
