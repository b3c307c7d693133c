"""Fixtures shared by the lookup tests that search through an engine."""

import pytest

from lookup.engines.base import get_engine, reset_engine
from lookup.tests.factories import CertificateFactory, OrganisationFactory
from lookup.tests.support import index


@pytest.fixture
def engine(settings):
    """A fresh embedded engine, emptied before and after the test."""
    settings.LOOKUP_ENGINE = "lookup.engines.embedded.EmbeddedEngine"
    reset_engine()
    engine = get_engine()
    engine.clear()
    yield engine
    engine.clear()
    reset_engine()


@pytest.fixture
def fridge(engine):
    """A valid refrigerator certificate of a Qingdao company, indexed."""
    certificate = CertificateFactory(
        product_name="海川变频节能家用电冰箱",
        product_name_en="Inverter household refrigerator",
        brand="海川",
        product_models=["BCD-470W"],
        client=OrganisationFactory(
            name_zh="青岛海川建材股份有限公司", name_en="Qingdao Haichuan Co., Ltd.", region_code="370200"
        ),
    )
    index(engine, certificate)
    return certificate
