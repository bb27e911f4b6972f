"""The work summary's structure, after the seed (一、年度工作总结 with five sections).

Each sentence is a prefix, clauses (one figure each) and a suffix. A clause whose figure has no
data is left out; a sentence with no clause left is left out; the missing codes are listed in
the 数据缺口 note. ``{v}`` in a clause marks where the figure goes; the comparative phrase
(同比, 历年之最, 全市排名) follows the figure unless ``compare=False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Clause:
    code: str
    text: str  # "新增国家科技型中小企业{v}"
    compare: bool = True


@dataclass(frozen=True)
class Sentence:
    clauses: tuple[Clause, ...]
    prefix: str = ""
    suffix: str = "。"
    sep: str = "，"


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    sentences: tuple[Sentence, ...]
    charts: tuple[str, ...] = field(default=())


def _c(code: str, text: str, compare: bool = True) -> Clause:
    return Clause(code, text, compare)


ANNUAL_SECTIONS: tuple[Section, ...] = (
    Section("s1", "（一）聚焦“科技争投”主线，实施创新驱动战略。", (
        Sentence((_c("hitech_industry_value_added", "高新技术产业增加值{v}"),
                  _c("rd_expense_above_scale_industrial", "规上工业企业研发费用{v}")),
                 prefix="{{ period_label }}，我区", sep="；"),
        Sentence((_c("tech_loans_count", "{v}", compare=False),
                  _c("tech_loans_amount", "{v}")),
                 prefix="{{ this_year }}累计发放科技金融贷款", sep=""),
    ), charts=("trend", "rank")),
    Section("s2", "（二）聚焦产业转型，强化创新主体培育。", (
        Sentence((_c("new_national_tech_sme", "国家科技型中小企业{v}"),
                  _c("new_municipal_tech_sme", "市科技型中小企业{v}")),
                 prefix="{{ this_year }}新增", sep="、"),
        Sentence((_c("hitech_applications", "{v}"),
                  _c("hitech_applications_first_time", "其中新申报{v}")),
                 prefix="组织申报{{ year }}年高新技术企业"),
        Sentence((_c("provincial_innovation_complexes_new", "新增省级产业创新综合体{v}"),
                  _c("provincial_innovation_complexes_total", "省级累计{v}", compare=False))),
        Sentence((_c("project_applications", "组织申报各类科技项目{v}"),
                  _c("national_key_rd_projects", "其中国家重点研发计划项目{v}"),
                  _c("municipal_2025_major_projects", "市“科技创新2025”重大专项{v}"))),
        Sentence((_c("municipal_projects_approved", "获批市级科技项目{v}"),
                  _c("st_awards", "获省市科技进步奖{v}"))),
    ), charts=("tiers", "tech_sme")),
    Section("s3", "（三）整合创新资源，加快科技成果转化。", (
        Sentence((_c("matchmaking_events", "开展院企对接活动{v}"),
                  _c("matchmaking_participants", "参与人数{v}"),
                  _c("achievements_presented", "推介科技成果{v}"),
                  _c("teams_introduced", "引进科技创新团队{v}")), sep="、"),
        Sentence((_c("achievements_introduced", "引进科技成果{v}"),
                  _c("tech_transaction_amount", "实现技术交易额{v}")),
                 prefix="{{ period_label }}", sep="，"),
    )),
    Section("s4", "（四）聚焦人才引培，完善“双创”生态体系。", (
        Sentence((_c("talent_events", "举办大型科技人才活动{v}"),
                  _c("overseas_engineers_matched", "对接海外工程师{v}"),
                  _c("talent_projects_introduced", "引进人才项目{v}"),
                  _c("enterprise_services", "服务企业{v}"),
                  _c("problems_solved", "解决问题{v}")), sep="、"),
        Sentence((_c("startup_projects", "新引进注册人才创业项目{v}"),
                  _c("startup_projects_high_level", "其中海内外高层次人才项目{v}"))),
    )),
    Section("s5", "（五）聚焦科学普及，提升科协工作质量。", (
        Sentence((_c("academician_workstations", "搭建并申报市级院士工作站{v}"),)),
        Sentence((_c("volunteer_teams", "组建成立科技志愿服务队{v}"),
                  _c("volunteers", "凝聚科技工作者{v}")), sep="、"),
        Sentence((_c("science_associations_new", "新成立园区科协和企业科协{v}"),
                  _c("science_venues_new", "新建科普展馆{v}"))),
    )),
)


def all_codes(sections=ANNUAL_SECTIONS) -> list[str]:
    return [c.code for s in sections for sent in s.sentences for c in sent.clauses]


def sentence_jinja(sentence: Sentence) -> str:
    """The sentence as a docxtpl/Jinja expression the bureau can edit in Word."""
    codes = [c.code for c in sentence.clauses]
    cond = " or ".join(f"f.{c}" for c in codes)
    parts = [f"{{% if {cond} %}}{{% set ns = namespace(n=0) %}}{sentence.prefix}"]
    for clause in sentence.clauses:
        placeholder = f"{{{{ f.{clause.code}.text }}}}"
        if clause.compare:
            placeholder += f"{{{{ f.{clause.code}.phrase }}}}"
        body = clause.text.replace("{v}", placeholder)
        sep = f"{{% if ns.n %}}{sentence.sep}{{% endif %}}" if sentence.sep else ""
        parts.append(f"{{% if f.{clause.code} %}}{sep}{body}{{% set ns.n = 1 %}}{{% endif %}}")
    parts.append(f"{sentence.suffix}{{% endif %}}")
    return "".join(parts)


def section_jinja(section: Section) -> str:
    return "".join(sentence_jinja(s) for s in section.sentences)
