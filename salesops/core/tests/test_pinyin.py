"""Search keys (core.pinyin): Chinese text, full pinyin and initials in one stored, indexed column."""

import pytest

from salesops.core.listing import Listing
from salesops.core.pinyin import SearchKeyField, fill_search_keys, search_condition, search_key, search_term
from salesops.customers.models import Customer
from salesops.customers.tests.factories import CustomerFactory
from salesops.org.models import User


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("北京重工", "北京重工 beijingzhonggong bjzg"),
        # latin letters and digits in a mixed name stay whole, lowercase
        ("ABB北京", "abb北京 abbbeijing abbbj"),
        ("3M中国", "3m中国 3mzhongguo 3mzg"),
        # the phrase's reading, not the characters' most common one
        ("重庆银行", "重庆银行 chongqingyinhang cqyh"),
        # ü typed as v, as input methods do
        ("绿源", "绿源 lvyuan ly"),
        # full-width letters and digits fold, spaces go
        ("ＢＪ 北京 12号", "bj北京12号 bjbeijing12hao bjbj12h"),
        ("Beijing Steel", "beijingsteel"),
        ("", ""),
    ],
)
def test_search_key(text, key):
    assert search_key(text) == key


def test_a_persons_first_character_reads_as_a_surname():
    assert search_key("曾小明", surname=True).split() == ["曾小明", "zengxiaoming", "zxm"]
    assert "cengxiaoming" in search_key("曾小明")  # a company name keeps the common reading


def test_several_sources_share_one_key_without_repeats():
    assert search_key("王伟", "wangwei") == "王伟 wangwei ww"


def test_queries_are_normalised_like_keys():
    assert search_term(" Bei Jing ") == "beijing"
    assert search_term("ＢＪ") == "bj"


def test_the_field_deconstructs_to_its_sources():
    field = SearchKeyField("search key", sources=["name"], surname=True)
    field.set_attributes_from_name("search_key")
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "salesops.core.pinyin.SearchKeyField"
    assert kwargs == {"sources": ["name"], "surname": True, "verbose_name": "search key"}
    assert field.db_index and not field.editable


@pytest.mark.django_db
def test_bulk_create_and_save_compute_the_key(staff):
    # given customers written the demo loader's way (bulk_create) and one through save()
    [bulk] = Customer.objects.bulk_create(
        [
            Customer(
                code="B1",
                name="北京重工",
                kind="end_user",
                region=staff.region,
                owner=staff.sales_a,
                branch=staff.head_office,
            )
        ]
    )
    saved = CustomerFactory(owner=staff.sales_a, region=staff.region, name="上海机电")
    # then both rows carry their keys
    assert Customer.objects.get(pk=bulk.pk).search_key == "北京重工 beijingzhonggong bjzg"
    assert Customer.objects.get(pk=saved.pk).search_key == "上海机电 shanghaijidian shjd"


@pytest.mark.django_db
def test_save_with_update_fields_naming_a_source_writes_the_key(staff):
    customer = CustomerFactory(owner=staff.sales_a, region=staff.region, name="上海机电")
    customer.name = "北京重工"
    customer.save(update_fields=["name"])
    assert Customer.objects.get(pk=customer.pk).search_key.endswith("bjzg")


@pytest.mark.django_db
def test_user_keys_cover_display_name_and_username(staff):
    staff.sales_a.display_name = "曾小明"
    staff.sales_a.save()
    key = User.objects.get(pk=staff.sales_a.pk).search_key
    assert key.split() == ["曾小明", "zengxiaoming", "zxm", "sales_a", "salesa"]


@pytest.mark.django_db
def test_the_data_migration_fills_existing_rows(staff):
    # given rows written before the column existed (blank keys)
    first = CustomerFactory(owner=staff.sales_a, region=staff.region, name="北京重工")
    second = CustomerFactory(owner=staff.sales_a, region=staff.region, name="青岛港务")
    Customer.objects.update(search_key="")
    # when the migration's filler runs, in small batches
    assert fill_search_keys(Customer, batch_size=1) == Customer.objects.count()
    # then every row has its key
    assert Customer.objects.get(pk=first.pk).search_key.endswith("bjzg")
    assert Customer.objects.get(pk=second.pk).search_key.endswith("qdgw")


@pytest.mark.django_db
def test_search_condition_and_listing_match_chinese_pinyin_and_initials(staff):
    beijing = CustomerFactory(owner=staff.sales_a, region=staff.region, name="北京重工", code="C1")
    CustomerFactory(owner=staff.sales_a, region=staff.region, name="上海机电", code="C2")
    listing = Listing(
        search_fields=("code", "name"), orderings={"code": "code"}, default_ordering="code", search_key="search_key"
    )
    for query in ("bj", "BJ", "beijing", "bei jing", "北京", "bjzg", "C1"):
        assert list(Customer.objects.filter(search_condition(query, ("code", "name"), "search_key"))) == [beijing]
        assert list(listing.apply(Customer.objects.all(), {"q": query})["rows"]) == [beijing], query
    # a list without a key column still searches its fields only
    plain = Listing(search_fields=("name",), orderings={"code": "code"}, default_ordering="code")
    assert list(plain.apply(Customer.objects.all(), {"q": "bj"})["rows"]) == []
