import datetime as dt

import pytest

from kechuang.carriers import services
from kechuang.indicators.catalogue import Period, value_of

pytestmark = pytest.mark.django_db


def test_complex_and_workstation_indicators(staff, regions):
    for year in (2018, 2019, 2020):
        services.create_carrier(actor=staff, data={
            "name": f"综合体{year}", "kind": "innovation_complex", "level": "provincial",
            "region": regions.east, "recognized_on": dt.date(year, 6, 1)})
    for month in (3, 5):
        services.create_carrier(actor=staff, data={
            "name": f"院士工作站{month}", "kind": "academician_workstation", "level": "municipal",
            "region": regions.west, "opened_on": dt.date(2020, month, 1)})
    ytd = Period.ytd(2020, 9)
    assert value_of("provincial_innovation_complexes_new", ytd) == 1
    assert value_of("provincial_innovation_complexes_total", ytd) == 3
    assert value_of("academician_workstations", ytd) == 2
