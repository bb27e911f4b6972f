import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from kechuang.achievements import services
from kechuang.achievements.models import Achievement
from kechuang.audit.models import ChangeRecord
from kechuang.core import importing

pytestmark = pytest.mark.django_db


def _data(region, **extra):
    return {"owner_name": "示例大学", "title": "印染废水处理工艺",
            "abstract": "膜生物反应器处理印染废水的工艺。", "field": "07", "region": region,
            **extra}


def test_create_review_and_audit(staff, regions):
    obj = services.create_achievement(actor=staff, data=_data(regions.east))
    assert obj.status == "pending"
    services.review_achievement(actor=staff, achievement=obj, approve=True)
    obj.refresh_from_db()
    assert obj.status == "published"
    actions = list(ChangeRecord.objects.filter(object_id=str(obj.pk),
                                               content_type__model=type(obj)._meta.model_name).values_list("action",
                                                                                  flat=True))
    assert sorted(actions) == ["achievement.publish", "create"]


def test_street_user_cannot_place_an_achievement_elsewhere(regions):
    from kechuang.accounts.choices import RoleCode
    from kechuang.core.testing.factories import make_user

    user = make_user(RoleCode.SUBDISTRICT, region=regions.east, username="jd",
                     perms=("achievements.add_achievement",), scope="region_tree")
    services.create_achievement(actor=user, data=_data(regions.east))
    # in-region is fine; a non-portal user with region scope cannot write elsewhere
    user_without_add = make_user(RoleCode.SUBDISTRICT, region=regions.east, username="jd2")
    with pytest.raises(PermissionDenied):
        services.create_achievement(actor=user_without_add, data=_data(regions.west))
    assert Achievement.objects.count() == 1


@pytest.mark.parametrize(("_case", "data", "field"), [
    ("punctuation_title", {"title": "？？"}, "title"),
    ("punctuation_abstract", {"abstract": "，。！？；：“”‘’（）【】《》……——"}, "abstract"),
])
def test_text_without_words_is_rejected(staff, regions, _case, data, field):
    with pytest.raises(ValidationError) as exc:
        services.create_achievement(actor=staff, data=_data(regions.east, **data))
    assert field in exc.value.message_dict
    assert Achievement.objects.count() == 0


@pytest.fixture
def published_by_expert(expert, staff, regions):
    obj = services.create_achievement(actor=expert, data=_data(
        regions.east, keywords=["膜生物反应器"], maturity="4_pilot", transfer_mode="license"))
    return services.review_achievement(actor=staff, achievement=obj, approve=True)


def test_the_owner_changing_public_keywords_resubmits_the_achievement(expert,
                                                                      published_by_expert):
    obj = published_by_expert
    services.update_achievement(actor=expert, achievement=obj,
                                data={"keywords": "低价转让，请加微信"})
    obj.refresh_from_db()
    assert (obj.status, obj.keywords) == ("pending", ["低价转让", "请加微信"])


def test_the_owner_saving_the_same_text_with_a_new_price_stays_published(expert, regions,
                                                                        published_by_expert):
    obj = published_by_expert
    services.update_achievement(actor=expert, achievement=obj, data=_data(
        regions.east, keywords="膜生物反应器", price=Decimal("300000")))
    obj.refresh_from_db()
    assert (obj.status, obj.price) == ("published", Decimal("300000"))


def test_bad_patent_number(staff, regions):
    with pytest.raises(ValidationError) as exc:
        services.create_achievement(actor=staff, data=_data(regions.east, ip_type="invention",
                                                            ip_number="12345"))
    assert "ip_number" in exc.value.message_dict


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = importing.DATA_SHEET
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_import_good_file_and_export_roundtrip(staff, regions):
    imp = importing.get_importer("achievements")
    headers = [c.header for c in imp.columns]
    row = dict.fromkeys(headers)
    row.update({"成果名称": "纳米纤维素复合材料", "成果持有方": "示例大学",
                "成果简介": "纳米纤维素增强聚乳酸复合材料的制备方法。", "技术领域": "新材料",
                "所属区域": "东湖街道", "关键词": "纳米纤维素，聚乳酸", "直接发布": "是"})
    result = importing.run_import(imp, _xlsx([headers, [row[h] for h in headers]]), actor=staff)
    assert result.errors == []
    assert result.created == 1
    obj = Achievement.objects.get()
    assert obj.keywords == ["纳米纤维素", "聚乳酸"]
    assert obj.status == "published"


def test_import_bad_rows_report_exact_errors_and_write_nothing(staff, regions):
    imp = importing.get_importer("achievements")
    headers = [c.header for c in imp.columns]

    def row(**values):
        r = dict.fromkeys(headers)
        r.update(values)
        return [r[h] for h in headers]

    result = importing.run_import(imp, _xlsx([
        headers,
        row(成果名称="好", 成果持有方="甲", 成果简介="太短", 技术领域="新材料",
            所属区域="东湖街道"),
        row(成果名称="正常名称", 成果持有方="乙", 成果简介="这是一段足够长的成果简介文字。",
            技术领域="火星技术", 所属区域="不存在街道"),
    ]), actor=staff)
    got = {(e.row, e.column) for e in result.errors}
    assert got == {(2, "成果名称"), (2, "成果简介"), (3, "技术领域"), (3, "所属区域")}
    assert Achievement.objects.count() == 0


@pytest.mark.parametrize(("_case", "payload", "message"), [
    ("empty", b"", "文件为空"),
    ("not_excel", b"name,title\n1,2", "不是Excel"),
])
def test_import_unreadable_files(staff, regions, _case, payload, message):
    result = importing.run_import(importing.get_importer("achievements"), io.BytesIO(payload),
                                  actor=staff)
    assert message in result.errors[0].message
    assert Achievement.objects.count() == 0


def test_import_missing_required_column(staff, regions):
    result = importing.run_import(importing.get_importer("achievements"),
                                  _xlsx([["成果名称"], ["某成果"]]), actor=staff)
    assert any("缺少必填列" in e.message for e in result.errors)
