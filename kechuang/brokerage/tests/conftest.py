"""Brokerage fixtures: brokers with accounts, a demand, an achievement and overseas engineers."""

import datetime as dt

import pytest

from kechuang.accounts.choices import RoleCode
from kechuang.achievements.models import Achievement
from kechuang.brokerage import services
from kechuang.brokerage.models import Broker
from kechuang.core.testing import make_user
from kechuang.demands.models import TechDemand
from kechuang.experts.models import Expert


@pytest.fixture
def broker_user(regions):
    return make_user(RoleCode.BROKER, username="jingjiren")


@pytest.fixture
def other_broker_user(regions):
    return make_user(RoleCode.BROKER, username="jingjiren2")


@pytest.fixture
def broker(broker_user, regions):
    return Broker.objects.create(user=broker_user, name="王经纪", organisation="示范技术转移中心",
                                 region=regions.district, grade="senior")


@pytest.fixture
def other_broker(other_broker_user, regions):
    return Broker.objects.create(user=other_broker_user, name="赵经纪",
                                 organisation="西山科技服务站", region=regions.west)


@pytest.fixture
def portfolio(staff, broker, ent_east):
    return services.assign_enterprise(actor=staff, enterprise=ent_east, broker=broker,
                                      on=dt.date(2020, 1, 2))


@pytest.fixture
def demand(ent_east):
    return TechDemand.objects.create(enterprise=ent_east, region=ent_east.region,
                                     title="注塑件翘曲变形控制", description="产品翘曲超差",
                                     field="05", status="published")


@pytest.fixture
def achievement(regions):
    return Achievement.objects.create(owner_name="示例大学", title="高分子材料低应力成型技术",
                                      abstract="降低注塑件内应力", field="05",
                                      status="published", region=regions.district)


@pytest.fixture
def engineer_user(regions):
    return make_user(RoleCode.EXPERT, username="haigong")


@pytest.fixture
def engineer(regions, engineer_user):
    return Expert.objects.create(kind="overseas_engineer", name="Hans Müller", country="德国",
                                 fields=["05"], region=regions.district, user=engineer_user)


@pytest.fixture
def other_engineer(regions):
    return Expert.objects.create(kind="overseas_engineer", name="Oleksandr Petrenko",
                                 country="乌克兰", fields=["05"], region=regions.district)
