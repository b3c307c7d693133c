import pytest

from django.utils import translation

from lookup.models import Region
from lookup.regions import load_regions, region_name, resolve_region


@pytest.mark.django_db
def test_migration_loads_the_34_provincial_level_divisions():
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 34


@pytest.mark.django_db
def test_migration_loads_every_prefecture_level_division():
    assert Region.objects.filter(level=Region.Level.PREFECTURE).count() == 333


@pytest.mark.django_db
def test_every_prefecture_belongs_to_the_province_its_code_names():
    prefectures = Region.objects.filter(level=Region.Level.PREFECTURE).select_related("parent")
    assert all(region.parent is not None and region.parent.code == region.code[:2] + "0000" for region in prefectures)


@pytest.mark.django_db
def test_every_division_has_a_centre_inside_china():
    regions = Region.objects.all()
    assert all(15 < region.latitude < 54 and 73 < region.longitude < 136 for region in regions)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name_zh", "name_en"),
    [
        ("110000", "北京市", "Beijing"),
        ("150000", "内蒙古自治区", "Inner Mongolia Autonomous Region"),
        ("370200", "青岛市", "Qingdao"),
        ("320100", "南京市", "Nanjing"),
        ("440300", "深圳市", "Shenzhen"),
        ("222400", "延边朝鲜族自治州", "Yanbian Korean Autonomous Prefecture"),
        ("810000", "香港特别行政区", "Hong Kong Special Administrative Region"),
    ],
)
def test_known_codes_carry_their_official_names(code, name_zh, name_en):
    region = Region.objects.get(code=code)
    assert (region.name_zh, region.name_en) == (name_zh, name_en)


@pytest.mark.django_db
def test_taiwan_hong_kong_and_macao_appear_at_provincial_level_only():
    assert not Region.objects.filter(code__regex=r"^(71|81|82)").exclude(code__endswith="0000").exists()


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    before = list(Region.objects.values_list("pk", "code", "name_en", "parent_id").order_by("code"))
    load_regions(Region)
    after = list(Region.objects.values_list("pk", "code", "name_en", "parent_id").order_by("code"))
    assert after == before


@pytest.mark.django_db
def test_loading_restores_an_edited_name():
    Region.objects.filter(code="370200").update(name_en="Tsingtao")
    load_regions(Region)
    assert Region.objects.get(code="370200").name_en == "Qingdao"


def test_county_level_code_resolves_to_its_prefecture_and_province():
    resolved = resolve_region("320115")
    assert (resolved.prefecture.code, resolved.province.code) == ("320100", "320000")


def test_district_of_a_municipality_resolves_to_the_municipality():
    resolved = resolve_region("110108")
    assert (resolved.prefecture, resolved.province.name_en) == (None, "Beijing")


def test_malformed_region_code_is_refused():
    with pytest.raises(ValueError, match="six digits"):
        resolve_region("32011")


def test_region_name_follows_the_active_language():
    with translation.override("en"):
        english = region_name("370212")
    with translation.override("zh-hans"):
        chinese = region_name("370212")
    assert (english, chinese) == ("Qingdao", "青岛市")


def test_region_name_with_province_reads_naturally_in_each_language():
    with translation.override("en"):
        english = region_name("370200", with_province=True)
    with translation.override("zh-hans"):
        chinese = region_name("370200", with_province=True)
    assert (english, chinese) == ("Qingdao, Shandong Province", "山东省青岛市")


def test_unknown_code_has_no_name():
    assert region_name("990101") == ""
