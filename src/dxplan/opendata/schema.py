"""The open-data package's schema: its resources, their fields, keys and the Frictionless descriptor.

One :class:`Resource` per long-format (縦持ち) table; each :class:`Column` says its Table Schema type, its
provenance (``x-provenance``: ``source`` — the municipality's words as written, ``computed`` — a value
dxplan computed or normalised, ``annotation`` — the transcriber's note, kept in its own column), its
unit (custom property ``unit``), its titles and descriptions in Japanese (``title``, ``description``)
and English (``title_en``, ``description_en``), and an example (docs/opendata.md shows them).

Column names follow デジタル庁's 自治体標準オープンデータセット where it has the field
(:data:`STANDARD_NAMES`: 全国地方公共団体コード, 都道府県名, 地方公共団体名, ID, 名称, 備考); the others are
English snake_case. The schema carries a version (:data:`SCHEMA_VERSION`); a change to a field's name,
type or meaning makes a new version. Fiscal years are Western start years (2024 = 令和6年度); percents 0–100.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.1.0"
"""The version of the package's schema (``datapackage.json`` ``version`` and ``x-schema-version``)."""

PROFILE = "https://dxplan.invalid/opendata/1.1.0"

Kind = Literal["source", "computed", "annotation", "label"]

#: 自治体標準オープンデータセット's column names used here (what each stands for in this package).
STANDARD_NAMES = {
    "全国地方公共団体コード": "the municipality's code (plans, actions)",
    "都道府県名": "the prefecture (plans)",
    "地方公共団体名": "the municipality (plans)",
    "ID": "a row's own identifier in its resource (plan, category, department, action, indicator)",
    "名称": "the name or title as written",
    "備考": "the source's own notes (備考), verbatim",
}


@dataclass(frozen=True)
class Column:
    """One field: ``name`` in the CSV header, Table Schema ``type``, provenance ``kind``, titles and descriptions
    (ja, en), ``unit`` (None: none), an ``example`` value as it appears in the CSV, and ``required``."""

    name: str
    type: str
    kind: Kind
    title: str
    title_en: str
    description: str
    description_en: str
    example: str
    unit: str | None = None
    required: bool = False
    unique: bool = False

    def descriptor(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title, "title_en": self.title_en,
                               "description": self.description, "description_en": self.description_en, "x-provenance": self.kind}
        if self.unit:
            out["unit"] = self.unit
        if self.type == "date":
            out["format"] = "%Y-%m-%d"
        constraints = {k: True for k, on in (("required", self.required), ("unique", self.unique)) if on}
        if constraints:
            out["constraints"] = constraints
        out["example"] = self.example
        return out


@dataclass(frozen=True)
class Resource:
    """One table: its name (``data/<name>.csv``), titles and descriptions (ja, en), columns, keys.

    ``foreign_keys``: (own fields, other resource, its fields)."""

    name: str
    title: str
    title_en: str
    description: str
    description_en: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        """The column names in order."""
        return [c.name for c in self.columns]

    def schema(self) -> dict[str, Any]:
        """The Table Schema."""
        out: dict[str, Any] = {"fields": [c.descriptor() for c in self.columns], "primaryKey": list(self.primary_key), "missingValues": [""]}
        if self.foreign_keys:
            out["foreignKeys"] = [{"fields": list(own), "reference": {"resource": other, "fields": list(theirs)}} for own, other, theirs in self.foreign_keys]
        return out


def _c(name: str, type_: str, kind: Kind, title: str, title_en: str, description: str, description_en: str, example: str,
       unit: str | None = None, required: bool = False) -> Column:
    return Column(name, type_, kind, title, title_en, description, description_en, example, unit, required)


