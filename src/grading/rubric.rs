//! The rubric schema: what an instructor writes in `grading/**.ron`.
//!
//! Every struct denies unknown fields, so a typo fails loudly at load time. Optional settings
//! have documented defaults (docs/domain/coding-icd10cm.md §6 for coding credits). A rubric is
//! only usable after [`crate::grading::validate_rubric`] returned no diagnostics: the engine assumes paths parse,
//! regexes compile, points are positive and credits lie in `0..=1` (and degrades to zero credit,
//! never a panic, when they do not).

use serde::{Deserialize, Serialize};

/// The rubric format version this program reads.
pub(crate) const RUBRIC_VERSION: u32 = 1;

/// A complete rubric: the criteria and gates for one task kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// Format version; must equal [`RUBRIC_VERSION`].
    pub version: u32,
    /// Stable `snake_case` id, referenced by scenarios.
    pub id: String,
    /// Title shown to learners.
    pub title: String,
    /// Which task kind's submissions this rubric grades.
    pub task_kind: RubricKind,
    /// Percent (0–100) needed to pass.
    pub pass_mark_percent: f64,
    /// The scored criteria, in display order.
    pub criteria: Vec<Criterion>,
    /// Critical-error gates that cap or zero the score.
    #[serde(default)]
    pub critical: Vec<CriticalGate>,
    /// Clinical rationale for reviewers (not shown to learners).
    #[serde(default)]
    pub remarks: String,
}

impl Rubric {
    /// SHA-256 (lowercase hex) of the rubric's canonical JSON form: two files that differ only
    /// in comments or layout share it; any change of a value, a point or the pass mark does not.
    #[must_use]
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        // Serialising plain data to JSON cannot fail; an empty text would still hash.
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!("{:x}", Sha256::digest(&json))
    }
}

/// The answer forms a rubric can grade: the task kinds, with charting split into documenting a
/// visit and transcribing a dictation (they have different fields). Each belongs to exactly one
/// task kind (`crate::tasks::Task::RUBRIC_KINDS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RubricKind {
    /// Chart a visit (SOAP note, vitals, allergies, medications).
    Charting,
    /// Transcribe dictation.
    Transcription,
    /// Assign ICD-10-CM codes.
    Coding,
    /// ED triage (ESI level, queue order).
    Triage,
    /// Hospice records (benefit periods, certifications).
    Hospice,
    /// Release of information (per-section actions, deadline, fee, accounting).
    Roi,
    /// Claims (CMS-1500 items, UB-04 form locators).
    Claims,
    /// Access-audit review (flagged events, sanctions, breach determinations, notices).
    AccessAudit,
}

impl RubricKind {
    /// Every rubric kind.
    pub const ALL: &'static [RubricKind] = &[
        Self::Charting,
        Self::Transcription,
        Self::Coding,
        Self::Triage,
        Self::Hospice,
        Self::Roi,
        Self::Claims,
        Self::AccessAudit,
    ];

    /// The kind's name as written in RON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Charting => "charting",
            Self::Transcription => "transcription",
            Self::Coding => "coding",
            Self::Triage => "triage",
            Self::Hospice => "hospice",
            Self::Roi => "roi",
            Self::Claims => "claims",
            Self::AccessAudit => "access_audit",
        }
    }
}

/// One scored criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Unique `snake_case` id within the rubric.
    pub id: String,
    /// Short title shown to the learner.
    pub title: String,
    /// Optional grouping in the report (e.g. "Objective").
    #[serde(default)]
    pub section: Option<String>,
    /// Maximum points (> 0).
    pub points: f64,
    /// Field paths read in the key and the submission (see [`crate::grading::path`]).
    pub reads: Vec<String>,
    /// How the field is compared, with its settings.
    pub kind: CriterionKind,
    /// Feedback per outcome; `{expected}` and `{given}` are replaced by the values.
    pub feedback: Feedback,
    /// The rule behind the criterion, shown to the learner (e.g. "ICD-10-CM OCG I.B.2").
    pub rule: String,
    /// Where the rule comes from (e.g. "docs/domain/coding-icd10cm.md §3.2").
    #[serde(default)]
    pub source: String,
}

