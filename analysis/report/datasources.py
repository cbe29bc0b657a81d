"""Tables for the data-sources appendix, generated from ``data/MANIFEST.yaml`` and the schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.coding.codebook import load_codebook_table
from analysis.coding.inputs import load_coded_table
from analysis.data import io, provenance
from analysis.data.errors import DataError
from analysis.data.schemas.common import SCHEMAS
from analysis.data.schemas.rules import TableRule, rules_of
from analysis.did.panel import check_alliances
from analysis.report.format import study_name
from analysis.sem.reported import SEM_TABLES, check_reported

__all__ = [
    "FIELD_ZH",
    "RULE_ROW",
    "ProvenanceReport",
    "data_dictionary",
    "field_meaning",
    "files_table",
    "load_entry",
    "provenance_report",
    "seeds_table",
]

_KIND_ZH = {
    "seed_lines": "原文摘录",
    "repository": "公开仓库",
    "web_page": "公开网页",
    "authored": "本书编写",
}

_RowCheck = Callable[[pd.DataFrame, io.Manifest, Path, str], list[str]]


def _quotations(id_col: str) -> _RowCheck:
    def check(table: pd.DataFrame, manifest: io.Manifest, seeds_dir: Path, where: str) -> list[str]:
        return provenance.check_quotations(table, manifest, seeds_dir, where, id_col)

    return check


#: Table name -> the provenance check of its rows.
_ROW_CHECKS: dict[str, _RowCheck] = {
    "reform_events": provenance.check_events,
    "source_studies": provenance.check_source_studies,
    **dict.fromkeys(SEM_TABLES, check_reported),
    "did_alliance_membership": check_alliances,
}
# Every other seed-lines table: each row's evidence_zh in its cited lines, rows named by their
# first column (the table's id).


def load_entry(entry: io.ManifestFile, manifest: io.Manifest) -> pd.DataFrame:
    """A data file as its validated table, its codes checked against the codebook.

    The codebook itself is read by its own module.
    """
    if entry.schema == "codebook":
        return load_codebook_table(manifest)
    return load_coded_table(entry.name, manifest)


def files_table(manifest: io.Manifest) -> pd.DataFrame:
    """One row per data file: path under ``data/``, content, source, synthetic flag, rows, checksum."""
    rows = []
    for entry in manifest.files.values():
        frame = load_entry(entry, manifest)
        seeds = list(entry.source.get("seeds", []))
        source = _KIND_ZH.get(entry.source["kind"], entry.source["kind"])
        if seeds:
            source += "（" + ("全部" if len(seeds) == len(manifest.seeds) else "、".join(seeds)) + "）"
        rows.append(
            {
                "文件（data/ 下）": entry.path,
                "内容": entry.title_zh,
                "来源": source,
                "合成": "是" if entry.synthetic else "否",
                "行数": len(frame),
                "SHA-256（前 8 位）": entry.sha256[:8],
            }
        )
    return pd.DataFrame(rows)


def seeds_table(manifest: io.Manifest) -> pd.DataFrame:
    """The source files of the five studies with their line counts and checksums."""
    return pd.DataFrame(
        [
            {
                "来源文件": sid,
                "研究": study_name(sid)
                if sid != "004"
                else f"{study_name('004A')}与{study_name('004B')}（拼接）",
                "文件名": info["file"],
                "行数": int(info["lines"]),
                "SHA-256（前 16 位）": str(info["sha256"])[:16],
            }
            for sid, info in sorted(manifest.seeds.items())
        ]
    )


#: What each field of the data files means, by column name; ``"table.column"`` where a name means
#: something else in one table. :func:`data_dictionary` fails on a field that is not described here.
FIELD_ZH: dict[str, str] = {
    # provenance, shared by every table cut from the source studies
    "seed_id": "来源文件编号（000–004，见“来源文件”表）",
    "line_from": "所引原文的起始行（按换行符计数，从 1 起）",
    "line_to": "所引原文的结束行",
    "evidence_zh": "原文摘录，逐字；OCR 文本中打乱的片段以省略号相连，每个片段都必须出现在所引行中",
    "note_en": "整理者的英文备注（转录时的判断与疑点），不进入正文",
    "certainty": "记录的可信度：high 高、medium 中、low 低（统计量表另有 uncertain 部分数字丢失、"
    "inferred 由其他印出值推断、missing 无法辨认）",
    "date_source": "日期来源：stated 原文印出，inferred 据上下文推断",
    "year": "年份",
    "title_zh": "标题（中文）",
    "level": "层级",
    "reform_events.level": "事件层级：national 全国、regional 跨省区域、local 省市及以下",
    "krippendorff_published.level": "测量尺度：nominal 定类、ordinal 定序、interval 定距、ratio 定比",
    "value": "数值",
    "quantity": "量的名称",
    # reform_events
    "event_id": "事件编号（E01 起，与导论的时间线一致）",
    "date": "日期，精度见 date_precision（2019、2019-03 或 2019-03-02）",
    "date_precision": "日期精度：year 只知年份、month 精确到月、day 精确到日",
    "description_zh": "事件的简要说明",
    "region": "事件所属地区（全国、区域名或地方名）",
    # source_studies
    "seed_file": "来源文件的文件名",
    "authors_zh": "原文印出的作者；未印出则留空",
    "source_studies.year": "原文印出（或可推断）的出版年份；未印出则留空",
    "source_studies.title_zh": "原文印出的题目；未印出则留空",
    "doc_type": "文献类型：journal_article 期刊论文、phd_thesis 博士学位论文、spliced_texts 拼接文本、"
    "web_reprint 网络转载",
    "cases_zh": "研究的案例",
    "framework_zh": "研究自述的分析框架",
    "design_zh": "研究设计与资料",
    "year_source": "年份来源：stated 原文印出、inferred 推断（如据 DOI）、not_printed 未印出",
    # Krippendorff examples
    "example": "公开算例的名称",
    "coder": "编码员",
    "unit": "编码单元的编号",
    "krippendorff_examples.value": "编码员给该单元的取值；空表示缺失",
    "published": "公开的 α 值",
    "decimals": "公开值的小数位数（复现比较时的精度）",
    # codebook
    "kind": "代码种类：integrated 整合代码、framework 研究自身的框架代码",
    "study": "框架所属的研究（000–003，004A 为C市摘要，004B 为S市A区论文）；整合代码留空",
    "code_id": "代码编号",
    "parent_id": "上位代码的编号；顶层代码留空",
    "name_zh": "代码的中文名称",
    "name_en": "代码的英文名称（交换格式中使用）",
    "definition_zh": "定义",
    "include_zh": "纳入规则：何时使用该代码",
    "exclude_zh": "排除规则：何时不用、应改用哪个相邻代码",
    "crosswalk": "与各研究框架概念的对照（研究:代码，以分号分隔）",
    "codebook.evidence_zh": "例证：原文的逐字摘录",
    # coding
    "segment_id": "片段编号（SEG-案例-序号）",
    "case_id": "案例编号（如 ZJ-HS 浙江红色教学一点通、LX L市X局、QWJ 长三角青吴嘉）",
    "source_type": "来源类型：interview 访谈、policy_document 政策文件、author_narrative 作者叙述、"
    "news 新闻报道",
    "codes": "整合二级代码，以分号分隔",
    "framework_codes": "研究自身的框架代码（研究:代码），以分号分隔",
    "coded_segments.coder": "编码员（A 为第一编码员）",
    "coded_segments_b.coder": "编码员（B 为第二编码员）",
    "actor_codebook.kind": "条目种类：general 通用规则、type 行动者类型、role 角色",
    "actor_codebook.id": "行动者类型或角色的编号（如 GOV_OWN、production）",
    "actor_codebook.name_zh": "行动者类型或角色的中文名称",
    "segment_actors.coder": "编码员（A 编码全部片段，B 盲编抽样片段）",
    "actors": "片段中的行动者及其角色，“类型:角色”，以分号分隔；空表示没有可辨认的行动者",
    "round": "编码轮次：1 为第一轮，2 为编码表修订后的第二轮，3 为补切逐格对照所发现遗漏的片段",
    "coded_segments.round": "片段切分的轮次：1 为第一轮；3 为补切的片段，用以补足逐格对照所发现的遗漏",
    # fidelity records, framework revisions, study arguments (issue 13)
    "framework_code": "被修订的研究自身框架代码（研究:代码）",
    "framework_revisions.seed_id": "修订所依据原文的来源文件编号（即片段所出的文件）",
    "framework_revisions.line_from": "修订所依据原文的起始行",
    "framework_revisions.line_to": "修订所依据原文的结束行",
    "cell_id": "单元格编号（F研究-序号）",
    "fidelity_cells.study": "单元格所属的研究（000–003，004A 为C市摘要，004B 为S市A区论文）",
    "page": "呈现该表的章节（页面文件名）",
    "table": "该表在章节中的标签（tbl-…）",
    "row_zh": "单元格所在的行（表中的行名）",
    "column_zh": "单元格所在的列（表中的列名）",
    "case_ids": "单元格的片段取自哪些案例，以分号分隔",
    "row_codes": "单元格的行所对应的框架代码，片段须带其中之一；以分号分隔",
    "column_codes": "单元格的列所对应的框架代码，片段须带其中之一；以分号分隔；单列的表留空",
    "seed_says": "原文在该格说了什么：states 陈述、silent 未提及、denies 否定",
    "fidelity_cells.seed_id": "所引原文的来源文件编号；原文未提及时留空",
    "fidelity_cells.line_from": "所引原文的起始行；原文未提及时留空",
    "fidelity_cells.line_to": "所引原文的结束行；原文未提及时留空",
    "fidelity_cells.evidence_zh": "原文在该格的陈述或否定，逐字；原文未提及时留空",
    "arg_id": "条目编号（A研究-序号）",
    "study_arguments.study": "条目所属的研究",
    "study_arguments.kind": "条目类别：argument 主要论点、contribution 理论贡献、limit 自陈局限",
    "study_arguments.statement_zh": "本书对该条目的概括",
    "proposition_id": "命题编号（P01 起）",
    "propositions.study": "命题所属的研究框架",
    "statement_zh": "命题的表述",
    "condition_codes": "命题条件一方对应的整合代码",
    "outcome_codes": "命题结果一方对应的整合代码",
    "distinctive_codes": "命题的区分性条件：条件代码中必须同时出现的一至两个代码",
    "coder_a": "编码员 A 的判断（1 有该代码，0 无）",
    "coding_disagreements.coder_a": "编码员 A 的判断（第二轮为共识编码的判断；1 有该代码，0 无）",
    "coding_disagreements.round": "分歧所属的轮次：1 为第一轮（编码员 A 对 B），2 为第二轮（共识编码对 B）",
    "coder_b": "编码员 B 的判断（1 有该代码，0 无）",
    "resolution": "裁决方式：keep_a 维持 A（第二轮为维持共识编码）、accept_b 采纳 B、"
    "codebook_revised 修订编码表后按新规则裁定",
    "final": "裁决后的最终判断（1 有，0 无）",
    "rationale_zh": "裁决或修订的理由",
    "action": "修订动作：add 增加该代码、remove 删除该代码",
    # the meaning check of the quotations
    "scope_zh": "案例文本范围包括的部分",
    "case_units.evidence_zh": "开启案例文本的标题或语句，逐字",
    "quote_checks.code_id": "引文所证明的代码（整合代码或研究:框架代码）；空表示核查针对整个片段",
    "check": "核查项：concept 是否表达该概念、case 是否属于所归的案例、source_type 来源类型是否正确",
    "found_by": "发现方式：review 逐条审读、case_unit 超出案例文本范围、case_names 点名同一研究的其他案例、"
    "source_marker 所引行中没有与来源类型相符的标记",
    "status": "核查结论：passes 通过、fails 不通过",
    "fix": "不通过时的处理：revision 经修订表改码、not_exemplar 不作典型引文",
    "quote_checks.evidence_zh": "判断所依据的原文，逐字",
    "quote_checks.rationale_zh": "判断的理由",
    "printed_zh": "原文印出的错字或误植，逐字",
    "intended_zh": "应为的文字；无法判断则留空",
    "source_typos.found_by": "发现方式：confusable 形近或音近字、punctuation 不成对的标点、"
    "reading 阅读中发现",
    "source_typos.evidence_zh": "含错字的原文，逐字",
    "paper": "论文：004A 为C市智慧应急论文，004B 为S市A区场景论文",
    "section_zh": "论文的部分（据标题；丢失的部分据摘要或结构推断）",
    "seed004_sections.status": "存留情况：present 完整、partial 部分残缺、lost 丢失",
    "seed004_sections.evidence_zh": "显示该部分存在、被截断或被其他文字取代的原文，逐字",
    "note_zh": "说明",
    "bib_key": "本书参考文献表（references.bib）中的条目键",
    "seed_citations.evidence_zh": "来源研究参考文献表中的该条目，逐字",
    "author": "第一作者的姓（按来源研究印出的写法）",
    "seed_citations.year": "来源研究印出的出版年份",
    "title_words": "题名中在来源研究与本书参考文献表里写法一致的词",
    # SEM statistics transcribed from the thesis
    "stat_id": "统计量编号（表号_量_变量）",
    "table_zh": "论文中的表号（或“正文”）",
    "model": "模型：CFA6 六因子验证性因子模型、RES_CFA 资源变量因子模型、M0 初始模型、M1 修正模型、"
    "MED_DSC 与 MED_BPC 两个中介模型、ALL 全部",
    "sem_measurement.quantity": "量：loading 标准化载荷、cr 组合信度、ave 平均方差抽取量、alpha 克隆巴赫系数",
    "sem_latent_corr.quantity": "量：corr 潜变量相关、sqrt_ave 平均方差抽取量的平方根",
    "sem_fit.quantity": "量：拟合指标名（chi2、df、rmsea 等）或样本量 n",
    "sem_paths.quantity": "量：beta 标准化路径系数、indirect 间接效应、direct 直接效应、"
    "total 总效应及其区间上下限",
    "lhs": "左侧变量（路径的结果、载荷的因子）",
    "rhs": "右侧变量（路径的原因、载荷的题项）",
    "sem_measurement.value": "读定的数值；无法确定则留空，只给区间",
    "sem_latent_corr.value": "读定的数值；无法确定则留空，只给区间",
    "sem_fit.value": "读定的数值；无法确定则留空，只给区间",
    "sem_paths.value": "读定的数值；无法确定则留空，只给区间",
    "low": "该值可能的下限（由 OCR 可辨认的数字推出）",
    "high": "该值可能的上限",
    "legible": "OCR 文本中实际可辨认的数字",
    "respondent": "合成样本的行号（不是论文的受访者）",
    # DID panel and alliances
    "province_zh": "省份（中文）",
    "province_en": "省份（英文，供与外部数据对照）",
    "did_province_panel.year": "年份",
    "deposits_100m_cny": "年末金融机构本外币存款余额（亿元）",
    "loans_100m_cny": "年末金融机构本外币贷款余额（亿元）",
    "deposits_plus_loans_100m_cny": "存款与贷款余额之和（亿元）",
    "gdp_nominal_100m_cny": "名义地区生产总值（亿元）",
    "findev_ratio": "金融发展比率：存贷款余额之和除以名义地区生产总值",
    "alliance_id": "联盟编号：yrd 长三角、jjj 京津冀、ppd 泛珠三角、sw 西南、swgx 广西加入后的西南",
    "alliance_zh": "联盟名称",
    "event_date": "首次协议的日期",
    "first_year": "首次处理年份（双重差分中的队列）",
    "did_alliance_membership.event_id": "时间线中对应的事件编号",
    "timeline_id": "博士论文时间线中的编号",
    "region_zh": "所属的七大地理分区",
    # published reference numbers
    "aggregation": "汇总方式：att_gt 组别×时期效应、dynamic 事件时间、group 组别、"
    "dynamic_overall 与 group_overall 总体",
    "group": "处理组（首次处理年份）",
    "time": "时期（年份）",
    "event_time": "相对处理的时期（事件时间）",
    "did_mpdta_published.value": "公开的估计值",
    "mbar": "相对幅度限制的参数 M̄",
    "bound": "区间的端点：lb 下限、ub 上限",
    "did_honest_published.value": "公开的区间端点",
    "compact_id": "协议编号（如 yrd 长三角、cy 川渝、silk 丝路通办、national 全国指导意见）",
    "compact_zh": "协议名称",
    "provinces_en": "协议覆盖的省份（英文名，以分号分隔；全国指导意见留空）",
    "url": "公开来源的网址",
    "page_title_zh": "来源页面的标题",
    "publisher_zh": "发布者（政府网站或媒体）",
    "finding_zh": "本书对页面内容的转述：它证实了什么日期与成员",
    "seed_check": "与刘旭然（2023）所记的对照：agrees 一致、partly 部分一致、not_in_seed 论文未记",
    "used_as": "在双重差分中的用途：main 主设定、variant 日期变体、national 全国性处理、note 仅作说明",
    "did_alliance_sources.published": "来源页面的发布日期（精度到年、月或日；未印出则留空）",
    "delta": "约束类型：rm 相对幅度、sd 平滑性",
    "parameter": "约束的参数：相对幅度下为 M̄，平滑性下为 M",
    "county_code": "县的联邦信息处理标准编码",
    "deaths": "二十至六十四岁成年人的死亡人数",
    "population_20_64": "二十至六十四岁的县人口（加权所用的权重）",
    "expansion_year": "该县所在州扩大 Medicaid 的年份（2014，或留空表示样本期内未扩大）",
    "weighted": "是否按县人口加权：yes 是、no 否",
    "did_jel_table3.statistic": "统计量：estimate 系数、se 按县聚类的标准误",
    "did_jel_table3.value": "指南表 3 印出的数值（一位小数）",
    "did_jel_attgt.value": "R did 包测试记录的加权效应值",
    "did_jel_attgt.time": "组—时效应的年份；总体汇总留空",
    "did_organ_reference.quantity": "量：twfe_coefficient 双向固定效应系数、crv1_se 聚类稳健标准误",
    "did_organ_reference.value": "对照值",
    "statistic": "统计量：模型检验、拟合指标或参数估计（estimate 估计值、se 标准误、std_all 完全标准化值）",
    "op": "参数的类型：~ 回归、=~ 载荷；拟合指标留空",
    "sem_pd_published.lhs": "参数左侧的变量",
    "sem_pd_published.rhs": "参数右侧的变量",
    "sem_pd_published.value": "公开的数值",
}
#: Columns described by a pattern: the synthetic survey items (DP1 … PV6).
_ITEM = re.compile(r"^(DP|DK|VP|DSC|BPC|PV)(\d+)$")

_DTYPE_ZH = {"string[pyarrow]": "文本", "str": "文本", "int64": "整数", "float64": "数值", "bool": "是/否"}


def field_meaning(table: str, column: str) -> str | None:
    """What a field of a data file means, or ``None`` if :data:`FIELD_ZH` does not say."""
    if f"{table}.{column}" in FIELD_ZH:
        return FIELD_ZH[f"{table}.{column}"]
    if column in FIELD_ZH:
        return FIELD_ZH[column]
    item = _ITEM.match(column)
    if item:
        return f"合成的五级量表回答：构念 {item.group(1)} 的第 {item.group(2)} 个题项"
    return None


def _values(value: object) -> str:
    items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    return "、".join("（空）" if v == "" else str(v) for v in items)


def _check_zh(check: pa.Check) -> str:
    """One pandera check in words."""
    stats = {k: v for k, v in (check.statistics or {}).items() if v is not None}
    name = str(check.name)
    if name == "isin":
        return f"取值限于 {_values(stats['allowed_values'])}"
    if name == "str_matches":
        return f"须符合格式 {stats['pattern']}"
    if name == "str_length":
        if "exact_value" in stats:
            return f"长度为 {stats['exact_value']}"
        low, high = stats.get("min_value"), stats.get("max_value")
        return (
            "长度"
            + (f"不少于 {low}" if low is not None else "")
            + (f"不超过 {high}" if high is not None else "")
        )
    if name == "greater_than_or_equal_to":
        return f"不小于 {stats['min_value']}"
    if name == "greater_than":
        return f"大于 {stats['min_value']}"
    if name == "in_range":
        return f"在 {stats['min_value']} 与 {stats['max_value']} 之间"
    if name == "isfinite":
        return "有限数值"
    return name


def _reason_zh(description: str) -> str:
    """A schema's stated reason, its kind in Chinese: ``fact: …`` is 依据事实, ``judgement: …`` 判断."""
    kind, _, reason = description.partition(": ")
    label = {"fact": "依据事实", "judgement": "依据判断"}.get(kind)
    return f"{label}：{reason}" if label else description


