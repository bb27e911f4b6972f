"""Permission matrix for every enterprise page and API endpoint:
anonymous / no permission / permission but out of region / permission in region.

The object under test lives in 东湖街道; the in-region user is 东湖街道's staff member, the
out-of-region user 西山街道's, the user without permission an expert. Every denied write is
checked to leave the enterprise tables and the change records untouched.
"""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from kechuang.core.testing import (
    AnnualIndicatorFactory,
    Audience,
    CertificationFactory,
    Endpoint,
    check_endpoint,
    uscc_for,
)
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise

WRITES = (Enterprise, AnnualIndicator, Certification)


def _xlsx(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "upload.xlsx"
    return buf


def _enterprise_form(ctx):
    return {
        "uscc": uscc_for(777001), "name": "东湖新登记科技有限公司", "region": ctx.regions.east.pk,
        "industry_code": "C3511", "legal_form": "limited", "established_on": "2018-05-04",
        "tax_collection": "查账征收", "is_credit_clean": "on",
    }


def _edit_form(ctx):
    data = _enterprise_form(ctx)
    data.update(uscc=ctx.ent.uscc, name="东湖改名科技有限公司")
    return data


def _indicator_form(ctx):
    return {"year": 2018, "staff_total": 50, "st_staff": 10}


def _certification_form(ctx):
    return {"kind": "national_tech_sme", "status": "granted", "year": 2018}


def _enterprise_import(ctx):
    return {"file": _xlsx([["统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期"],
                           [uscc_for(777002), "导入科技有限公司", "东湖街道", "C3511",
                            "2017-01-02"]]),
            "mode": "commit", "sync": "1"}


def _indicator_import(ctx):
    return {"file": _xlsx([["统一社会信用代码", "年度", "职工总数（人）"],
                           [ctx.ent.uscc, 2017, 40]]), "mode": "commit", "sync": "1"}


def _certification_import(ctx):
    return {"file": _xlsx([["统一社会信用代码", "类别", "年度", "状态"],
                           [ctx.ent.uscc, "国家科技型中小企业", 2017, "已认定"]]),
            "mode": "commit", "sync": "1"}


API = "/api/enterprises"

ENDPOINTS = [
    # pages
    Endpoint("enterprise list", "GET", lambda c: "/enterprises/", object_level=False),
    Endpoint("enterprise detail", "GET", lambda c: f"/enterprises/{c.ent.pk}/"),
    Endpoint("enterprise add page", "GET", lambda c: "/enterprises/add/", object_level=False),
    # Out of region the street is not offered in the form: 400 with a field error.
    Endpoint("enterprise add", "POST", lambda c: "/enterprises/add/", _enterprise_form,
             ok=302, out_of_region=400, writes=WRITES),
    Endpoint("enterprise edit page", "GET", lambda c: f"/enterprises/{c.ent.pk}/edit/"),
    Endpoint("enterprise edit", "POST", lambda c: f"/enterprises/{c.ent.pk}/edit/", _edit_form,
             ok=302, writes=WRITES),
    Endpoint("enterprise import page", "GET", lambda c: "/enterprises/import/",
             object_level=False),
    # Out of region the job reports the region error and writes nothing.
    Endpoint("enterprise import", "POST", lambda c: "/enterprises/import/", _enterprise_import,
             ok=302, out_of_region=302, writes=WRITES),
    Endpoint("indicator list", "GET", lambda c: "/enterprises/indicators/", object_level=False),
    Endpoint("indicator add page", "GET", lambda c: f"/enterprises/{c.ent.pk}/indicators/add/"),
    Endpoint("indicator add", "POST", lambda c: f"/enterprises/{c.ent.pk}/indicators/add/",
             _indicator_form, ok=302, writes=WRITES),
    Endpoint("indicator edit page", "GET",
             lambda c: f"/enterprises/{c.ent.pk}/indicators/{c.indicator.pk}/edit/"),
    Endpoint("indicator edit", "POST",
             lambda c: f"/enterprises/{c.ent.pk}/indicators/{c.indicator.pk}/edit/",
             lambda c: {"year": 2019, "staff_total": 120, "st_staff": 30}, ok=302,
             writes=WRITES),
    Endpoint("indicator import page", "GET", lambda c: "/enterprises/indicators/import/",
             object_level=False),
    Endpoint("indicator import", "POST", lambda c: "/enterprises/indicators/import/",
             _indicator_import, ok=302, out_of_region=302, writes=WRITES),
    Endpoint("certification list", "GET", lambda c: "/enterprises/certifications/",
             object_level=False),
    Endpoint("certification add page", "GET",
             lambda c: f"/enterprises/{c.ent.pk}/certifications/add/"),
    Endpoint("certification add", "POST",
             lambda c: f"/enterprises/{c.ent.pk}/certifications/add/", _certification_form,
             ok=302, writes=WRITES),
    Endpoint("certification edit page", "GET",
             lambda c: f"/enterprises/{c.ent.pk}/certifications/{c.cert.pk}/edit/"),
    Endpoint("certification edit", "POST",
             lambda c: f"/enterprises/{c.ent.pk}/certifications/{c.cert.pk}/edit/",
             lambda c: {"kind": "high_tech", "status": "granted", "year": 2019,
                        "number": "GR201933000777", "issued_on": "2019-12-02",
                        "note": "已复核"}, ok=302, writes=WRITES),
    Endpoint("certification import page", "GET", lambda c: "/enterprises/certifications/import/",
             object_level=False),
    Endpoint("certification import", "POST", lambda c: "/enterprises/certifications/import/",
             _certification_import, ok=302, out_of_region=302, writes=WRITES),
    # API
    Endpoint("api enterprise list", "GET", lambda c: f"{API}/enterprises/", api=True,
             object_level=False),
    Endpoint("api enterprise detail", "GET", lambda c: f"{API}/enterprises/{c.ent.pk}/",
             api=True),
    # Out of region the service refuses the street: 403, nothing written.
    Endpoint("api enterprise create", "POST", lambda c: f"{API}/enterprises/",
             lambda c: {"uscc": uscc_for(777003), "name": "接口登记科技有限公司",
                        "region": c.regions.east.code, "industry_code": "C3511",
                        "established_on": "2019-01-01"},
             api=True, ok=201, out_of_region=403, writes=WRITES),
    Endpoint("api enterprise update", "PUT", lambda c: f"{API}/enterprises/{c.ent.pk}/",
             lambda c: {"uscc": c.ent.uscc, "name": "接口改名科技有限公司",
                        "region": c.regions.east.code, "industry_code": "C3511",
                        "established_on": "2015-06-01"}, api=True, writes=WRITES),
    Endpoint("api enterprise partial update", "PATCH",
             lambda c: f"{API}/enterprises/{c.ent.pk}/", lambda c: {"address": "东湖路8号"},
             api=True, writes=WRITES),
    # No role holds delete permissions on the registry: refused for everyone.
    Endpoint("api enterprise delete", "DELETE", lambda c: f"{API}/enterprises/{c.ent.pk}/",
             api=True, writes=WRITES,
             extra={Audience.OUT_OF_REGION: 403, Audience.IN_REGION: 403}),
    Endpoint("api indicator list", "GET", lambda c: f"{API}/indicators/", api=True,
             object_level=False),
    Endpoint("api indicator detail", "GET", lambda c: f"{API}/indicators/{c.indicator.pk}/",
             api=True),
    # a credit code the user cannot see is answered like one nobody registered (400)
    Endpoint("api indicator create", "POST", lambda c: f"{API}/indicators/",
             lambda c: {"enterprise": c.ent.uscc, "year": 2018, "staff_total": 10},
             api=True, ok=201, out_of_region=400, writes=WRITES),
    Endpoint("api indicator update", "PATCH", lambda c: f"{API}/indicators/{c.indicator.pk}/",
             lambda c: {"staff_total": 101}, api=True, writes=WRITES),
    Endpoint("api certification list", "GET", lambda c: f"{API}/certifications/", api=True,
             object_level=False),
    Endpoint("api certification detail", "GET",
             lambda c: f"{API}/certifications/{c.cert.pk}/", api=True),
    Endpoint("api certification create", "POST", lambda c: f"{API}/certifications/",
             lambda c: {"enterprise": c.ent.uscc, "kind": "national_tech_sme", "year": 2018,
                        "status": "granted"}, api=True, ok=201, out_of_region=400,
             writes=WRITES),
    Endpoint("api certification update", "PATCH",
             lambda c: f"{API}/certifications/{c.cert.pk}/", lambda c: {"note": "接口复核"},
             api=True, writes=WRITES),
    Endpoint("api schema", "GET", lambda c: "/api/schema/", api=True,
             extra={Audience.NO_PERMISSION: 200, Audience.OUT_OF_REGION: 200}),
]


@pytest.fixture
def ctx(regions, ent_east):
    ent_east.established_on = dt.date(2015, 6, 1)
    indicator = AnnualIndicatorFactory(enterprise=ent_east, year=2019, staff_total=100,
                                       st_staff=20)
    cert = CertificationFactory(enterprise=ent_east, year=2019, number="GR201933000001")
    from types import SimpleNamespace

    return SimpleNamespace(regions=regions, ent=ent_east, indicator=indicator, cert=cert)


@pytest.fixture
def audience_users(expert, sub_west, sub_east):
    return {Audience.ANONYMOUS: None, Audience.NO_PERMISSION: expert,
            Audience.OUT_OF_REGION: sub_west, Audience.IN_REGION: sub_east}


@pytest.mark.parametrize("audience", list(Audience), ids=str)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_enterprise_permission_matrix(endpoint, audience, ctx, audience_users, client_for):
    client = client_for(audience_users[audience])
    check_endpoint(client, endpoint, audience, ctx)


# --- what the permitted requests did ------------------------------------------------------

def test_in_region_edit_changes_the_enterprise(ctx, sub_east, client_for, changes):
    check_endpoint(client_for(sub_east), ENDPOINTS[5], Audience.IN_REGION, ctx)
    ctx.ent.refresh_from_db()
    assert ctx.ent.name == "东湖改名科技有限公司"
    assert [r.actor for r in changes()] == [sub_east]


def test_out_of_region_list_hides_the_object(ctx, sub_west, client_for):
    client = client_for(sub_west)
    assert ctx.ent.name not in client.get("/enterprises/").content.decode()
    assert client.get(f"{API}/enterprises/").json()["count"] == 0
    assert client.get(f"{API}/indicators/").json()["count"] == 0
    assert client.get(f"{API}/certifications/").json()["count"] == 0


def test_out_of_region_import_reports_region_error(ctx, sub_west, client_for):
    from kechuang.core.models import Job

    client = client_for(sub_west)
    client.post("/enterprises/import/", _enterprise_import(ctx))
    job = Job.objects.get()
    assert job.result["errors"] == [
        {"row": 2, "column": "所属区域", "message": "所属区域“东湖街道”不在您的数据权限范围内"}]


def test_api_create_out_of_region_gives_chinese_reason(ctx, sub_west, client_for):
    response = client_for(sub_west).post(f"{API}/enterprises/", ENDPOINTS[24].data(ctx),
                                         content_type="application/json")
    assert response.json() == {"detail": "不能在您的数据权限范围之外登记企业"}


def test_enterprise_user_sees_and_edits_only_its_own_enterprise(ctx, ent_west, ent_user,
                                                                client_for):
    client = client_for(ent_user)
    assert client.get("/enterprises/mine/")["Location"] == f"/enterprises/{ctx.ent.pk}/"
    assert client.get(f"/enterprises/{ctx.ent.pk}/").status_code == 200
    assert client.get(f"/enterprises/{ent_west.pk}/").status_code == 404
    assert client.get(f"/enterprises/{ent_west.pk}/edit/").status_code == 404
    listed = client.get(f"{API}/enterprises/").json()
    assert [e["id"] for e in listed["results"]] == [ctx.ent.pk]
    before = Enterprise.objects.values().get(pk=ent_west.pk)
    response = client.patch(f"{API}/enterprises/{ent_west.pk}/", {"address": "偷改"},
                             content_type="application/json")
    assert response.status_code == 404
    assert Enterprise.objects.values().get(pk=ent_west.pk) == before


def test_enterprise_user_cannot_change_code_region_or_industry(ctx, ent_user, client_for,
                                                               regions):
    uscc = ctx.ent.uscc
    data = _edit_form(ctx)
    data.update(uscc=uscc_for(555555), region=regions.west.pk, industry_code="I6510",
                name="本企业新名称")
    response = client_for(ent_user).post(f"/enterprises/{ctx.ent.pk}/edit/", data)
    assert response.status_code == 302
    ctx.ent.refresh_from_db()
    assert (ctx.ent.name, ctx.ent.uscc, ctx.ent.region, ctx.ent.industry_code) == (
        "本企业新名称", uscc, regions.east, "C3511")


def test_enterprise_user_cannot_create_enterprises(ent_user, client_for, regions, ctx):
    client = client_for(ent_user)
    assert client.get("/enterprises/add/").status_code == 403
    assert client.post(f"{API}/enterprises/", {}, content_type="application/json"
                       ).status_code == 403


def test_enterprise_user_records_indicators_for_its_own_enterprise(ctx, ent_user, client_for,
                                                                  ent_west):
    client = client_for(ent_user)
    response = client.post(f"/enterprises/{ctx.ent.pk}/indicators/add/",
                           {"year": 2018, "staff_total": 12, "st_staff": 3})
    assert response.status_code == 302
    assert AnnualIndicator.objects.get(enterprise=ctx.ent, year=2018).st_staff == 3
    response = client.post(f"/enterprises/{ent_west.pk}/indicators/add/",
                           {"year": 2018, "staff_total": 12, "st_staff": 3})
    assert response.status_code == 404
    assert not AnnualIndicator.objects.filter(enterprise=ent_west).exists()