PLAN_ID = _c("plan_id", "string", "computed", "計画ID", "plan id", "計画の識別子（plans の ID）", "the plan's id (plans.ID)", "kama", required=True)
ACTION_ID = _c("action_id", "string", "computed", "アクションID", "action id", "アクションの識別子（actions の ID）", "the action's id (actions.ID)", "13", required=True)
CODE = _c("全国地方公共団体コード", "string", "computed", "全国地方公共団体コード", "local government code",
          "総務省の全国地方公共団体コード（6桁、末尾は検査数字）。plan.yaml の municipality_code。未宣言なら空",
          "the municipality's 6-digit code (last digit a check digit), plan.yaml municipality_code; empty when not declared", "131016")
FY = _c("fiscal_year", "integer", "source", "年度", "fiscal year", "年度（西暦の開始年。令和6年度 = 2024）",
        "fiscal year as its Western start year (令和6年度 = 2024)", "2024", unit="年度")
FY_LABEL = _c("fiscal_year_label", "string", "computed", "年度（和暦）", "fiscal year (era)", "和暦の年度", "the fiscal year in era form", "令和6年度")
ROW = _c("row", "integer", "computed", "行番号", "row", "計画内での行の通し番号（1から）", "running number of the row within the plan (from 1)", "1", required=True)
NAME = _c("名称", "string", "source", "名称", "name", "名称（原文どおり）", "the name as written", "…")
NOTES = _c("備考", "string", "source", "備考", "notes", "原文の備考（複数は改行区切り）", "the source's own notes, verbatim (several joined by line breaks)", "")
PLAN_FK = (("plan_id",), "plans", ("ID",))
ACTION_FK = (("plan_id", "action_id"), "actions", ("plan_id", "ID"))


def _named(col: Column, **changes: Any) -> Column:
    from dataclasses import replace

    return replace(col, **changes)


def _key(what: str, what_en: str, example: str) -> Column:
    """The package-wide key of a row: ``<plan_id>/<ID>`` (a reference that may be empty points at it)."""
    return Column("key", "string", "computed", f"{what}キー", f"{what_en} key", "パッケージ内で一意なキー（plan_id/ID）",
                  f"the {what_en}'s key in the package (plan_id/ID)", example, required=True, unique=True)