/// Feedback text for each outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// Full credit.
    pub correct: String,
    /// Some credit.
    pub partial: String,
    /// No credit, something given.
    pub incorrect: String,
    /// Nothing given.
    pub missing: String,
}

/// Text comparison rules shared by the text-based kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TextRules {
    /// Compare case-sensitively (default `false`).
    pub case_sensitive: bool,
    /// Trim and collapse runs of whitespace to one space (default `true`).
    pub collapse_whitespace: bool,
    /// Drop punctuation before comparing (default `false`).
    pub ignore_punctuation: bool,
    /// Compare as clinical phrases (default `false`): articles, word order that does not
    /// change the meaning and standard abbreviations (`q8h`, `bid`, `PO`, `PRN`, …) do not
    /// matter; laterality and negation do (`criteria::phrase`, `grading/README.md`).
    pub clinical: bool,
}

impl Default for TextRules {
    fn default() -> Self {
        Self {
            case_sensitive: false,
            collapse_whitespace: true,
            ignore_punctuation: false,
            clinical: false,
        }
    }
}

/// Which kind of comparison a criterion makes, with its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum CriterionKind {
    /// The given value equals the key's value or one of the accepted values.
    Exact {
        /// Further accepted answers beyond the key's (the key may also hold a list).
        #[serde(default)]
        accept_also: Vec<String>,
        /// Answers that earn partial credit: `(answer, credit 0..=1)`.
        #[serde(default)]
        partial: Vec<(String, f64)>,
        /// Answers that earn partial credit only against one key value: `(key, answer, credit
        /// 0..=1)` — e.g. releasing in part what may be released in full holds back too much
        /// (partial credit), while releasing in part what must be denied is a disclosure (none).
        /// Checked before `partial`.
        #[serde(default)]
        partial_if_key: Vec<(String, String, f64)>,
        /// Case and whitespace rules.
        #[serde(default)]
        text: TextRules,
    },
    /// A number (optionally with a unit) within a tolerance of the key.
    Numeric {
        /// Full credit when |given − key| ≤ tolerance (in `unit`).
        tolerance: f64,
        /// Unit the tolerance is expressed in; both sides are converted to it.
        #[serde(default)]
        unit: Option<String>,
        /// Wider band that earns `partial_credit`.
        #[serde(default)]
        partial_tolerance: Option<f64>,
        /// Credit inside the partial band (default 0.5).
        #[serde(default = "half")]
        partial_credit: f64,
        /// A given number without a unit scores zero (default `true` when `unit` is set).
        #[serde(default = "yes")]
        require_unit: bool,
    },
    /// A date equal to the key or within a window.
    Date {
        /// Full credit within this many days (default 0 = exact).
        #[serde(default)]
        window_days: u32,
        /// Wider window that earns `partial_credit`.
        #[serde(default)]
        partial_window_days: Option<u32>,
        /// Credit inside the partial window (default 0.5).
        #[serde(default = "half")]
        partial_credit: f64,
    },
    /// Every key record present, matched by `match_on`, with its required sub-fields.
    Required {
        /// Sub-field that identifies an item (e.g. `allergen`).
        match_on: String,
        /// Sub-fields each item must carry with the key's value (e.g. `reaction`, `severity`).
        #[serde(default)]
        fields: Vec<String>,
        /// Accepted spellings per item identity: each list is one group of synonyms.
        #[serde(default)]
        synonyms: Vec<Vec<String>>,
        /// Credit removed per extra submitted item not in the key (default 0).
        #[serde(default)]
        extra_item_penalty: f64,
        /// Case and whitespace rules for values.
        #[serde(default)]
        text: TextRules,
    },
    /// A list whose order matters (e.g. a triage queue): credit by longest common subsequence.
    OrderedList {
        /// For lists of records: the sub-field that identifies an item.
        #[serde(default)]
        match_on: Option<String>,
        /// Case and whitespace rules.
        #[serde(default)]
        text: TextRules,
    },
    /// A list whose order does not matter: credit = matched ÷ max(expected, given).
    UnorderedList {
        /// For lists of records: the sub-field that identifies an item.
        #[serde(default)]
        match_on: Option<String>,
        /// Case and whitespace rules.
        #[serde(default)]
        text: TextRules,
    },
    /// An ICD-10-CM code set with the AAPC-style formula and partial credit.
    Codes(CodeSettings),
    /// The MS-DRG of the submitted codes against the key's (inpatient): full credit for the
    /// same DRG; a DRG of the same family that differs only by severity earns `same_family`.
    /// Reads a coded claim (`codes`); cases the grouper does not decide are not graded.
    Drg(DrgSettings),
    /// The present-on-admission indicators the key documents, code by code (inpatient).
    Poa,
    /// Free text must mention every concept (any synonym).
    Concepts {
        /// Concepts from the rubric; the key may add more at the same path.
        #[serde(default)]
        concepts: Vec<Concept>,
    },
    /// Free text must not contain forbidden content.
    Forbidden {
        /// Patterns (regular expressions, case-insensitive) that must not match.
        patterns: Vec<ForbiddenPattern>,
        /// Credit removed per hit (default 1.0: any hit scores zero).
        #[serde(default = "one")]
        penalty_per_hit: f64,
    },
    /// Transcription accuracy by word error rate against the key's reference text.
    WordErrorRate {
        /// Full credit at or below this WER (default 0.02, i.e. 98% accuracy).
        #[serde(default = "wer_full")]
        full_credit_wer: f64,
        /// Zero credit at or above this WER (default 0.30); linear in between.
        #[serde(default = "wer_zero")]
        zero_credit_wer: f64,
        /// Terms (e.g. drug names) whose errors weigh `term_weight` words.
        #[serde(default)]
        weighted_terms: Vec<String>,
        /// Weight of a listed term (default 3.0).
        #[serde(default = "three")]
        term_weight: f64,
    },
    /// Flagged records (the events of an access audit), each with its labels (the rules it
    /// breaks), graded by severity-weighted precision and recall (`criteria::flags`): a missed
    /// record costs its weight, a false alarm `false_alarm_cost` of it.
    FlagSet {
        /// Sub-field that identifies a flagged record (e.g. `event`).
        match_on: String,
        /// Sub-field with the record's labels (e.g. `rules`).
        labels: String,
        /// Each label's weight and the reference the feedback cites.
        weights: Vec<LabelWeight>,
        /// The weight of a label not listed, or of a record with none (default 1).
        #[serde(default = "one")]
        default_weight: f64,
        /// What a false alarm costs, as a fraction of its weight (default 0.5).
        #[serde(default = "half")]
        false_alarm_cost: f64,
    },
    /// An ordinal value (e.g. ESI level) with separate costs for erring on either side.
    Ordinal {
        /// Which direction is "under" (less urgent). ESI: `Higher` (ESI 3 for an ESI 2 patient).
        #[serde(default = "higher")]
        under_is: Direction,
        /// Credit removed per step of under-estimation (default 1.0).
        #[serde(default = "one")]
        under_cost_per_step: f64,
        /// Credit removed per step of over-estimation (default 0.5).
        #[serde(default = "half")]
        over_cost_per_step: f64,
        /// Credit for a level the key lists as defensible but not expected (a "consider"
        /// level, key `{"accept": [2], "partial": [3]}`), when the steps give less (default
        /// 0.5).
        #[serde(default = "half")]
        defensible_credit: f64,
    },
}

