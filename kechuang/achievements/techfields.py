"""国家重点支持的高新技术领域 (2016): the 8 top-level fields and their second-level sub-fields.

Codes are stable: ``"01"``–``"08"`` for fields, ``"0101"``… for sub-fields. Demands, achievements,
experts and carriers all store these codes.
"""

from django.db import models


class TechField(models.TextChoices):
    ELECTRONIC_INFORMATION = "01", "电子信息"
    BIO_MEDICINE = "02", "生物与新医药"
    AEROSPACE = "03", "航空航天"
    NEW_MATERIALS = "04", "新材料"
    HIGH_TECH_SERVICES = "05", "高技术服务"
    NEW_ENERGY = "06", "新能源与节能"
    RESOURCES_ENVIRONMENT = "07", "资源与环境"
    ADVANCED_MANUFACTURING = "08", "先进制造与自动化"


SUB_FIELDS: dict[str, list[tuple[str, str]]] = {
    "01": [("0101", "软件"), ("0102", "微电子技术"), ("0103", "计算机产品及其网络应用技术"),
           ("0104", "通信技术"), ("0105", "广播影视技术"), ("0106", "新型电子元器件"),
           ("0107", "信息安全技术"), ("0108", "智能交通和轨道交通技术")],
    "02": [("0201", "医药生物技术"), ("0202", "中药、天然药物"), ("0203", "化学药研发技术"),
           ("0204", "药物新剂型与制剂创制技术"), ("0205", "医疗仪器、设备与医学专用软件"),
           ("0206", "轻工和化工生物技术"), ("0207", "农业生物技术")],
    "03": [("0301", "航空技术"), ("0302", "航天技术")],
    "04": [("0401", "金属材料"), ("0402", "无机非金属材料"), ("0403", "高分子材料"),
           ("0404", "生物医用材料"), ("0405", "精细和专用化学品"),
           ("0406", "与文化艺术产业相关的新材料")],
    "05": [("0501", "研发与设计服务"), ("0502", "检验检测认证与标准服务"),
           ("0503", "信息技术服务"), ("0504", "高技术专业化服务"),
           ("0505", "知识产权与成果转化服务"), ("0506", "电子商务与现代物流技术"),
           ("0507", "城市管理与社会服务"), ("0508", "文化创意产业支撑技术")],
    "06": [("0601", "可再生清洁能源"), ("0602", "核能及氢能"),
           ("0603", "新型高效能量转换与储存技术"), ("0604", "高效节能技术")],
    "07": [("0701", "水污染控制与水资源利用技术"), ("0702", "大气污染控制技术"),
           ("0703", "固体废弃物处置与综合利用技术"), ("0704", "物理性污染防治技术"),
           ("0705", "环境监测及环境事故应急处理技术"), ("0706", "生态环境建设与保护技术"),
           ("0707", "清洁生产技术"), ("0708", "资源勘查、高效开采与综合利用技术")],
    "08": [("0801", "工业生产过程控制系统"), ("0802", "安全生产技术"),
           ("0803", "高性能、智能化仪器仪表"), ("0804", "先进制造工艺与装备"),
           ("0805", "新型机械"), ("0806", "电力系统与设备"),
           ("0807", "汽车及轨道车辆相关技术"), ("0808", "高技术船舶与海洋工程装备设计制造技术"),
           ("0809", "传统文化产业改造技术")],
}

SUB_FIELD_CHOICES: list[tuple[str, str]] = [
    (code, f"{TechField(parent).label} / {label}")
    for parent, subs in SUB_FIELDS.items() for code, label in subs
]
_SUB_LABELS = {code: label for subs in SUB_FIELDS.values() for code, label in subs}
_FIELD_LABELS = dict(TechField.choices)


def field_label(code: str | None) -> str:
    """Display label of a field or sub-field code ('' when unknown)."""
    if not code:
        return ""
    return _FIELD_LABELS.get(code) or _SUB_LABELS.get(code, "")


def parent_of(sub_code: str) -> str:
    return sub_code[:2]


def is_field(code: str) -> bool:
    return code in _FIELD_LABELS


def is_sub_field(code: str, parent: str | None = None) -> bool:
    return code in _SUB_LABELS and (parent is None or code[:2] == parent)


def field_by_label(label: str) -> str | None:
    """Resolve a label (as typed in Excel) to a field code; also accepts the code itself."""
    label = (label or "").strip()
    if label in _FIELD_LABELS:
        return label
    for code, name in _FIELD_LABELS.items():
        if name == label:
            return code
    return None


def sub_field_by_label(label: str) -> str | None:
    label = (label or "").strip()
    if label in _SUB_LABELS:
        return label
    for code, name in _SUB_LABELS.items():
        if name == label or f"{_FIELD_LABELS[code[:2]]} / {name}" == label:
            return code
    return None