def _ref(name: str, what: str, what_en: str, resource: str, example: str) -> Column:
    """A reference that may be empty, by package-wide key (``<resource>.key``)."""
    return Column(name, "string", "computed", f"{what}キー", f"{what_en} key", f"{what}の key（{resource}.key、なければ空）",
                  f"the {what_en}'s key ({resource}.key); empty when there is none", example)


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "plans", "計画", "plans", "計画ごとに1行", "one row per plan",
        (
            CODE,
            _c("都道府県名", "string", "source", "都道府県名", "prefecture", "都道府県名（原文どおり）", "the prefecture as written", "福岡県"),
            _c("地方公共団体名", "string", "source", "地方公共団体名", "municipality", "地方公共団体名（原文どおり）", "the municipality as written", "嘉麻市", required=True),
            _c("ID", "string", "computed", "計画ID", "plan id", "計画の識別子（フォルダ名）", "the plan's id (its folder)", "kama", required=True),
            _named(NAME, title="計画名", title_en="plan title", description="計画の名称（原文どおり）", description_en="the plan's title as written", example="第1次嘉麻市デジタル推進計画", required=True),
            _c("stage", "string", "source", "段階", "stage", "案・素案など（採択済みは空）", "案, 素案…; empty when adopted", "素案"),
            _c("period_start", "integer", "source", "計画期間（開始年度）", "first fiscal year", "計画期間の最初の年度（西暦の開始年）", "the period's first fiscal year (Western start year)", "2024", unit="年度"),
            _c("period_end", "integer", "source", "計画期間（終了年度）", "last fiscal year", "計画期間の最後の年度（西暦の開始年）", "the period's last fiscal year (Western start year)", "2026", unit="年度"),
            _c("evaluation_date", "date", "source", "評価基準日", "evaluation date", "進捗が示す日付（例：令和7年2月10日現在）", "the date the results describe", "2025-02-10"),
            _c("published", "string", "source", "発行", "published", "発行日・発行者（原文どおり）", "date and issuer as written", "令和7年2月27日 嘉麻市DX推進本部"),
            _named(NOTES),
            _c("national_frame", "string", "computed", "国の計画の版", "national plan version",
               "計画が対応する総務省「自治体DX推進計画」の版（national_items の version、未宣言なら空）",
               "the version of 総務省's 自治体DX推進計画 the plan answers to (national_items.version); empty when not declared", "2.3"),
        ),
        ("ID",),
    ),
    Resource(
        "categories", "分類", "categories", "計画の分類（大区分・中区分など）ごとに1行", "one row per node of the plan's category tree",
        (
            PLAN_ID,
            _c("ID", "string", "computed", "分類ID", "category id", "分類の識別子", "the category's id", "I-1", required=True),
            _named(NAME, example="利用機会等の格差への対応（デジタルデバイド対策）", required=True),
            _c("parent_id", "string", "computed", "上位分類ID", "parent id", "上位の分類の ID（最上位は空）", "the parent category's ID; empty at the top", "I"),
            _key("分類", "category", "kama/I-1"),
            _ref("parent_key", "上位分類", "parent category", "categories", "kama/I"),
            _c("level", "integer", "computed", "階層", "level", "分類の階層（1 = 最上位）", "depth in the tree (1 = top)", "2"),
            _c("level_label", "string", "label", "階層名", "level label", "計画が使う階層の呼び名（大区分・中区分）", "the plan's own name for the level", "中区分"),
            _c("description", "string", "source", "説明", "description", "分類の説明（原文どおり）", "the category's description as written", ""),
        ),
        ("plan_id", "ID"),
        (PLAN_FK, (("parent_key",), "", ("key",))),
    ),
    Resource(
        "departments", "担当課", "departments", "計画が挙げる担当課・組織ごとに1行", "one row per department or body the plan names",
        (
            PLAN_ID,
            _c("ID", "string", "computed", "担当課ID", "department id", "担当課の識別子（ID がなければ名称）", "the department's key (its name when it has no id)", "デジタル戦略課", required=True),
            _named(NAME, example="デジタル戦略課", required=True),
            _key("担当課", "department", "kama/デジタル戦略課"),
            _c("parent_id", "string", "computed", "所属部ID", "parent id", "所属する部の ID（計画が書く部の名前、departments にないこともある）", "its 部 as the plan keys it (not always a department row)", ""),
            _c("kind", "string", "computed", "種別", "kind", "department / division / office / generic（関係各課など）", "department, division, office or generic (関係各課…)", "department"),
            _c("role", "string", "source", "役割", "role", "推進体制での役割（原文どおり）", "the body's role as written", ""),
        ),
        ("plan_id", "ID"),
        (PLAN_FK,),
    ),
    Resource(
        "actions", "アクション", "actions", "アクション（取組・取組項目）ごとに1行", "one row per action (取組)",
        (
            CODE,
            PLAN_ID,
            _c("ID", "string", "computed", "アクションID", "action id", "アクションの識別子（計画内で一意）", "the action's id (unique in the plan)", "13", required=True),
            _c("number", "integer", "source", "番号", "number", "原文の番号", "the source's number", "13"),
            _named(NAME, title="アクション名", title_en="action title", description="アクションの名称（原文どおり）", description_en="the action's title as written", example="本庁と支所のオンライン化拡充", required=True),
            _key("アクション", "action", "kama/13"),
            _c("category_id", "string", "computed", "分類ID", "category id", "分類（categories の ID）", "the category (categories.ID)", "I-1"),
            _ref("category_key", "分類", "category", "categories", "kama/I-1"),
            _c("division", "string", "source", "部局", "division", "部局名（原文どおり）", "the 部/局 as written", ""),
            _c("owners", "string", "source", "担い手", "owners", "担当課（原文どおり、複数は改行区切り）", "the departments as written, one per line", "デジタル戦略課"),
            _c("aim", "string", "source", "目指すこと", "aim", "目指すこと（原文どおり）", "intended outcome as written", "…"),
            _c("approach", "string", "source", "やること", "approach", "やること・事業概要（原文どおり）", "what will be done, as written", "…"),
            _c("target_text", "string", "source", "目標", "target", "目標（原文どおり）", "the target as written", "本庁と支所等をつなぐシステムの検討"),
            _c("budget", "string", "source", "予算", "budget", "予算、補助金等情報（原文どおり）", "budget, as written", ""),
            _named(NOTES),
            _c("score_state", "string", "computed", "評価の状態", "evaluation state",
               "dxplan score の評価：evaluated（評価あり）/ insufficient_data（データ不足）/ not_evaluated（未評価）",
               "dxplan score's outcome: evaluated, insufficient_data or not_evaluated", "evaluated", required=True),
            _c("score_label", "string", "computed", "評価ラベル", "evaluation label",
               "evaluated のとき計画の評価尺度のラベル（達成など、計画の語）。計画に率の尺度がなければ空",
               "for evaluated actions the label of the plan's scale (the plan's word, e.g. 達成); empty when the plan declares no percent scale",
               "達成"),
            _c("score_rate", "number", "computed", "達成率", "achievement rate",
               "評価を決めた達成率（丸める前）。決める率がなければ空", "the deciding achievement rate, unrounded; empty when no rate decides",
               "100", unit="%"),
        ),
        ("plan_id", "ID"),
        (PLAN_FK, (("category_key",), "categories", ("key",))),
    ),
    Resource(
        "tasks", "タスク", "tasks", "アクション × 年度 × タスクごとに1行（計画・実施・進捗状況）",
        "one row per action × fiscal year × task (plan, result, status)",
        (
            PLAN_ID, ROW, ACTION_ID, FY, FY_LABEL,
            _c("department", "string", "source", "担当課", "department", "担当課（原文どおり）", "the department as written", "デジタル戦略課"),
            _c("department_id", "string", "computed", "担当課ID", "department id", "担当課が1つに定まるときその ID（複数課の行は空）", "the department's ID when the cell names exactly one", "デジタル戦略課"),
            _ref("department_key", "担当課", "department", "departments", "kama/デジタル戦略課"),
            _c("item", "string", "source", "項目", "item", "項目（原文どおり）", "the row's item as written", ""),
            _c("plan", "string", "source", "計画", "plan", "その年度の計画（原文どおり）", "what was planned, as written", "…"),
            _c("result", "string", "source", "実施", "result", "その年度の実施（原文どおり）", "what was done (or forecast), as written", "…"),
            _c("result_kind", "string", "computed", "実施の種別", "result kind", "actual（実績）/ forecast（見込）/ planned（予定）", "actual, forecast or planned", "forecast"),
            _c("status", "string", "source", "進捗状況", "status", "進捗状況（計画の語、原文どおり）", "the status word as written", "完了"),
            _c("state", "string", "computed", "状態", "state", "進捗状況の正規化：not_started / considering / in_progress / done（計画に宣言のない語・無記入は空）",
               "the status word's canonical state; empty for no status or an undeclared word", "done"),
            _c("progress", "number", "source", "進捗率", "progress", "明示された進捗率", "an explicit progress percent", "100", unit="%"),
            _c("timing", "string", "source", "時期", "timing", "時期（原文どおり）", "timing as written", ""),
            _named(NOTES),
        ),
        ("plan_id", "row"),
        (PLAN_FK, ACTION_FK, (("department_key",), "departments", ("key",))),
    ),
    Resource(
        "indicators", "成果指標", "indicators",
        "成果指標・活動指標（KPI）ごとに1行（複数系列は系列ごとにも1行、数値の年度目標 yearly_targets は指標 Y1, Y2… として）",
        "one row per indicator (KPI), one per series of an indicator with several, and numeric yearly_targets as indicators Y1, Y2…",
        (
            PLAN_ID,
            _c("ID", "string", "computed", "指標キー", "indicator key", "計画内で一意な指標のキー（アクションID:指標ID、計画全体の指標は :指標ID）",
               "the indicator's key in the plan (action id:indicator id; ':id' for a plan-level indicator)", "13:K1", required=True),
            _key("指標", "indicator", "kama/13:K1"),
            _c("indicator_id", "string", "computed", "指標ID", "indicator id", "指標の ID", "the indicator's id", "K1"),
            _c("action_id", "string", "computed", "アクションID", "action id", "指標を持つアクション（計画全体の指標は空）", "the action holding it; empty for a plan-level indicator", "13"),
            _ref("action_key", "アクション", "action", "actions", "kama/13"),
            _ref("series_of", "系列の親指標", "parent indicator", "indicators", ""),
            _named(NAME, title="指標名", title_en="indicator name", description="指標名（原文どおり）", description_en="the indicator's name as written", example="電子申請の利用率", required=True),
            _c("kind", "string", "computed", "種別", "kind", "outcome（成果指標）/ activity（活動指標）", "outcome or activity", "outcome"),
            _c("unit", "string", "computed", "単位", "unit", "値の単位（正規化）", "the values' unit, normalised", "%"),
            _c("measure", "string", "computed", "測り方", "measure", "count / level / increase / multiple", "how a rate is formed", "level"),
            _c("accumulation", "string", "computed", "累積", "accumulation", "cumulative / per_year", "cumulative or per year", "cumulative"),
            _c("direction", "string", "computed", "方向", "direction", "higher（大きいほど良い）/ lower", "higher or lower is better", "higher"),
            _c("baseline_value", "number", "source", "基準値", "baseline", "基準値（単位は unit）", "the baseline, in unit", "0"),
            _c("baseline_fiscal_year", "integer", "source", "基準年度", "baseline year", "基準値の年度", "the baseline's fiscal year", "2023", unit="年度"),
            _c("target_text", "string", "source", "最終目標", "final target", "最終目標（原文どおり）", "the final target as written", "100％"),
            _c("target_value", "number", "source", "最終目標値", "final target value", "最終目標の数値（単位は unit）", "the final target's number, in unit", "100"),
            _c("deadline", "integer", "source", "目標年度", "deadline", "最終目標の年度", "the fiscal year the final target is due", "2026", unit="年度"),
            _c("note", "string", "source", "注記", "note", "指標への原文の注記", "the source's note on the indicator", ""),
            _c("rate", "number", "computed", "達成率", "achievement rate",
               "dxplan score が計算する指標全体の達成率（丸める前、中間年度はその年度の目標に対して）。計算できなければ空",
               "the indicator's overall achievement rate as dxplan score computes it (unrounded; in an interim year against "
               "that year's target); empty when no rate can be computed", "92.9", unit="%"),
        ),
        ("plan_id", "ID"),
        (PLAN_FK, (("action_key",), "actions", ("key",)), (("series_of",), "", ("key",))),
    ),
    Resource(
        "indicator_values", "指標の値", "indicator values", "指標 × 年度 × 種別（target 目標 / actual 実績 / forecast 見込）ごとに1行",
        "one row per indicator × fiscal year × kind (target, actual, forecast)",
        (
            PLAN_ID, ROW,
            _c("indicator", "string", "computed", "指標キー", "indicator key", "indicators の ID", "indicators.ID", "13:K1", required=True),
            FY, FY_LABEL,
            _c("value_kind", "string", "computed", "値の種別", "kind", "target（目標）/ actual（実績）/ forecast（見込）", "target, actual or forecast", "actual", required=True),
            _c("value", "number", "source", "値", "value", "数値（単位は indicators の unit）", "the number, in the indicator's unit", "92.9"),
            _c("text", "string", "source", "値（原文）", "value as written", "数値でない値・目標の原文（完了、－、文章）", "the value as written where it is not a bare number, or the target's text", "完了"),
            _c("comparator", "string", "computed", "比較", "comparator", ">=（以上）/ = / <=", ">=, = or <=", ">="),
            _c("date", "date", "source", "測定日", "date", "測定日", "the date measured", ""),
            _c("note", "string", "source", "注記", "note", "原文の注記", "the source's note", ""),
            _c("source", "string", "annotation", "出典（転記者注）", "source (transcriber's)", "値を読んだ資料と箇所（転記者の注記）", "where the value was read (the transcriber's annotation)", "000 p.3"),
        ),
        ("plan_id", "row"),
        (PLAN_FK, (("plan_id", "indicator"), "indicators", ("plan_id", "ID"))),
    ),
    Resource(
        "grades", "評価", "grades", "評価（A〜D など）の記入ごとに1行：指標 × 年度、またはアクション × 年度",
        "one row per grade entered: per indicator × fiscal year, or per action × fiscal year",
        (
            PLAN_ID, ROW,
            _named(ACTION_ID, required=False),
            _ref("action_key", "アクション", "action", "actions", "kama/13"),
            _ref("indicator_key", "指標", "indicator", "indicators", "kama/13:K1"),
            FY, FY_LABEL,
            _c("grade", "string", "source", "評価", "grade", "評価（原文どおり）", "the grade as written", "B", required=True),
            _c("meaning", "string", "source", "評価の意味", "meaning", "計画が定める評価の意味", "what the plan says the grade means", "概ね順調"),
            _c("not_evaluated", "boolean", "source", "評価対象外", "not evaluated", "評価しないことを示す評価（－ 対象外）なら true", "true for a grade meaning 'not evaluated'", "false"),
            _c("reason", "string", "source", "理由", "reason", "評価の理由（原文どおり）", "the reason as written", ""),
            _c("note", "string", "source", "注記", "note", "原文の注記", "the source's note", ""),
        ),
        ("plan_id", "row"),
        (PLAN_FK, (("action_key",), "actions", ("key",)), (("indicator_key",), "indicators", ("key",))),
    ),
    Resource(
        "effects", "効果", "effects", "効果目標（業務量削減時間・財政効果額）のセルごとに1行", "one row per effect target cell (hours saved, money)",
        (
            PLAN_ID, ROW, ACTION_ID, FY, FY_LABEL,
            _c("kind", "string", "computed", "種別", "kind", "hours（業務量削減時間）/ money（財政効果額）", "hours or money", "hours", required=True),
            _c("text", "string", "source", "原文", "as written", "セルの原文（△480、不明 など）", "the cell as written (△480, 不明…)", "△480", required=True),
            _c("value", "number", "source", "値", "value", "符号付きの数値（単位は unit）", "the signed number, in unit", "-480"),
            _c("unit", "string", "computed", "単位", "unit", "時間 / 千円", "時間 or 千円", "時間"),
            _c("meaning", "string", "computed", "符号の意味", "meaning", "saving / extra_workload / cost / revenue / reduction / unknown", "what the sign means on this sheet", "saving"),
            _c("per", "string", "computed", "単位当たり", "per", "person：一人当たりの値（合計しない）", "person: a per-person figure, never summed", ""),
        ),
        ("plan_id", "row"),
        (PLAN_FK, ACTION_FK),
    ),
    Resource(
        "status_history", "評価日ごとの進捗状況", "status per evaluation date",
        "git 履歴から：評価日 × 状態ごとのタスク行数（同じ評価日のコミットが続くときはその最後）。計画が git にないときは空",
        "from git history: task rows per state at each evaluation date (the last of the commits with that date); empty when the plan is not in git",
        (
            PLAN_ID,
            _c("date", "date", "source", "評価基準日", "evaluation date", "plan.yaml の evaluation_date（その評価の最後のコミットでの値）", "the plan's evaluation_date (at the evaluation's last commit)", "2025-02-10", required=True),
            _c("commit", "string", "computed", "コミット", "commit", "その評価の最後の git コミット", "the evaluation's last git commit", "aaf4b429b0824e52e4158b8f5866fbef750c1324", required=True),
            _named(FY, kind="computed", description="数えた年度（その評価日を含む年度）", description_en="the fiscal year counted (the one holding the evaluation date)"),
            FY_LABEL,
            _c("state", "string", "computed", "状態", "state", "not_started / considering / in_progress / done / no_status（無記入）/ unknown（宣言のない語）",
               "a canonical state, or no_status / unknown", "done", required=True),
            _c("rows", "integer", "computed", "行数", "rows", "その状態のタスク行数", "task rows in that state", "74", unit="行"),
        ),
        ("plan_id", "date", "state"),
        (PLAN_FK,),
    ),
    Resource(
        "serves", "国の重点取組事項への対応", "national items served",
        "アクションが対応する国の重点取組事項（serves）ごとに1行。serves のないアクションは行なし（未分類）",
        "one row per national item an action serves (its serves); an action serving none has no row (unclassified)",
        (
            PLAN_ID, ACTION_ID,
            _c("item", "string", "computed", "重点取組事項ID", "national item id", "重点取組事項の ID（national_items の ID、計画の書いたとおり）",
               "the national item's id (national_items.ID), as the plan gives it", "online-procedures", required=True),
        ),
        ("plan_id", "action_id", "item"),
        (PLAN_FK, ACTION_FK),
    ),
    Resource(
        "national_items", "国の重点取組事項", "national items",
        "dxplan が持つ総務省「自治体DX推進計画」の版ごとの重点取組事項（frames/national.yaml）：版 × 事項ごとに1行",
        "the national 重点取組事項 of each version of 総務省's 自治体DX推進計画 dxplan ships (frames/national.yaml): one row per version × item",
        (
            _c("version", "string", "computed", "版", "version", "版のキー（plans.national_frame が指す）", "the version's key (what plans.national_frame names)", "1.0", required=True),
            _c("ID", "string", "computed", "重点取組事項ID", "item id", "事項の ID（版をまたいで同じ事項は同じ ID）", "the item's id, the same across versions for the same item",
               "online-procedures", required=True),
            _c("number", "integer", "computed", "番号", "number", "その版の一覧での順番（1から）", "its position in the version's list (from 1)", "3"),
            _c("名称", "string", "computed", "名称", "name", "その版での事項名（国の計画の語）", "the item's name in that version (the national plan's words)", "自治体の行政手続のオンライン化"),
            _c("position", "integer", "computed", "並び順", "order", "全版を通じた事項の並び（初出順、1から）", "the item's order over all versions (first appearance, from 1)", "3"),
        ),
        ("version", "ID"),
    ),
)

