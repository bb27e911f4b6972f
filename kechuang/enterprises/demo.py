"""Demo enterprises: about 3,000 fictional enterprises of 临澜区 with yearly indicators
(2016–2019: annual accounting figures; 2020's are not closed on 2020-09-30, so none) and
certification histories 2016–2020 ending on 2020-09-30.

The 2020 records agree with the seed: 228 newly registered 国家科技型中小企业, 449 new
市科技型中小企业, 154 高企 applications of which 86 first-time (the most of any year).
``plan`` is a pure function of the random generator; ``build`` writes the plan through the
same bulk path the enterprise importer uses (bulk inserts plus one change record per row).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from kechuang.audit import record
from kechuang.audit.events import CREATE
from kechuang.core.demo import DEMO_TODAY, FULL_ENTERPRISES
from kechuang.core.pinyin import to_pinyin
from kechuang.core.uscc import CHARSET, make_uscc

from . import events, services
from .choices import CertificationKind as Kind
from .choices import CertificationStatus as Status
from .choices import LegalForm, Level, StandardLevel, StandardRole, TaxCollection
from .models import AnnualIndicator, Certification, Enterprise
from .validation import (
    certification_errors,
    default_valid_until,
    enterprise_errors,
    indicator_errors,
)

DEMO_ORDER = 30
MIN_SCALE = 0.34
INDICATOR_YEARS = (2016, 2017, 2018, 2019)
YEARS = (2016, 2017, 2018, 2019, 2020)

# The seed's 2020 figures (exact at any scale).
NATIONAL_NEW_2020 = 228
MUNICIPAL_NEW_2020 = 449
HIGH_TECH_APPLICATIONS_2020 = 154
HIGH_TECH_FIRST_2020 = 86
# Earlier years (national/municipal scale with the number of enterprises; 高企 do not).
NATIONAL_NEW = {2016: 120, 2017: 150, 2018: 175, 2019: 200}
MUNICIPAL_NEW = {2016: 200, 2017: 240, 2018: 280, 2019: 320}
HIGH_TECH_FIRST = {2016: 48, 2017: 55, 2018: 62, 2019: 71, 2020: HIGH_TECH_FIRST_2020}
HIGH_TECH_PRE_WINDOW = {2016: 30, 2017: 35, 2018: 40}  # holders from 2013–2015 renewing

CITY_PREFIXES = ("东澄", "临澜")
BRAND_FIRST = "澄瑞恒拓锐嘉鸿晟昊屹骏泓璟钧翔博睿卓源铂澜汀岫珑崟曜翊璞琨朗"
BRAND_SECOND = "科达通宇信联德隆创芯微智远辰泰诺驰凯越迈川禾启航衡泽康盛和"
INDUSTRIES = (
    # (weight, code, words)
    (9, "C3484", ("精密机械", "机械制造", "传动科技")),
    (8, "C3525", ("模具", "精密模具", "模塑科技")),
    (7, "C3670", ("汽车部件", "汽配", "车辆零部件")),
    (7, "C3899", ("电器", "电气", "电工")),
    (7, "C3982", ("电子", "电子科技", "微电子")),
    (6, "C2929", ("塑业", "塑胶制品", "高分子材料")),
    (5, "C2651", ("化工", "新材料", "合成材料")),
    (5, "C3311", ("金属制品", "五金", "钢结构")),
    (5, "C3562", ("智能装备", "自动化设备", "机器人")),
    (4, "C4014", ("仪器仪表", "测控技术", "传感科技")),
    (4, "C1751", ("纺织", "服饰", "纤维科技")),
    (3, "C2770", ("生物医药", "医疗器械", "药业")),
    (3, "C3976", ("光电", "光电科技", "光学")),
    (3, "C3091", ("建材", "新型建材", "石墨科技")),
    (7, "I6513", ("软件", "信息技术", "数据科技")),
    (5, "I6432", ("网络科技", "互联网科技", "数字科技")),
    (4, "M7320", ("检测技术", "工程技术", "技术服务")),
    (3, "M7512", ("环保科技", "节能科技", "新能源科技")),
    (2, "F5179", ("贸易", "商贸", "供应链")),
    (2, "L7239", ("企业管理", "商务服务", "咨询")),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建林波宁浩亮俊"
ROADS = ("青澜路", "白汀路", "望湖路", "柳岸路", "石岙路", "云塘大道", "科创大道", "智造路",
         "高新一路", "高新二路", "湖滨路", "东澄大道")
TECH_SECTIONS = frozenset("CIM")


@dataclass
class Planned:
    """One enterprise of the plan, with its indicators and certifications."""

    fields: dict
    region_index: int
    indicators: dict[int, dict] = field(default_factory=dict)
    certifications: list[dict] = field(default_factory=list)

    @property
    def established_year(self) -> int:
        return self.fields["established_on"].year

    @property
    def is_tech(self) -> bool:
        return self.fields["industry_code"][0] in TECH_SECTIONS


def _money(value: float) -> Decimal:
    return Decimal(int(round(value, -2)))


def _date(rng, year: int, first: tuple[int, int], last: tuple[int, int]) -> dt.date:
    start, end = dt.date(year, *first), dt.date(year, *last)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _name(rng, used: set[str], words) -> str:
    while True:
        brand = rng.choice(BRAND_FIRST) + rng.choice(BRAND_SECOND)
        name = f"{rng.choice(CITY_PREFIXES)}{brand}{rng.choice(words)}有限公司"
        if name not in used:
            used.add(name)
            return name


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _uscc(rng, used: set[str]) -> str:
    body = CHARSET[:-1]
    while True:
        code = make_uscc("91" + "339803" + "".join(rng.choice(body) for _ in range(9)))
        if code not in used:
            used.add(code)
            return code


def _indicators(rng, ent: Planned) -> None:
    """Yearly figures growing towards a 2019 size drawn from a log-normal distribution."""
    revenue = min(max(math.exp(rng.gauss(math.log(9e6), 1.25)), 6e5), 2.5e9)
    staff = max(5, int(revenue / rng.uniform(4e5, 9e5)))
    growth = rng.uniform(0.97, 1.18)
    rd_rate = 0.0 if rng.random() < 0.22 else rng.uniform(0.012, 0.075)
    hitech_share = rng.uniform(0.3, 0.85) if ent.is_tech and rng.random() < 0.6 else 0.0
    ip1, ip2 = rng.randrange(0, 4), rng.randrange(0, 12)
    for year in INDICATOR_YEARS:
        if year < ent.established_year:
            continue
        k = growth ** (year - 2019) * rng.uniform(0.93, 1.07)
        main = revenue * k
        sales = main * rng.uniform(1.0, 1.05)
        income = sales * rng.uniform(1.0, 1.03)
        rd = sales * rd_rate * rng.uniform(0.85, 1.15)
        assets = sales * rng.uniform(0.7, 1.9)
        staff_y = max(3, int(staff * k))
        ent.indicators[year] = {
            "staff_total": staff_y,
            "st_staff": max(0, int(staff_y * rng.uniform(0.05, 0.35 if ent.is_tech else 0.12))),
            "sales_revenue": _money(sales),
            "main_business_revenue": _money(main),
            "total_income": _money(income),
            "non_taxable_income": _money(income * rng.uniform(0, 0.01)),
            "rd_expense": _money(rd),
            "rd_expense_domestic": _money(rd * rng.uniform(0.9, 1.0)),
            "cost_expense_total": _money(income * rng.uniform(0.82, 0.98)),
            "total_assets": _money(assets),
            "total_liabilities": _money(assets * rng.uniform(0.25, 0.7)),
            "hitech_revenue": _money(sales * hitech_share),
            "ip_class1": ip1 + (year - 2016) // 2,
            "ip_class2": ip2 + (year - 2016),
            "ip_class2_used": 0,
            "conversions": rng.randrange(0, 5) if ent.is_tech else 0,
        }


def _sample(rng, pool: list[Planned], k: int, what: str) -> list[Planned]:
    if len(pool) < k:
        raise ValueError(
            f"演示企业数量不足以生成{what}（需要{k}家，可选{len(pool)}家），请增大 --scale")
    return rng.sample(pool, k)


def _tech_sme(rng, ents, kind, new_counts, batches, renew_p, number) -> None:
    """科小-style annual registration: new entrants each year, most re-register later."""
    first: dict[int, int] = {}  # id(ent) → first year
    for year in YEARS:
        registered = [e for e in ents if id(e) in first and rng.random() < renew_p]
        pool = [e for e in ents if id(e) not in first and e.is_tech
                and e.established_year < year]
        new = _sample(rng, pool, new_counts[year], f"{year}年{kind.label}")
        for e in new:
            first[id(e)] = year
        for seq, e in enumerate(sorted(new + registered, key=lambda x: x.fields["uscc"]), 1):
            issued = rng.choice(batches(year))
            e.certifications.append({
                "kind": kind, "year": year, "status": Status.GRANTED,
                "number": number(year, seq), "applied_on": issued - dt.timedelta(days=35),
                "issued_on": issued,
            })
            if kind == Kind.NATIONAL_TECH_SME and first[id(e)] == year and rng.random() < 0.25:
                e.certifications.append({
                    "kind": Kind.PROVINCIAL_TECH_SME, "year": year, "status": Status.GRANTED,
                    "issued_on": min(issued + dt.timedelta(days=20), DEMO_TODAY),
                    "level": Level.PROVINCIAL,
                })


def _high_tech(rng, ents: list[Planned]) -> None:
    history: dict[int, list[tuple[int, str]]] = defaultdict(list)  # id → [(year, status)]
    seq = 0

    def apply(e: Planned, year: int, first_time: bool, grant_p: float) -> None:
        nonlocal seq
        applied = _date(rng, year, (5, 10), (7, 31))
        cert = {"kind": Kind.HIGH_TECH, "year": year, "applied_on": applied,
                "is_first_application": first_time}
        if year == 2020:
            cert["status"] = Status.APPLIED  # results are announced after 30 September
        elif rng.random() < grant_p:
            seq += 1
            cert.update(status=Status.GRANTED, number=f"GR{year}99{seq:06d}",
                        issued_on=_date(rng, year, (11, 20), (12, 20)))
        else:
            cert["status"] = Status.REJECTED
        e.certifications.append(cert)
        history[id(e)].append((year, cert["status"]))

    candidates = sorted((e for e in ents if e.is_tech), key=lambda e: e.fields["uscc"])
    for year in YEARS:
        applying: set[int] = set()
        if year < 2020:
            for e in candidates:
                past = history.get(id(e))
                if not past:
                    continue
                last_year, last_status = past[-1]
                expiring = last_status == Status.GRANTED and last_year == year - 3
                retry = last_status == Status.REJECTED and last_year == year - 1
                if (expiring and rng.random() < 0.85) or (retry and rng.random() < 0.5):
                    apply(e, year, False, 0.9 if expiring else 0.6)
                    applying.add(id(e))
            fresh = [e for e in candidates
                     if id(e) not in history and e.established_year <= year - 4]
            for e in _sample(rng, fresh, HIGH_TECH_PRE_WINDOW.get(year, 0), "高企存量"):
                apply(e, year, False, 0.9)
                applying.add(id(e))
        else:
            expiring = [e for e in candidates if history.get(id(e))
                        and history[id(e)][-1] == (2017, Status.GRANTED)]
            retry = [e for e in candidates if history.get(id(e))
                     and history[id(e)][-1][1] == Status.REJECTED
                     and history[id(e)][-1][0] >= 2018]
            rng.shuffle(expiring)
            rng.shuffle(retry)
            again = (expiring + retry)[:HIGH_TECH_APPLICATIONS_2020 - HIGH_TECH_FIRST_2020]
            if len(again) < HIGH_TECH_APPLICATIONS_2020 - HIGH_TECH_FIRST_2020:
                raise ValueError("演示企业数量不足以生成2020年高企重新申报")
            for e in again:
                apply(e, year, False, 0)
                applying.add(id(e))
        # first-time applicants: prefer 科小 holders (the 科小 → 高企 pipeline)
        fresh = [e for e in candidates if id(e) not in history and e.established_year < year]
        piped = [e for e in fresh if any(c["kind"] == Kind.NATIONAL_TECH_SME
                                         and c["year"] <= year for c in e.certifications)]
        piped_ids = {id(e) for e in piped}
        others = [e for e in fresh if id(e) not in piped_ids]
        k = HIGH_TECH_FIRST[year]
        chosen = rng.sample(piped, min(k, len(piped)))
        chosen += _sample(rng, others, k - len(chosen), f"{year}年高企首次申报")
        for e in chosen:
            apply(e, year, True, 0.7)


def _rd_institutions(rng, ents: list[Planned]) -> None:
    for e in ents:
        if not e.is_tech or rng.random() > 0.07:
            continue
        year = rng.choice([y for y in YEARS if y > e.established_year] or [2020])
        level = rng.choice((Level.DISTRICT, Level.DISTRICT, Level.MUNICIPAL, Level.PROVINCIAL))
        label = {Level.DISTRICT: "区级企业研发中心", Level.MUNICIPAL: "市级企业工程（技术）中心",
                 Level.PROVINCIAL: "省级企业研究开发中心"}[level]
        issued = _date(rng, year, (3, 1), (9, 30) if year == 2020 else (12, 20))
        e.certifications.append({"kind": Kind.RD_INSTITUTION, "year": year,
                                 "status": Status.GRANTED, "name": label, "level": level,
                                 "issued_on": issued})


def plan(rng, scale: float = 1.0) -> list[Planned]:
    """The demo enterprises with everything they hold; a pure function of ``rng``."""
    if scale < MIN_SCALE:
        raise ValueError(f"--scale 不能小于{MIN_SCALE}（2020年的数字要求足够多的企业）")
    count = round(FULL_ENTERPRISES * scale)
    weights = [w for w, _, _ in INDUSTRIES]
    from kechuang.regions.demo import ENTERPRISE_WEIGHTS

    names: set[str] = set()
    codes: set[str] = set()
    ents: list[Planned] = []
    for i in range(count):
        _, industry_code, words = rng.choices(INDUSTRIES, weights)[0]
        year = min(2020, int(rng.triangular(1993, 2021, 2016)))
        established = _date(rng, year, (1, 1), (6, 30) if year == 2020 else (12, 31))
        legal_form = rng.choices((LegalForm.LIMITED, LegalForm.JOINT_STOCK, LegalForm.FOREIGN,
                                  LegalForm.PARTNERSHIP), (85, 8, 4, 3))[0]
        region_index = rng.choices(range(len(ENTERPRISE_WEIGHTS)), ENTERPRISE_WEIGHTS)[0]
        ent = Planned(fields={
            "uscc": _uscc(rng, codes),
            "name": _name(rng, names, words),
            "industry_code": industry_code,
            "legal_form": legal_form,
            "established_on": established,
            "registered_capital": Decimal(rng.choice((50, 100, 200, 300, 500, 1000, 2000,
                                                      5000)) * 10000),
            "address": f"{rng.choice(ROADS)}{rng.randrange(1, 999)}号",
            "tax_collection": TaxCollection.AUDITED if rng.random() < 0.93
            else TaxCollection.DEEMED,
            "is_credit_clean": rng.random() < 0.98,
            "legal_representative": _person(rng),
            "contact_name": _person(rng),
            "contact_phone": "1" + rng.choice("3589") + "".join(
                rng.choice("0123456789") for _ in range(9)),
            "contact_email": f"contact{i + 1:04d}@example.com",
        }, region_index=region_index)
        _indicators(rng, ent)
        ents.append(ent)

    def scaled(counts: dict[int, int], final: int) -> dict[int, int]:
        return {**{y: round(c * scale) for y, c in counts.items()}, 2020: final}

    _tech_sme(rng, ents, Kind.NATIONAL_TECH_SME, scaled(NATIONAL_NEW, NATIONAL_NEW_2020),
              lambda y: [dt.date(y, 4, 20), dt.date(y, 6, 15), dt.date(y, 8, 25)]
              + ([] if y == 2020 else [dt.date(y, 10, 20)]),
              0.8, lambda y, seq: f"{y}339803A{seq:07d}")
    _tech_sme(rng, ents, Kind.MUNICIPAL_TECH_SME, scaled(MUNICIPAL_NEW, MUNICIPAL_NEW_2020),
              lambda y: [dt.date(y, 6, 18), dt.date(y, 9, 10)]
              + ([] if y == 2020 else [dt.date(y, 11, 20)]),
              0.6, lambda y, seq: f"DC{y}{seq:05d}")
    _high_tech(rng, ents)
    _rd_institutions(rng, ents)
    return ents


def build(ctx) -> None:
    subdistricts = ctx.data["subdistricts"]
    ents = plan(ctx.rng, ctx.scale)
    objs = []
    for p in ents:
        errors = enterprise_errors(p.fields)
        if errors:
            raise ValueError(f"演示企业数据无效：{p.fields['name']} {errors}")
        obj = Enterprise(**p.fields, region=subdistricts[p.region_index])
        obj.name_pinyin, obj.name_initials = to_pinyin(obj.name)
        if any(c["kind"] == Kind.HIGH_TECH for c in p.certifications):
            obj.hitech_field, obj.hitech_sub_field = HITECH_FIELD_BY_INDUSTRY.get(
                obj.industry_code, (None, None))
        objs.append(obj)
    Enterprise.objects.bulk_create(objs, batch_size=1000)
    if objs and objs[0].pk is None:
        ids = dict(Enterprise.objects.values_list("uscc", "pk"))
        for obj in objs:
            obj.pk = ids[obj.uscc]
    record.write_many(CREATE, objs, actor=ctx.actor, message="演示数据")

    indicators: list[AnnualIndicator] = []
    certifications: list[Certification] = []
    for p, obj in zip(ents, objs, strict=True):
        for year, data in p.indicators.items():
            errors = indicator_errors(data, year)
            if errors:
                raise ValueError(f"演示指标无效：{obj.name} {year} {errors}")
            ind = AnnualIndicator(enterprise=obj, year=year, **data)
            ind.is_above_scale_industrial = ind.compute_above_scale(obj.industry_code)
            indicators.append(ind)
        for data in p.certifications:
            errors, _ = certification_errors(data)
            if errors:
                raise ValueError(f"演示资质无效：{obj.name} {data} {errors}")
            cert = Certification(enterprise=obj, **data)
            cert.valid_until = default_valid_until(cert.kind, cert.year, cert.issued_on)
            certifications.append(cert)
    AnnualIndicator.objects.bulk_create(indicators, batch_size=2000)
    Certification.objects.bulk_create(certifications, batch_size=2000)
    _audit_by_enterprise(CREATE, indicators, ctx.actor)
    _audit_by_enterprise(events.RECORD_CERTIFICATION, certifications, ctx.actor)

    _link_enterprise_user(ctx, objs, subdistricts[0])
    awards, standards = _awards_and_standards(ctx, objs)
    figures = figures_2020()
    ctx.data["enterprises"] = objs
    ctx.data.setdefault("summary", []).extend([
        f"企业：{len(objs)}家，年度指标{len(indicators)}条（2016—2019年），"
        f"资质记录{len(certifications)}条，科技奖励{awards}条，标准制定{standards}条",
        "2020年：新增国家科技型中小企业{national_new}家，新增市科技型中小企业{municipal_new}家，"
        "高企申报{high_tech_applications}家（其中新申报{high_tech_first}家）".format(**figures),
    ])


# 高企 holders' technology field, by industry (field, sub-field); others stay unstated.
HITECH_FIELD_BY_INDUSTRY = {
    "C3484": ("08", "0805"), "C3525": ("08", "0804"), "C3670": ("08", "0807"),
    "C3899": ("08", "0806"), "C3982": ("01", "0106"), "C2929": ("04", "0403"),
    "C2651": ("04", "0405"), "C3311": ("04", "0401"), "C3562": ("08", "0804"),
    "C4014": ("08", "0803"), "C2770": ("02", "0205"), "C3976": ("01", "0106"),
    "C3091": ("04", "0402"), "I6513": ("01", "0101"), "I6432": ("01", "0103"),
    "M7320": ("05", "0502"), "M7512": ("06", "0604"), "C1751": ("04", "0403"),
}
AWARD_NAMES = {
    Level.NATIONAL: ("国家科学技术进步奖", "国务院"),
    Level.PROVINCIAL: ("浙江省科学技术进步奖", "浙江省人民政府"),
    Level.MUNICIPAL: ("东澄市科学技术进步奖", "东澄市人民政府"),
}
# (award level, grade, organisation rank); national ones decide 科小 D2 for their holders.
AWARDS = ((Level.NATIONAL, "second", 2), (Level.NATIONAL, "second", 5),
          (Level.PROVINCIAL, "first", 1), (Level.PROVINCIAL, "second", 2),
          (Level.PROVINCIAL, "third", 3), (Level.MUNICIPAL, "first", 1),
          (Level.MUNICIPAL, "second", 1), (Level.MUNICIPAL, "third", 2))
STANDARDS = ((StandardLevel.NATIONAL, StandardRole.LEAD, 1, "GB/T"),
             (StandardLevel.NATIONAL, StandardRole.PARTICIPANT, 4, "GB/T"),
             (StandardLevel.INDUSTRY, StandardRole.LEAD, 1, "JB/T"),
             (StandardLevel.INDUSTRY, StandardRole.PARTICIPANT, 2, "JB/T"),
             (StandardLevel.LOCAL, StandardRole.LEAD, 1, "DB33/T"),
             (StandardLevel.GROUP, StandardRole.LEAD, 1, "T/ZZB"),
             (StandardLevel.GROUP, StandardRole.PARTICIPANT, 3, "T/ZZB"))


def _awards_and_standards(ctx, objs: list[Enterprise]) -> tuple[int, int]:
    """A few awards and standards for 高企 holders (科小 D2/D4 in the demo). A generator of
    its own keeps every other demo figure as it was; records go through the services."""
    rng = random.Random(20200930)
    holders = sorted(set(Certification.objects.filter(
        kind=Kind.HIGH_TECH, status=Status.GRANTED).values_list("enterprise_id", flat=True)))
    if not holders:
        return 0, 0
    by_pk = {o.pk: o for o in objs}
    picks = [by_pk[pk] for pk in rng.sample(holders, min(len(holders),
                                                         len(AWARDS) + len(STANDARDS)))]
    for ent, (level, grade, rank) in zip(picks, AWARDS, strict=False):
        name, issuer = AWARD_NAMES[level]
        services.record_award(actor=ctx.actor, enterprise=ent, data={
            "name": name, "issuer": issuer, "level": level, "grade": grade, "org_rank": rank,
            "year": rng.choice((2016, 2017, 2018, 2019)),
            "project": f"{ent.name[2:6]}关键技术研发及产业化"})
    for n, (ent, (level, role, rank, prefix)) in enumerate(
            zip(picks[len(AWARDS):], STANDARDS, strict=False), start=1):
        published = _date(rng, rng.choice((2016, 2017, 2018, 2019)), (1, 1), (12, 31))
        services.record_standard(actor=ctx.actor, enterprise=ent, data={
            "code": f"{prefix} {30100 + n * 17}-{published.year}", "level": level,
            "name": f"{ent.name[2:6]}产品通用技术条件", "role": role,
            "drafting_rank": rank, "published_on": published})
    return min(len(picks), len(AWARDS)), max(0, len(picks) - len(AWARDS))


def _audit_by_enterprise(action: str, rows: list, actor) -> None:
    """One change record per row, related to its enterprise (the detail page's history)."""
    record.write_many(action, rows, actor=actor, related_of=lambda row: row.enterprise,
                      message="演示数据")


def _link_enterprise_user(ctx, objs: list[Enterprise], region) -> None:
    user = ctx.users.get("enterprise")
    if user is None:
        return
    high_tech = set(Certification.objects.filter(kind=Kind.HIGH_TECH, status=Status.GRANTED)
                    .values_list("enterprise_id", flat=True))
    choice = next((o for o in objs if o.region_id == region.pk and o.pk in high_tech), objs[0])
    services.link_enterprise_user(actor=ctx.actor, enterprise=choice, user=user)
    ctx.data["enterprise_user_enterprise"] = choice


def figures_2020() -> dict[str, int]:
    """The seed's four 2020 figures, counted from the records."""

    def new_in_2020(kind: str) -> int:
        earlier = Certification.objects.filter(enterprise=OuterRef("enterprise"), kind=kind,
                                               status=Status.GRANTED, year__lt=2020)
        return (Certification.objects
                .filter(kind=kind, status=Status.GRANTED, year=2020,
                        issued_on__lte=DEMO_TODAY)
                .exclude(Exists(earlier)).values("enterprise").distinct().count())

    applications = Certification.objects.filter(kind=Kind.HIGH_TECH, applied_on__year=2020)
    return {
        "national_new": new_in_2020(Kind.NATIONAL_TECH_SME),
        "municipal_new": new_in_2020(Kind.MUNICIPAL_TECH_SME),
        "high_tech_applications": applications.count(),
        "high_tech_first": applications.filter(is_first_application=True).count(),
    }


def first_applications_by_year() -> dict[int, int]:
    rows = (Certification.objects.filter(kind=Kind.HIGH_TECH, is_first_application=True)
            .values_list("applied_on__year", flat=True))
    counts: dict[int, int] = defaultdict(int)
    for year in rows:
        counts[year] += 1
    return dict(sorted(counts.items()))