/// The weight of one label of a [`CriterionKind::FlagSet`] and the reference its feedback cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelWeight {
    /// The label (e.g. a rule id).
    pub label: String,
    /// Its weight (> 0).
    pub weight: f64,
    /// The regulation or document behind it.
    #[serde(default)]
    pub reference: String,
}

/// Settings of a [`CriterionKind::Drg`] criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrgSettings {
    /// Credit for a DRG of the key's family that differs only by its severity split (e.g.
    /// 872 for 871: a CC or MCC missed or unsupported), default 0.5.
    #[serde(default = "half")]
    pub same_family: f64,
    /// Operating standardized amount for the dollar figures (default: FY2026 national).
    #[serde(default)]
    pub base_rate: Option<f64>,
    /// Wage index for the dollar figures (default 1.0).
    #[serde(default)]
    pub wage_index: Option<f64>,
}

impl Default for DrgSettings {
    fn default() -> Self {
        Self {
            same_family: 0.5,
            base_rate: None,
            wage_index: None,
        }
    }
}

/// Which numeric direction an [`CriterionKind::Ordinal`] treats as under-estimation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// A larger number is under-estimation (ESI: 1 is most urgent).
    Higher,
    /// A smaller number is under-estimation.
    Lower,
}

/// A concept a free text must mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Name shown in feedback; also matched.
    pub name: String,
    /// Other accepted words or phrases.
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// A pattern that must not appear in a free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForbiddenPattern {
    /// Short name (e.g. "measured blood pressure").
    pub name: String,
    /// Regular expression (Rust `regex` syntax), matched case-insensitively.
    pub regex: String,
    /// What the learner did wrong and how to fix it.
    pub message: String,
}

