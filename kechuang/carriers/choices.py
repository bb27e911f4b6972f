from django.db import models


class CarrierKind(models.TextChoices):
    RESEARCH_INSTITUTE = "research_institute", "研究院"
    KEY_LABORATORY = "key_laboratory", "重点实验室"
    ENGINEERING_CENTRE = "engineering_centre", "工程技术研究中心"
    INNOVATION_COMPLEX = "innovation_complex", "产业创新综合体"
    PILOT_BASE = "pilot_base", "中试基地"
    MAKERSPACE = "makerspace", "众创空间"
    INCUBATOR = "incubator", "孵化器"
    ACCELERATOR = "accelerator", "加速器"
    ACADEMICIAN_WORKSTATION = "academician_workstation", "院士工作站"
    STAR_INNOVATION = "star_innovation", "星创天地"
    UNIVERSITY = "university", "高校"
    OTHER = "other", "其他"


class CarrierLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"
    NONE = "none", "未认定"