#: What the data dictionary writes as the meaning of a row that states a table rule, not a field.
RULE_ROW = "表级规则（跨列或跨行）"


def _kind(rule: TableRule) -> str:
    return "judgement: " if rule.judgement else "fact: "


def data_dictionary(manifest: io.Manifest) -> pd.DataFrame:
    """Every field of every data file: what it means, its type and what the loader checks.

    Raises
    ------
    KeyError
        For a field that :data:`FIELD_ZH` does not describe (name the file and the field).
    """
    rows = []
    for entry in manifest.files.values():
        schema = SCHEMAS[entry.schema]
        for i, (column, spec) in enumerate(schema.columns.items()):
            meaning = field_meaning(entry.name, column)
            if meaning is None:
                raise KeyError(f"data/{entry.path}: field {column!r} has no description in FIELD_ZH")
            checks = [_check_zh(c) for c in spec.checks]
            if spec.unique:
                checks.append("各行不重复")
            if spec.nullable:
                checks.append("可缺失")
            if spec.description:
                checks.append(_reason_zh(spec.description))
            rows.append(
                {
                    "文件": f"data/{entry.path}" if i == 0 else "",
                    "字段": column,
                    "含义": meaning,
                    "类型": _DTYPE_ZH.get(str(spec.dtype), str(spec.dtype)),
                    "取值与检查": "；".join(checks) or "—",
                }
            )
        rows += [
            {
                "文件": "",
                "字段": "、".join(rule.fields),
                "含义": RULE_ROW,
                "类型": "—",
                "取值与检查": f"{rule.rule}（{_reason_zh(_kind(rule) + rule.reason)}）",
            }
            for rule in rules_of(schema)
        ]
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ProvenanceReport:
    """Result of checking every row of every seed-lines table against its seed."""

    seeds_available: bool
    n_rows: int
    n_fragments: int
    problems: tuple[str, ...]