/// Coding criterion settings; defaults follow docs/domain/coding-icd10cm.md §6 and the severity
/// table of `grading/README.md` (ICD-10-CM Official Guidelines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CodeSettings {
    /// Which order rules apply.
    pub sequencing: Sequencing,
    /// Codes that may be given or omitted at no cost in every case graded by this rubric. Prefer
    /// case-specific optional codes in the key (the scenario's `optional_codes`).
    pub optional: Vec<String>,
    /// Groups of interchangeable codes: giving any one of a group satisfies the key's member.
    pub alternatives: Vec<Vec<String>>,
    /// Partial credits of a code line.
    pub credits: CodeCredits,
    /// How severe each class of coding error is (critical, major, minor).
    pub severity: Severities,
    /// What a major and a minor error cost, in code lines.
    pub costs: SeverityCosts,
    /// ICD-10-PCS: the weight of each of the seven axes (characters) in a procedure code's line
    /// credit.
    pub pcs_axes: PcsAxes,
}

impl Default for CodeSettings {
    fn default() -> Self {
        Self {
            sequencing: Sequencing::FirstListed,
            optional: Vec::new(),
            alternatives: Vec::new(),
            credits: CodeCredits::default(),
            severity: Severities::default(),
            costs: SeverityCosts::default(),
            pcs_axes: PcsAxes::default(),
        }
    }
}

/// How sequencing is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sequencing {
    /// Any order.
    Any,
    /// The key's first code must be listed first.
    FirstListed,
    /// The whole key order is mandated.
    Strict,
}

/// Credit (0..=1) of a code line that is partly right.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CodeCredits {
    /// Correct code in a wrong position where the order is not guideline-directed (default 0.7).
    pub wrong_order: f64,
    /// Right category, wrong specificity (default 0.5; applies while `less_specific` is Minor).
    pub wrong_specificity: f64,
    /// Wrong 7th character (default 0.5).
    pub wrong_seventh_character: f64,
    /// Wrong laterality (default 0.35).
    pub wrong_laterality: f64,
    /// Invalid or header code in the right category (default 0.15).
    pub invalid_code: f64,
}

impl Default for CodeCredits {
    fn default() -> Self {
        Self {
            wrong_order: 0.7,
            wrong_specificity: 0.5,
            wrong_seventh_character: 0.5,
            wrong_laterality: 0.35,
            invalid_code: 0.15,
        }
    }
}

