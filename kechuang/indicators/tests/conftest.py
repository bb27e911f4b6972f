"""Hand-counted fixtures for the catalogue: certifications and monthly statistics on both sides
of the 09-30 / 10-01 boundary and of the 东湖 / 西山 street boundary."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kechuang.core.testing.factories import CertificationFactory, EnterpriseFactory
from kechuang.enterprises.choices import CertificationKind as Kind
from kechuang.enterprises.choices import CertificationStatus as Status
from kechuang.indicators.catalogue import month_end
from kechuang.indicators.models import DistrictFigure, MonthlyEnterpriseStat

D = dt.date


def stat(ent, year, month, va, rd, hitech=True):
    return MonthlyEnterpriseStat.objects.create(
        enterprise=ent, year=year, month=month, month_end=month_end(year, month),
        value_added=Decimal(va), rd_expense=Decimal(rd), is_hitech_industry=hitech)


@pytest.fixture
def data(regions, ent_east, ent_west):
    """东湖: 2 new national 科小 in 1-9月 2020 (one on 09-30), one on 10-01, one renewal;
    西山: 1 new national 科小 (2020-03-01). 2019: 1 new (东湖).
    高企 2020 applications: 东湖 2 (1 first time), 西山 1 (first time), one on 10-01 (东湖).
    Monthly stats (元): 东湖 hitech VA 2020-01..09 100 each, 2020-10 1000; 西山 non-hitech VA 50,
    rd 10 each month 2020-01..09; 2019-01..09: 东湖 VA 80 each; 2018-01..09: 东湖 VA 60 each.
    """
    e2 = EnterpriseFactory(name="东湖二号科技有限公司", region=regions.east)
    e3 = EnterpriseFactory(name="东湖三号科技有限公司", region=regions.east)
    e4 = EnterpriseFactory(name="东湖四号科技有限公司", region=regions.east)
    w2 = EnterpriseFactory(name="西山二号科技有限公司", region=regions.west, industry_code="C3982")
    nat = Kind.NATIONAL_TECH_SME
    CertificationFactory(enterprise=ent_east, kind=nat, year=2020, number="",
                         issued_on=D(2020, 9, 30), valid_until=D(2021, 3, 31))
    CertificationFactory(enterprise=e2, kind=nat, year=2020, number="",
                         issued_on=D(2020, 4, 15), valid_until=D(2021, 3, 31))
    CertificationFactory(enterprise=e3, kind=nat, year=2020, number="",
                         issued_on=D(2020, 10, 1), valid_until=D(2021, 3, 31))
    CertificationFactory(enterprise=e4, kind=nat, year=2019, number="",
                         issued_on=D(2019, 5, 10), valid_until=D(2020, 3, 31))
    CertificationFactory(enterprise=e4, kind=nat, year=2020, number="",
                         issued_on=D(2020, 5, 10), valid_until=D(2021, 3, 31))  # renewal
    CertificationFactory(enterprise=w2, kind=nat, year=2020, number="",
                         issued_on=D(2020, 3, 1), valid_until=D(2021, 3, 31))
    ht = Kind.HIGH_TECH
    CertificationFactory(enterprise=ent_east, kind=ht, year=2020, status=Status.APPLIED,
                         number="", issued_on=None, valid_until=None,
                         applied_on=D(2020, 6, 1), is_first_application=True)
    CertificationFactory(enterprise=e2, kind=ht, year=2017, number="GR201733000001",
                         issued_on=D(2017, 11, 30), valid_until=D(2020, 11, 29))
    CertificationFactory(enterprise=e2, kind=ht, year=2020, status=Status.APPLIED,
                         number="", issued_on=None, valid_until=None,
                         applied_on=D(2020, 9, 30), is_first_application=False)
    CertificationFactory(enterprise=e3, kind=ht, year=2021, status=Status.APPLIED,
                         number="", issued_on=None, valid_until=None,
                         applied_on=D(2020, 10, 1), is_first_application=True)
    CertificationFactory(enterprise=w2, kind=ht, year=2020, status=Status.APPLIED,
                         number="", issued_on=None, valid_until=None,
                         applied_on=D(2020, 7, 1), is_first_application=True)
    for m in range(1, 10):
        stat(ent_east, 2020, m, "100", "0")
        stat(w2, 2020, m, "50", "10", hitech=False)
        stat(ent_east, 2019, m, "80", "0")
        stat(ent_east, 2018, m, "60", "0")
    stat(ent_east, 2020, 10, "1000", "0")
    return SimpleNamespace(e2=e2, e3=e3, e4=e4, w2=w2)


@pytest.fixture
def other_districts(regions):
    """邻区 published 1-9月 2020: 高新技术产业增加值 1000元 (home has 900 → 2nd of 2)."""
    return DistrictFigure.objects.create(
        region=regions.other, indicator_code="hitech_industry_value_added",
        period_start=D(2020, 1, 1), period_end=D(2020, 9, 30), value=Decimal(1000))
