"""The shape of every file in configs/, as pydantic models.

:func:`pipeline.core.config.load_yaml` validates a file against its model before any
loader reads it, so a broken config fails at once with the file, the key path and what
was expected — ``configs/review.yaml: thresholds.rate_tolerance: expected a number, got
'0,5'`` — instead of a KeyError deep inside a stage. Unknown keys are refused too: a typo
(``vauge_words``) would otherwise silently switch a rule off.

The models check the shape (keys, types, non-empty words); the loaders in each stage still
check the meaning (a role name that exists, a profile that is defined), where the error
can say which value is wrong. pydantic is imported only when a file is validated, and a
file whose content was validated before is not validated again (see
:func:`pipeline.core.config.load_yaml`), so a cold start pays nothing for it.

Longer than 400 lines because it holds one pydantic model per file of configs/ (eleven
files): one place says what every config must look like, and each model is a few lines.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Word = Annotated[str, StringConstraints(min_length=1)]
Words = list[Word]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


# ---------------------------------------------------------------------- classify_rules.yaml


class KeywordClass(_Strict):
    id: Word
    label: Word
    hard: bool = False
    name_regex: str | None = None
    name_any: Words | None = None
    name_none: Words | None = None
    value_kind: Words | None = None
    value_unit: Words | None = None


class ClassifyRulesFile(_Strict):
    rules: Word
    fallback: Word
    classes: list[KeywordClass]


# ---------------------------------------------------------------------- cell_reader.yaml


class CellReaderFile(_Strict):
    version: Word
    word_values: Words
    word_value_adverbs: Words
    grade_words: Words
    text_value_openers: Words
    max_adverb_value_chars: int = Field(ge=2)
    end_words: Words
    max_name_chars: int = Field(ge=1)
    min_rows: int = Field(ge=1)
    max_prose_share: float = Field(ge=0, le=1)


# ---------------------------------------------------------------------- extract.yaml


class ExtractFile(_Strict):
    version: Word
    headers: dict[str, Words]
    min_header_cells: int = Field(ge=1)
    actual_words: Words
    total_words: Words
    value_type_words: Words
    placeholder_cells: Words
    name_suffixes: Words
    not_names: Words
    table_end_labels: Words
    table_end_words: Words


# ---------------------------------------------------------------------- name_shapes.yaml


class NameShapesFile(_Strict):
    version: Word
    suffix_classes: dict[str, Words]
    prefix_classes: dict[str, Words]


# ---------------------------------------------------------------------- norms.yaml


class NormsNormalise(_Strict):
    junk_names: Words
    drop_suffixes: Words
    min_chars: int = Field(ge=1)
    stop_prefixes: Words
    places: Words
    place_stems: Words
    place_suffixes: Words
    place_exceptions: Words
    measure_modifiers: Words


class NormsFamily(_Strict):
    heads: Words
    canonical_head: Word
    canonical_name: Word


class NormsGroup(_Strict):
    method: Word
    char_threshold: int = Field(ge=0, le=100)
    token_threshold: int = Field(ge=0, le=100)
    category_constraint: Word
    min_suffix_chars: int = Field(ge=1)
    min_template_chars: int = Field(ge=1)
    fillers: Words
    generic_words: Words
    unit_families: dict[str, Words]
    head_synonyms: list[Words]
    families: list[NormsFamily]
    stop_words: Words


class NormsStats(_Strict):
    exact_distinct: int = Field(ge=1)
    sketch_alpha: float = Field(gt=0, lt=1)
    examples: int = Field(ge=0)


class NormsReview(_Strict):
    min_filings: int = Field(ge=1)
    same_name_similarity: float = Field(ge=0, le=100)
    measures: dict[str, Words]
    name_min_filings: int = Field(ge=1)
    percent_margin: float = Field(ge=0)
    ratio: float = Field(gt=0)
    skip_units: Words
    preferred_endings: dict[str, Word]


class NormsSuggest(_Strict):
    min_filings: int = Field(ge=1)


class NormsFile(_Strict):
    version: Word
    normalise: NormsNormalise
    group: NormsGroup
    stats: NormsStats
    sectors: dict[str, Words]
    review: NormsReview
    suggest: NormsSuggest


# ---------------------------------------------------------------------- prose.yaml


class ProseFile(_Strict):
    version: Word
    sentence_ends: Word
    piece_ends: Word
    clause_ends: Word
    level1_words: dict[str, Words]
    level2_words: Words
    budget_cues: Words
    spent_cues: Words
    rate_cues: Words
    total_names: Words
    weight_cues: Words
    score_cues: Words
    deduction_cues: Words
    reason_cues: Words
    total_score_cues: Words
    target_cues: Words
    actual_cues: Words
    target_context: Words
    lead_words: Words
    trail_words: Words
    empty_names: Words
    join_words: Words
    metric_suffixes: Words
    comparison_words: Words
    table_words: Words


# ---------------------------------------------------------------------- review.yaml


class FlagCode(_Strict):
    severity: Literal["error", "warning", "info"]
    zh: Word                  # the Chinese name reviewers see (report.html, the review workspace)
    about: Word


class KindRule(_Strict):
    bad: Words
    rates_ok: bool = False


class ReviewThresholds(_Strict):
    satisfaction_floor: float
    misfile_l2_confidence: float = Field(ge=0, le=1)
    score_tolerance: float = Field(ge=0)
    sum_tolerance: float = Field(ge=0)
    rate_tolerance: float = Field(ge=0)
    formula_tolerance: float = Field(ge=0)
    unit_suspect_ratio: float = Field(gt=0)
    score_sheet_total: float = Field(gt=0)


class BudgetColumns(_Strict):
    initial: Words
    budget: Words
    spent: Words
    points: Words
    rate: Words
    score: Words


class BudgetBlockRules(_Strict):
    columns: BudgetColumns
    total_rows: Words
    part_words: Words
    spending_parts: Words
    end_words: Words
    other_sources: Words
    placeholders: Words


class SentenceFactRules(_Strict):
    budget_cues: Words
    spent_cues: Words
    rate_cues: Words
    scope_words: Words
    max_gap: int = Field(gt=0)


class FilingInfoRules(_Strict):
    department_fields: Words
    organisation_endings: Words
    furniture: Words


class DocumentKindRules(_Strict):
    head_chars: int = Field(gt=0)
    library_words: Words
    template_words: Words
    empty_fields_min: int = Field(ge=1)
    max_target_share: float = Field(ge=0, le=1)
    attribute_values: Words
    glued_line_rows: int = Field(ge=2)
    glued_not_for: Words
    glued_placement: Words
    glued_cells_not_for: Words
    not_for: dict[Literal["library", "template"], Words]


class ReviewFile(_Strict):
    rules: Word
    codes: dict[str, FlagCode]
    thresholds: ReviewThresholds
    kind_rules: dict[str, KindRule]
    percent_over_100_ok: Words
    satisfaction_words: Words
    achieved_words: Words
    non_indicator_names: Words
    budget_block: BudgetBlockRules
    sentence_facts: SentenceFactRules
    filing_info: FilingInfoRules
    document_kinds: DocumentKindRules


# ---------------------------------------------------------------------- taxonomy.yaml


class TaxonomyProfile(_Strict):
    level1: dict[str, Words]
    legacy_placements: list[Annotated[Words, Field(min_length=2, max_length=2)]]


class TaxonomyProcess(_Strict):
    level1: Words
    level2: Words


class TaxonomyAliases(_Strict):
    level1: dict[str, Words]
    level2: dict[str, Words]


class TaxonomyFile(_Strict):
    version: Word
    default_profile: Word
    profiles: dict[str, TaxonomyProfile]
    process: TaxonomyProcess
    alias_endings: Words
    aliases: TaxonomyAliases
    section_labels: Words


# ---------------------------------------------------------------------- values.yaml

# a unit as written -> [normal form, multiplier]
UnitSpec = tuple[Word, float]


class ValuesContext(_Strict):
    percent_name_words: Words
    money_name_words: Words
    count_name_units: dict[Word, Word]
    action_name_starts: Words
    table_units: Words
    percent_name_max: float = Field(gt=0)
    count_name_endings: Words
    date_name_words: Words
    date_name_years: tuple[int, int]
    not_count_endings: Words
    amount_name_endings: Words


class ValuesFile(_Strict):
    version: Word
    rules: Word
    units: dict[Literal["percent", "money", "duration", "count"], dict[str, UnitSpec]]
    multipliers: dict[str, float]
    rate_denominators: Words
    rate_periods: Words
    comparators_before: dict[str, Words]
    comparators_after: dict[str, Words]
    comparators_between: dict[str, Words]
    comparator_verbs: Words
    deadline_words: Words
    timely_words: Words
    recurring_markers: Words
    yearly_markers: Words
    baseline_markers: Words
    label_prefixes: Words
    money_context_words: Words
    currency_markers: Words
    direction_words: dict[str, Words]
    direction_stop_words: Words
    negation_words: Words
    ordinal_measure_words: Words
    vague_words: Words
    vague_stop_words: Words
    placeholder_tokens: Words
    category_names: Words
    boolean_true: Words
    boolean_false: Words
    filler_words: Words
    quantity_labels: Words
    measure_words: list[tuple[Word, Word]]
    measure_word_blockers: Words
    not_quantity_suffixes: Words
    vague_whole_cells: Words
    standard_words: Words
    purpose_min_chars: int = Field(ge=1)
    whole_year_cells: Words
    until_words: Words
    copula_words: Words
    maximum_markers: Words
    context: ValuesContext


# ---------------------------------------------------------------------- columns.yaml, workspace.yaml


class ColumnsFile(_Strict):
    version: int
    zh: dict[str, Word]
    workbook_first: Words
    input_aliases: dict[str, Words]
    kinds_zh: dict[str, Word]
    severities_zh: dict[str, Word]


class QueueWeights(_Strict):
    uncertainty: float = Field(ge=0)
    disagree_l1: float = Field(ge=0)
    disagree_l2: float = Field(ge=0)
    error_flag: float = Field(ge=0)
    warning_flag: float = Field(ge=0)
    size: int = Field(ge=1)


class WorkspaceFile(_Strict):
    version: int
    queue: QueueWeights
    default_user: Word


SCHEMAS: dict[str, type[_Strict]] = {
    "cell_reader.yaml": CellReaderFile,
    "classify_rules.yaml": ClassifyRulesFile,
    "columns.yaml": ColumnsFile,
    "workspace.yaml": WorkspaceFile,
    "extract.yaml": ExtractFile,
    "name_shapes.yaml": NameShapesFile,
    "norms.yaml": NormsFile,
    "prose.yaml": ProseFile,
    "review.yaml": ReviewFile,
    "taxonomy.yaml": TaxonomyFile,
    "values.yaml": ValuesFile,
}


def problems(name: str, data: Any) -> list[str]:
    """What is wrong with the content of ``configs/<name>`` ('' list when it fits its model).

    Each problem reads ``key.path: what was expected, what was found``.
    """
    from pydantic import ValidationError

    model = SCHEMAS.get(name)
    if model is None:
        return []
    try:
        model.model_validate(data)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            found = err.get("input")
            shown = "" if err["type"] == "missing" else f", got {found!r:.60}"
            out.append(f"{where}: {err['msg'].lower()}{shown}")
        return out
    return []