/// How severe a coding error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Fails the attempt whatever the score: the criterion reports it and a
    /// [`GateCondition::CodingError`] gate caps the score below the pass mark.
    Critical,
    /// Costs `costs.major` code lines (default one full line).
    Major,
    /// Costs `costs.minor` code lines (default half a line).
    Minor,
}

/// The classes of coding error and the severity the rubric gives each. Defaults: the table of
/// `grading/README.md`, after the ICD-10-CM Official Guidelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Severities {
    /// A wrong principal / first-listed diagnosis where a guideline directs the sequencing
    /// (e.g. sepsis first, OCG I.C.1.d.4). Default Critical.
    pub wrong_principal: Severity,
    /// A code the guidelines never accept first listed first (R65.2-, external causes,
    /// manifestations, underdosing). Default Critical.
    pub unacceptable_principal: Severity,
    /// A condition documented as ruled out coded as if confirmed. Default Critical.
    pub ruled_out_coded: Severity,
    /// An outpatient "probable"/"suspected" condition coded as if confirmed (OCG IV.H).
    /// Default Critical.
    pub uncertain_coded: Severity,
    /// A malignancy documented as history coded as current (OCG I.C.2.d). Default Critical.
    pub history_as_current: Severity,
    /// A code the documentation contradicts (R65.21 with no septic shock). Default Critical.
    pub contradicted_code: Severity,
    /// A combination code of the key left out (OCG I.B.9). Default Major.
    pub missed_combination: Severity,
    /// A code the key has because a "use additional code" note of another key code requires
    /// it, left out (OCG I.A.13, I.B.7). Default Major.
    pub missing_use_additional: Severity,
    /// A "code first" note broken by the order of the codes (OCG I.A.13). Default Major.
    pub code_first_order: Severity,
    /// Two codes reported together against an Excludes1 note (OCG I.A.12.a). Default Major.
    pub excludes1_pair: Severity,
    /// Any other key code left out. Default Major.
    pub missing_code: Severity,
    /// A less specific code of the right category (OCG I.B.18): shorter than the key's code, or
    /// "unspecified" where the key's code is not. Default Minor.
    pub less_specific: Severity,
    /// A code of the right category whose detail the record contradicts: as specific as the
    /// key's code but another trimester, stage, severity, type or site (O13.3 for a documented
    /// second trimester; OCG I.A.19, I.B.18). Default Major.
    pub wrong_detail: Severity,
    /// A status or history code left out (OCG IV.J, I.C.21.c). Default Minor.
    pub missing_status_code: Severity,
}

impl Default for Severities {
    fn default() -> Self {
        Self {
            wrong_principal: Severity::Critical,
            unacceptable_principal: Severity::Critical,
            ruled_out_coded: Severity::Critical,
            uncertain_coded: Severity::Critical,
            history_as_current: Severity::Critical,
            contradicted_code: Severity::Critical,
            missed_combination: Severity::Major,
            missing_use_additional: Severity::Major,
            code_first_order: Severity::Major,
            excludes1_pair: Severity::Major,
            missing_code: Severity::Major,
            less_specific: Severity::Minor,
            wrong_detail: Severity::Major,
            missing_status_code: Severity::Minor,
        }
    }
}

/// What a major and a minor coding error cost, in code lines (a line is one key code's share of
/// the criterion: 1 ÷ max(entered, expected)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SeverityCosts {
    /// Default 1.0: a full line.
    pub major: f64,
    /// Default 0.5: half a line.
    pub minor: f64,
}

impl Default for SeverityCosts {
    fn default() -> Self {
        Self {
            major: 1.0,
            minor: 0.5,
        }
    }
}

impl SeverityCosts {
    /// The lines an error of this severity costs (a critical error costs its full line, and
    /// fails the attempt through its gate).
    #[must_use]
    pub fn of(&self, severity: Severity) -> f64 {
        match severity {
            Severity::Critical => 1.0,
            Severity::Major => self.major,
            Severity::Minor => self.minor,
        }
    }
}

