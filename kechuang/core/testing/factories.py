"""factory_boy factories for the foundation models.

Factories write rows directly (fast set-up for tests); tests of behaviour call services.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from kechuang.accounts.models import Role, User
from kechuang.core.pinyin import to_pinyin
from kechuang.core.uscc import make_uscc
from kechuang.enterprises.choices import CertificationKind, CertificationStatus
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise
from kechuang.regions.models import Region, RegionKind

TEST_PASSWORD = "Kc-test-Passw0rd!"
_NAME_PARTS = ("智能", "精密", "华创", "云帆", "星河", "恒远", "新材", "光电", "数联", "绿源")


def uscc_for(n: int, authority: str = "91", area: str = "330106") -> str:
    """A valid, deterministic 统一社会信用代码 for the integer ``n``."""
    return make_uscc(f"{authority}{area}{n:09d}")


def _company_name(n: int) -> str:
    return f"示范{_NAME_PARTS[n % len(_NAME_PARTS)]}{_NAME_PARTS[(n // 10) % 10]}科技有限公司{n}号"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    kind = RegionKind.SUBDISTRICT
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    region = None
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for code in extracted or ():
            self.groups.add(Role.objects.get(code=code).group)


def make_user(*roles: str, region: Region | None = None, perms: tuple[str, ...] = (),
              **kwargs) -> User:
    """A user holding the built-in ``roles`` (codes) and, optionally, extra permissions
    through a private role with the given data scope (``scope=`` keyword, default 全部)."""
    scope = kwargs.pop("scope", None)
    scope_regions = kwargs.pop("scope_regions", ())
    user = UserFactory(region=region, roles=roles, **kwargs)
    if perms or scope:
        from django.contrib.auth.models import Permission

        group = Group.objects.create(name=f"custom-{user.username}")
        role = Role.objects.create(code=f"custom-{user.username}"[:32],
                                   name=f"自定义{user.username}", group=group,
                                   data_scope=scope or "all")
        role.regions.set(scope_regions)
        for perm in perms:
            app, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app,
                                                         codename=codename))
        user.groups.add(group)
    return User.objects.get(pk=user.pk)  # fresh: no cached perms or roles


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    uscc = factory.Sequence(lambda n: uscc_for(n + 1))
    name = factory.Sequence(_company_name)
    name_pinyin = factory.LazyAttribute(lambda o: to_pinyin(o.name)[0])
    name_initials = factory.LazyAttribute(lambda o: to_pinyin(o.name)[1])
    industry_code = "C3511"
    region = factory.SubFactory(RegionFactory)
    established_on = dt.date(2015, 6, 1)
    legal_representative = "张三丰"
    contact_name = "李四"
    contact_phone = "13812345678"
    contact_email = "lisi@example.com"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class AnnualIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualIndicator

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2019
    staff_total = 100
    st_staff = 20
    sales_revenue = Decimal("30000000.00")
    main_business_revenue = Decimal("25000000.00")
    rd_expense = Decimal("1500000.00")
    total_assets = Decimal("50000000.00")
    is_above_scale_industrial = factory.LazyAttribute(
        lambda o: o.main_business_revenue is not None
        and o.main_business_revenue >= Decimal(20_000_000)
        and o.enterprise.industry_code[:1] in "BCD")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = CertificationKind.HIGH_TECH
    status = CertificationStatus.GRANTED
    year = 2019
    number = factory.LazyAttribute(lambda o: f"GR{o.year}33{o.enterprise.pk % 1000000:06d}")
    issued_on = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 2))
    valid_until = factory.LazyAttribute(lambda o: dt.date(o.year + 3, 12, 1))