def provenance_report(manifest: io.Manifest) -> ProvenanceReport:
    """Check the data folder and every file's checksum, and every quotation against its seed lines.

    The source studies are found by :func:`analysis.data.io.sources` (each hash-checked); without
    them the report says so (``seeds_available`` false) and checks no quotation.
    """
    problems = [str(p) for p in io.check_data_dir(manifest)]
    for entry in manifest.files.values():
        try:
            io.read_input(entry.full_path, entry.sha256, entry.where)
        except DataError as exc:
            problems += [str(p) for p in exc.problems]
    found = io.sources(manifest)
    if not found.available:
        return ProvenanceReport(False, 0, 0, tuple(problems))
    seeds_dir = found.folder
    n_rows = n_fragments = 0
    for entry in manifest.files.values():
        if entry.source["kind"] != "seed_lines":
            continue
        frame = load_entry(entry, manifest)
        check = _ROW_CHECKS.get(entry.name, _quotations(str(frame.columns[0])))
        problems += check(frame, manifest, seeds_dir, f"data/{entry.path}")
        quoted = frame[frame["seed_id"] != ""]
        n_rows += len(quoted)
        n_fragments += sum(len(provenance.fragments(e)) for e in quoted["evidence_zh"])
    return ProvenanceReport(True, n_rows, n_fragments, tuple(problems))