def descriptor(formats: tuple[str, ...] = ("csv",)) -> dict[str, Any]:
    """The Data Package descriptor (``datapackage.json``): every resource with its Table Schema, paths
    ``data/<name>.csv``. ``formats``: the files written per resource; the first is the resource's path,
    the others are listed under ``x-alternates`` (``data/<name>.parquet``)."""
    resources = []
    for r in RESOURCES:
        main = formats[0]
        entry: dict[str, Any] = {
            "name": r.name, "path": f"data/{r.name}.{main}", "profile": "tabular-data-resource", "format": main,
            "encoding": "utf-8", "mediatype": "text/csv",
            "title": r.title, "title_en": r.title_en, "description": r.description, "description_en": r.description_en,
            "schema": r.schema(),
        }
        if len(formats) > 1:
            entry["x-alternates"] = [f"data/{r.name}.{f}" for f in formats[1:]]
        resources.append(entry)
    return {
        "name": "dxplan-opendata", "profile": "tabular-data-package", "version": SCHEMA_VERSION, "x-schema-version": SCHEMA_VERSION,
        "x-schema-profile": PROFILE,
        "title": "自治体DX推進計画の進捗（dxplan オープンデータ）", "title_en": "Municipal DX plans and their progress (dxplan open data)",
        "description": "計画・アクション・年度別タスク・成果指標・評価・効果・進捗の推移。縦持ち（long format）。年度は西暦の開始年、割合は0〜100。",
        "description_en": "Plans, actions, tasks per fiscal year, indicators, grades, effects and status over time, in long format. "
                          "Fiscal years are Western start years; percents are 0–100.",
        "x-standard": "自治体標準オープンデータセット (デジタル庁): column names used where it has the field",
        "resources": resources,
    }
