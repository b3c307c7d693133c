"""Loading the reference data the project ships in ``lookup/data/``."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(filename):
    with (DATA_DIR / filename).open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def load_reference_data(product_group, product_category, certification_body):
    """Create or update groups, categories and bodies from the shipped CSV files.

    Takes the model classes so that a data migration can pass its historical models.
    Every body starts approved for every category; administrators narrow that.
    """
    groups = {}
    for row in read_rows("product-categories.csv"):
        group = groups.get(row["group_no"])
        if group is None:
            group, _ = product_group.objects.update_or_create(
                number=row["group_no"], defaults={"name_zh": row["group_zh"], "name_en": row["group_en"]}
            )
            groups[row["group_no"]] = group
        product_category.objects.update_or_create(
            code=row["code"],
            defaults={
                "group": group,
                "name_zh": row["name_zh"].strip(),
                "name_en": row["name_en"].strip(),
                "standard": row["standard"].strip(),
            },
        )
    categories = list(product_category.objects.all())
    for row in read_rows("certification-bodies.csv"):
        body, created = certification_body.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"].strip(),
                "name_en": row["name_en"].strip(),
                "website": row["website"].strip(),
            },
        )
        if created:
            body.approved_categories.set(categories)