/// The weight of each ICD-10-PCS axis in a procedure line's credit: a submitted code earns the
/// weights of the characters it has right (section and body system must match, or it earns
/// nothing). Defaults (sum 1): section 0.025, body system 0.025, root operation 0.4, body part
/// 0.3, approach 0.1, device 0.1, qualifier 0.05 — the root operation and the body part decide
/// what was done (ICD-10-PCS Official Guidelines B3.1a, B4.1a), the approach and device less.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PcsAxes {
    /// Character 1.
    pub section: f64,
    /// Character 2.
    pub body_system: f64,
    /// Character 3.
    pub root_operation: f64,
    /// Character 4.
    pub body_part: f64,
    /// Character 5.
    pub approach: f64,
    /// Character 6.
    pub device: f64,
    /// Character 7.
    pub qualifier: f64,
}

impl Default for PcsAxes {
    fn default() -> Self {
        Self {
            section: 0.025,
            body_system: 0.025,
            root_operation: 0.4,
            body_part: 0.3,
            approach: 0.1,
            device: 0.1,
            qualifier: 0.05,
        }
    }
}

impl PcsAxes {
    /// The axes in character order, with their names.
    #[must_use]
    pub fn named(&self) -> [(&'static str, f64); 7] {
        [
            ("section", self.section),
            ("body system", self.body_system),
            ("root operation", self.root_operation),
            ("body part", self.body_part),
            ("approach", self.approach),
            ("device", self.device),
            ("qualifier", self.qualifier),
        ]
    }
}

/// A critical-error gate: when its condition holds, the score is capped or zeroed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriticalGate {
    /// Unique id.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Field path read in the key and the submission (empty for `CriterionBelow`).
    #[serde(default)]
    pub reads: Option<String>,
    /// When the gate fires.
    pub when: GateCondition,
    /// What firing does to the score.
    pub effect: GateEffect,
    /// Message shown to the learner when it fires.
    pub message: String,
    /// The rule behind it.
    #[serde(default)]
    pub rule: String,
}

/// When a critical gate fires. A missing answer always fires the gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum GateCondition {
    /// The given value differs from the key's (text rules: case-insensitive, collapsed).
    Mismatch,
    /// The key's value is one of `key_in` and the given value differs from it (text rules as
    /// `Mismatch`): a wrong answer is critical only for these key values (e.g. a C-SSRS risk
    /// level charted as anything but "high" when the key is high).
    MismatchWhenKeyIn {
        /// The key values for which a mismatch fires the gate.
        key_in: Vec<String>,
    },
    /// A key record (matched by `match_on`) is absent from the submission (e.g. missed allergy).
    MissingItem {
        /// Sub-field identifying an item.
        match_on: String,
        /// Accepted spellings per item identity (as in `Required`).
        #[serde(default)]
        synonyms: Vec<Vec<String>>,
    },
    /// Under-triage: the key is at most `when_key_at_most` and the given level is higher
    /// (less urgent) than the key (ESI numbering: 1 most urgent).
    UnderTriage {
        /// Only key levels up to this fire the gate (e.g. 2 for ESI 1 and 2).
        when_key_at_most: u32,
    },
    /// A code-set criterion found a coding error its rubric rates [`Severity::Critical`]
    /// (needs no `reads`).
    CodingError {
        /// The id of the `Codes` criterion.
        criterion: String,
    },
    /// A criterion earned less than `percent` of its points.
    CriterionBelow {
        /// The criterion id.
        criterion: String,
        /// Threshold percent.
        percent: f64,
    },
}

/// What a fired gate does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum GateEffect {
    /// Score becomes 0.
    Zero,
    /// Score is capped at this percent of the maximum.
    CapPercent(f64),
}

fn half() -> f64 {
    0.5
}
fn one() -> f64 {
    1.0
}
fn three() -> f64 {
    3.0
}
fn yes() -> bool {
    true
}
fn wer_full() -> f64 {
    0.02
}
fn wer_zero() -> f64 {
    0.30
}
fn higher() -> Direction {
    Direction::Higher
}
