//! Standardized screening instruments a charting scenario can ask for (docs/domain/charting.md
//! §9): the PHQ-9 (Kroenke, Spitzer and Williams 2001), the GAD-7 (Spitzer et al. 2006) and the
//! Columbia Suicide Severity Rating Scale screener (C-SSRS, Columbia Lighthouse Project).
//!
//! The scenario states the severities it wants (weighted); the generator draws item answers
//! consistent with the drawn severity from the patient seed, and the intake conversation states
//! each answer in the patient's words with the clinician's read-back of the item score. The key
//! derives the totals, the severity bands and the C-SSRS risk level from the answers by the
//! instruments' published rules ([`phq9_band`], [`gad7_band`], [`cssrs_risk`]).

use serde::{Deserialize, Serialize};

use crate::generate::rng::{SimRng, chance, in_pair, one_of, pick, rng_for};
use crate::patient::spec::Weighted;

/// Mixed into the patient seed so the screening answers have their own random stream.
const STREAM: u64 = 0x5c7e_e410_9a11_0009;

/// The screenings a scenario asks for (`screening: (phq9: …, gad7: …, cssrs: …)`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningSpec {
    /// PHQ-9 depression screening.
    #[serde(default)]
    pub phq9: Option<Phq9Spec>,
    /// GAD-7 anxiety screening.
    #[serde(default)]
    pub gad7: Option<Gad7Spec>,
    /// C-SSRS screener (suicide-risk assessment).
    #[serde(default)]
    pub cssrs: Option<CssrsSpec>,
}

/// The PHQ-9 severities to draw from and how often item 9 is positive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phq9Spec {
    /// Weighted severity bands.
    pub severity: Vec<Weighted<Phq9Band>>,
    /// Probability (0–1) that item 9 (thoughts of being better off dead or of self-harm) is
    /// answered above "not at all"; above 0 the scenario needs `cssrs`.
    #[serde(default)]
    pub item9_positive: f64,
}

/// The GAD-7 severities to draw from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gad7Spec {
    /// Weighted severity bands.
    pub severity: Vec<Weighted<Gad7Band>>,
}

/// The C-SSRS risk levels to draw from. With a PHQ-9, a patient whose item 9 is 0 screens
/// negative and one whose item 9 is positive gets a drawn level of at least low.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CssrsSpec {
    /// Weighted risk levels.
    pub risk: Vec<Weighted<CssrsRisk>>,
}

/// PHQ-9 severity bands (Kroenke 2001): 0–4, 5–9, 10–14, 15–19, 20–27.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phq9Band {
    /// 0–4.
    NoneMinimal,
    /// 5–9.
    Mild,
    /// 10–14.
    Moderate,
    /// 15–19.
    ModeratelySevere,
    /// 20–27.
    Severe,
}

impl Phq9Band {
    /// Every band, lowest first.
    pub const ALL: [Self; 5] = [
        Self::NoneMinimal,
        Self::Mild,
        Self::Moderate,
        Self::ModeratelySevere,
        Self::Severe,
    ];

    /// The totals in the band, inclusive.
    #[must_use]
    pub fn range(self) -> (u32, u32) {
        match self {
            Self::NoneMinimal => (0, 4),
            Self::Mild => (5, 9),
            Self::Moderate => (10, 14),
            Self::ModeratelySevere => (15, 19),
            Self::Severe => (20, 27),
        }
    }

    /// The value charted (a choice of the answer form).
    #[must_use]
    pub fn value(self) -> &'static str {
        match self {
            Self::NoneMinimal => "none_minimal",
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::ModeratelySevere => "moderately_severe",
            Self::Severe => "severe",
        }
    }
}

/// GAD-7 severity bands (Spitzer 2006): 0–4, 5–9, 10–14, 15–21.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gad7Band {
    /// 0–4.
    Minimal,
    /// 5–9.
    Mild,
    /// 10–14.
    Moderate,
    /// 15–21.
    Severe,
}

impl Gad7Band {
    /// Every band, lowest first.
    pub const ALL: [Self; 4] = [Self::Minimal, Self::Mild, Self::Moderate, Self::Severe];

    /// The totals in the band, inclusive.
    #[must_use]
    pub fn range(self) -> (u32, u32) {
        match self {
            Self::Minimal => (0, 4),
            Self::Mild => (5, 9),
            Self::Moderate => (10, 14),
            Self::Severe => (15, 21),
        }
    }

    /// The value charted.
    #[must_use]
    pub fn value(self) -> &'static str {
        match self {
            Self::Minimal => "minimal",
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::Severe => "severe",
        }
    }
}

/// C-SSRS screener risk levels (the screener's triage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CssrsRisk {
    /// Every answer no: no risk identified.
    NoRisk,
    /// Wish to be dead or non-specific suicidal thoughts (Q1/Q2) only.
    Low,
    /// Suicidal ideation with method (Q3), or suicidal behavior more than 3 months ago (Q6).
    Moderate,
    /// Intent (Q4), a plan (Q5), or suicidal behavior within the past 3 months (Q6).
    High,
}

impl CssrsRisk {
    /// The value charted.
    #[must_use]
    pub fn value(self) -> &'static str {
        match self {
            Self::NoRisk => "none",
            Self::Low => "low",
            Self::Moderate => "moderate",
            Self::High => "high",
        }
    }
}

/// The C-SSRS screener's answers. Q3–Q5 are asked only when Q2 is yes (`None` when not
/// asked); the 3-month follow-up only when Q6 is yes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CssrsAnswers {
    /// Q1: wished you were dead or could go to sleep and not wake up (past month).
    pub q1: bool,
    /// Q2: actual thoughts of killing yourself (past month).
    pub q2: bool,
    /// Q3: thought about how you might do this.
    pub q3: Option<bool>,
    /// Q4: had these thoughts and some intention of acting on them.
    pub q4: Option<bool>,
    /// Q5: started to work out or worked out the details of how; intend to carry it out.
    pub q5: Option<bool>,
    /// Q6: ever done, started or prepared to do anything to end your life.
    pub q6: bool,
    /// Q6 follow-up: within the past 3 months.
    pub q6_recent: Option<bool>,
}

/// The drawn item answers of every screening the scenario asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScreeningAnswers {
    /// PHQ-9 items 1–9, each 0–3.
    #[serde(default)]
    pub phq9: Option<Vec<u8>>,
    /// GAD-7 items 1–7, each 0–3.
    #[serde(default)]
    pub gad7: Option<Vec<u8>>,
    /// C-SSRS screener answers.
    #[serde(default)]
    pub cssrs: Option<CssrsAnswers>,
}

/// The PHQ-9 band of a total (Kroenke 2001).
#[must_use]
pub fn phq9_band(total: u32) -> Phq9Band {
    Phq9Band::ALL
        .into_iter()
        .find(|b| total <= b.range().1)
        .unwrap_or(Phq9Band::Severe)
}

/// The GAD-7 band of a total (Spitzer 2006).
#[must_use]
pub fn gad7_band(total: u32) -> Gad7Band {
    Gad7Band::ALL
        .into_iter()
        .find(|b| total <= b.range().1)
        .unwrap_or(Gad7Band::Severe)
}

/// The sum of item scores.
#[must_use]
pub fn total(items: &[u8]) -> u32 {
    items.iter().map(|&i| u32::from(i)).sum()
}

/// The C-SSRS screener's risk level: Q4, Q5 or suicidal behavior within 3 months → high; Q3
/// or behavior more than 3 months ago → moderate; Q1 or Q2 alone → low; otherwise none.
#[must_use]
pub fn cssrs_risk(a: &CssrsAnswers) -> CssrsRisk {
    let yes = |q: Option<bool>| q == Some(true);
    if yes(a.q4) || yes(a.q5) || (a.q6 && yes(a.q6_recent)) {
        CssrsRisk::High
    } else if yes(a.q3) || a.q6 {
        CssrsRisk::Moderate
    } else if a.q1 || a.q2 {
        CssrsRisk::Low
    } else {
        CssrsRisk::NoRisk
    }
}

/// `n` item scores (0–3 each) that sum to `total` (at most `3 n`), spread at random.
fn spread(rng: &mut SimRng, n: usize, total: u32) -> Vec<u8> {
    let mut items = vec![0u8; n];
    let mut left = total.min(3 * n as u32);
    while left > 0 {
        let open: Vec<usize> = (0..n)
            .filter(|&i| items.get(i).is_some_and(|v| *v < 3))
            .collect();
        let Some(&i) = one_of(rng, &open) else { break };
        if let Some(v) = items.get_mut(i) {
            *v += 1;
        }
        left -= 1;
    }
    items
}

/// PHQ-9 answers in the drawn band; item 9 positive with the spec's probability.
fn draw_phq9(rng: &mut SimRng, spec: &Phq9Spec) -> Vec<u8> {
    let band = pick(rng, &spec.severity)
        .copied()
        .unwrap_or(Phq9Band::NoneMinimal);
    let (lo, hi) = band.range();
    let item9: u8 = if chance(rng, spec.item9_positive) && hi >= 1 {
        if hi >= 15 && chance(rng, 0.4) { 2 } else { 1 }
    } else {
        0
    };
    // Items 1–8 hold at most 24 points.
    let lo = lo.max(u32::from(item9));
    let hi = hi.min(24 + u32::from(item9));
    let total = in_pair(rng, (lo, hi));
    let mut items = spread(rng, 8, total - u32::from(item9));
    items.push(item9);
    items
}

/// C-SSRS answers at a risk level, varying which answers make the level.
fn draw_cssrs(rng: &mut SimRng, risk: CssrsRisk) -> CssrsAnswers {
    let no = Some(false);
    let yes = Some(true);
    match risk {
        CssrsRisk::NoRisk => CssrsAnswers::default(),
        CssrsRisk::Low if chance(rng, 0.5) => CssrsAnswers {
            q1: true,
            ..CssrsAnswers::default()
        },
        CssrsRisk::Low => CssrsAnswers {
            q1: true,
            q2: true,
            q3: no,
            q4: no,
            q5: no,
            ..CssrsAnswers::default()
        },
        CssrsRisk::Moderate if chance(rng, 0.7) => CssrsAnswers {
            q1: true,
            q2: true,
            q3: yes,
            q4: no,
            q5: no,
            ..CssrsAnswers::default()
        },
        CssrsRisk::Moderate => CssrsAnswers {
            q1: true,
            q6: true,
            q6_recent: no,
            ..CssrsAnswers::default()
        },
        CssrsRisk::High => {
            let base = CssrsAnswers {
                q1: true,
                q2: true,
                q3: yes,
                q4: no,
                q5: no,
                ..CssrsAnswers::default()
            };
            match in_pair(rng, (0, 2)) {
                0 => CssrsAnswers { q4: yes, ..base },
                1 => CssrsAnswers {
                    q4: yes,
                    q5: yes,
                    ..base
                },
                _ => CssrsAnswers {
                    q6: true,
                    q6_recent: yes,
                    ..base
                },
            }
        }
    }
}

/// Draws the answers of every screening `spec` asks for, from the patient seed. With a PHQ-9,
/// the C-SSRS agrees with item 9: none when item 9 is 0, at least low when it is positive.
#[must_use]
pub fn draw(spec: &ScreeningSpec, patient_seed: u64) -> ScreeningAnswers {
    let mut rng = rng_for(patient_seed ^ STREAM);
    let phq9 = spec.phq9.as_ref().map(|p| draw_phq9(&mut rng, p));
    let gad7 = spec.gad7.as_ref().map(|g| {
        let band = pick(&mut rng, &g.severity)
            .copied()
            .unwrap_or(Gad7Band::Minimal);
        let t = in_pair(&mut rng, band.range());
        spread(&mut rng, 7, t)
    });
    let cssrs = spec.cssrs.as_ref().map(|c| {
        let drawn = pick(&mut rng, &c.risk)
            .copied()
            .unwrap_or(CssrsRisk::NoRisk);
        let item9 = phq9.as_ref().and_then(|p| p.get(8).copied());
        let risk = match item9 {
            Some(0) => CssrsRisk::NoRisk,
            Some(_) => drawn.max(CssrsRisk::Low),
            None => drawn,
        };
        draw_cssrs(&mut rng, risk)
    });
    ScreeningAnswers { phq9, gad7, cssrs }
}

/// The screening section of a chart (and of the key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningEntry {
    /// PHQ-9 total (0–27).
    #[serde(default)]
    pub phq9_total: Option<u32>,
    /// PHQ-9 severity band.
    #[serde(default)]
    pub phq9_severity: Option<String>,
    /// PHQ-9 item 9 score (0–3).
    #[serde(default)]
    pub phq9_item9: Option<u32>,
    /// GAD-7 total (0–21).
    #[serde(default)]
    pub gad7_total: Option<u32>,
    /// GAD-7 severity band.
    #[serde(default)]
    pub gad7_severity: Option<String>,
    /// C-SSRS Q1.
    #[serde(default)]
    pub cssrs_q1: Option<bool>,
    /// C-SSRS Q2.
    #[serde(default)]
    pub cssrs_q2: Option<bool>,
    /// C-SSRS Q3 (asked only if Q2 is yes).
    #[serde(default)]
    pub cssrs_q3: Option<bool>,
    /// C-SSRS Q4 (asked only if Q2 is yes).
    #[serde(default)]
    pub cssrs_q4: Option<bool>,
    /// C-SSRS Q5 (asked only if Q2 is yes).
    #[serde(default)]
    pub cssrs_q5: Option<bool>,
    /// C-SSRS Q6.
    #[serde(default)]
    pub cssrs_q6: Option<bool>,
    /// C-SSRS Q6 follow-up: within the past 3 months (asked only if Q6 is yes).
    #[serde(default)]
    pub cssrs_q6_recent: Option<bool>,
    /// C-SSRS risk level.
    #[serde(default)]
    pub cssrs_risk: Option<String>,
}

/// The key's screening section: totals, bands and risk derived from the answers.
#[must_use]
pub fn key_entry(a: &ScreeningAnswers) -> ScreeningEntry {
    let phq9 = a.phq9.as_deref();
    let gad7 = a.gad7.as_deref();
    let c = a.cssrs.as_ref();
    ScreeningEntry {
        phq9_total: phq9.map(total),
        phq9_severity: phq9.map(|p| phq9_band(total(p)).value().into()),
        phq9_item9: phq9.and_then(|p| p.get(8)).map(|&i| u32::from(i)),
        gad7_total: gad7.map(total),
        gad7_severity: gad7.map(|g| gad7_band(total(g)).value().into()),
        cssrs_q1: c.map(|c| c.q1),
        cssrs_q2: c.map(|c| c.q2),
        cssrs_q3: c.and_then(|c| c.q3),
        cssrs_q4: c.and_then(|c| c.q4),
        cssrs_q5: c.and_then(|c| c.q5),
        cssrs_q6: c.map(|c| c.q6),
        cssrs_q6_recent: c.and_then(|c| c.q6_recent),
        cssrs_risk: c.map(|c| cssrs_risk(c).value().into()),
    }
}

/// The screening results as the exemplar note's Objective states them.
#[must_use]
pub fn summary(a: &ScreeningAnswers) -> String {
    let e = key_entry(a);
    let mut parts = Vec::new();
    if let (Some(t), Some(b), Some(i9)) = (e.phq9_total, &e.phq9_severity, e.phq9_item9) {
        parts.push(format!(
            "PHQ-9 {t} ({}), item 9 = {i9}",
            b.replace('_', " ")
        ));
    }
    if let (Some(t), Some(b)) = (e.gad7_total, &e.gad7_severity) {
        parts.push(format!("GAD-7 {t} ({b})"));
    }
    if let Some(r) = &e.cssrs_risk {
        let level = if r == CssrsRisk::NoRisk.value() {
            "no risk identified".to_string()
        } else {
            format!("{r} risk")
        };
        parts.push(format!("C-SSRS screener: {level}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}.", parts.join("; "))
    }
}

/// The PHQ-9 items (Kroenke 2001), as the clinician asks them.
const PHQ9_ITEMS: [&str; 9] = [
    "little interest or pleasure in doing things",
    "feeling down, depressed, or hopeless",
    "trouble falling or staying asleep, or sleeping too much",
    "feeling tired or having little energy",
    "poor appetite or overeating",
    "feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "trouble concentrating on things, such as reading the newspaper or watching television",
    "moving or speaking so slowly that other people could have noticed — or the opposite, being so fidgety or restless that you have been moving around a lot more than usual",
    "thoughts that you would be better off dead, or of hurting yourself in some way",
];

/// The GAD-7 items (Spitzer 2006).
const GAD7_ITEMS: [&str; 7] = [
    "feeling nervous, anxious, or on edge",
    "not being able to stop or control worrying",
    "worrying too much about different things",
    "trouble relaxing",
    "being so restless that it is hard to sit still",
    "becoming easily annoyed or irritable",
    "feeling afraid, as if something awful might happen",
];

/// The response options, by score.
const OPTIONS: [&str; 4] = [
    "not at all",
    "several days",
    "more than half the days",
    "nearly every day",
];

/// How a patient might say each response, by score.
const SAYINGS: [[&str; 3]; 4] = [
    [
        "No, not really.",
        "Not at all.",
        "No, that's not a problem.",
    ],
    [
        "Some days, yeah. A few.",
        "Maybe a couple of days here and there.",
        "Now and then — several days, I guess.",
    ],
    [
        "More often than not, honestly.",
        "Most days, I'd say. Over half.",
        "Yeah, a lot of the time — more than half the days.",
    ],
    [
        "Pretty much every day.",
        "Every single day, yes.",
        "Nearly every day.",
    ],
];

fn saying(rng: &mut SimRng, score: u8) -> &'static str {
    SAYINGS
        .get(usize::from(score))
        .and_then(|s| one_of(rng, s))
        .copied()
        .unwrap_or("Not at all.")
}

/// One questionnaire in the conversation: each item asked, answered in the patient's words,
/// and read back with its score.
fn questionnaire(
    lines: &mut Vec<String>,
    rng: &mut SimRng,
    who: &str,
    (name, intro): (&str, &str),
    questions: &[&str],
    items: &[u8],
) {
    lines.push(format!(
        "MA: Next is the {name}. {intro} Over the last two weeks, how often have you been bothered by the following? Not at all, several days, more than half the days, or nearly every day."
    ));
    for (i, (q, &score)) in questions.iter().zip(items).enumerate() {
        lines.push(format!("MA: {}. {}?", i + 1, uppercase_first(q)));
        lines.push(format!("{who}: {}", saying(rng, score)));
        let option = OPTIONS.get(usize::from(score)).copied().unwrap_or("");
        lines.push(format!("MA: That's \"{option}\" — {score}."));
    }
}

fn answer(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

/// The C-SSRS screener in the conversation, asked by `asker` (the provider).
fn cssrs_dialogue(lines: &mut Vec<String>, rng: &mut SimRng, asker: &str, a: &CssrsAnswers) {
    lines.push(format!(
        "{asker}: I'd like to ask some questions we ask everyone about thoughts of suicide — the Columbia screener. In the past month, have you wished you were dead or wished you could go to sleep and not wake up?"
    ));
    let words = |yes: bool, y: &str, n: &str| if yes { y.to_string() } else { n.to_string() };
    lines.push(format!(
        "Patient: {}",
        words(
            a.q1,
            "Yes. Some nights I think it would be easier not to wake up.",
            "No."
        )
    ));
    lines.push(format!(
        "{asker}: In the past month, have you actually had any thoughts of killing yourself?"
    ));
    lines.push(format!(
        "Patient: {}",
        words(
            a.q2,
            "Yes... I have thought about it.",
            "No, not like that."
        )
    ));
    if let (Some(q3), Some(q4), Some(q5)) = (a.q3, a.q4, a.q5) {
        lines.push(format!(
            "{asker}: Have you been thinking about how you might do this?"
        ));
        lines.push(format!(
            "Patient: {}",
            words(
                q3,
                "I've thought about taking all my pills.",
                "No, I haven't thought about how."
            )
        ));
        lines.push(format!(
            "{asker}: Have you had these thoughts and had some intention of acting on them?"
        ));
        lines.push(format!(
            "Patient: {}",
            words(
                q4,
                "Sometimes I think I might.",
                "No. I wouldn't act on it."
            )
        ));
        lines.push(format!(
            "{asker}: Have you started to work out or worked out the details of how to kill yourself? Do you intend to carry out this plan?"
        ));
        lines.push(format!(
            "Patient: {}",
            words(q5, "I've been saving up pills in a drawer.", "No, no plan.")
        ));
    }
    lines.push(format!(
        "{asker}: Have you ever done anything, started to do anything, or prepared to do anything to end your life?"
    ));
    let filler = one_of(rng, &["", "Um... ", "(pause) "])
        .copied()
        .unwrap_or("");
    lines.push(format!(
        "Patient: {filler}{}",
        words(a.q6, "Yes. I took a handful of pills once.", "No, never.")
    ));
    if let Some(recent) = a.q6_recent {
        lines.push(format!("{asker}: Was that within the past three months?"));
        lines.push(format!(
            "Patient: {}",
            words(
                recent,
                "Yes — about six weeks ago.",
                "No, that was years ago."
            )
        ));
    }
    let summary: Vec<String> = [
        ("1", Some(a.q1)),
        ("2", Some(a.q2)),
        ("3", a.q3),
        ("4", a.q4),
        ("5", a.q5),
        ("6", Some(a.q6)),
    ]
    .iter()
    .filter_map(|(n, q)| q.map(|q| format!("question {n} {}", answer(q))))
    .collect();
    let mut readback = format!(
        "{asker}: Thank you for telling me. So: {}",
        summary.join(", ")
    );
    if let Some(recent) = a.q6_recent {
        readback.push_str(&format!(
            ", and that was {} the past three months",
            if recent { "within" } else { "not within" }
        ));
    }
    readback.push('.');
    if !a.q2 {
        readback.push_str(" Questions 3 to 5 are skipped when question 2 is no.");
    }
    lines.push(readback);
}

/// The screenings in the intake conversation, in the order PHQ-9, GAD-7, C-SSRS.
pub(crate) fn dialogue(
    lines: &mut Vec<String>,
    a: &ScreeningAnswers,
    who: &str,
    provider: &str,
    patient_seed: u64,
) {
    let mut rng = rng_for(patient_seed ^ STREAM ^ 0xd1a1);
    if let Some(items) = &a.phq9 {
        questionnaire(
            lines,
            &mut rng,
            who,
            (
                "PHQ-9",
                "It's a depression questionnaire we use at these visits.",
            ),
            &PHQ9_ITEMS,
            items,
        );
    }
    if let Some(items) = &a.gad7 {
        questionnaire(
            lines,
            &mut rng,
            who,
            ("GAD-7", "These seven are about anxiety."),
            &GAD7_ITEMS,
            items,
        );
    }
    if let Some(c) = &a.cssrs {
        cssrs_dialogue(lines, &mut rng, provider, c);
    }
}

/// What the provider says after a positive C-SSRS screen (and the exemplar plan's sentence);
/// `None` when there is no screener or it is negative.
#[must_use]
pub fn risk_action(a: &ScreeningAnswers) -> Option<&'static str> {
    match a.cssrs.as_ref().map(cssrs_risk)? {
        CssrsRisk::NoRisk => None,
        CssrsRisk::Low | CssrsRisk::Moderate => Some(
            "Positive suicide-risk screen: safety plan completed with the patient today and the 988 Suicide & Crisis Lifeline given; behavioral health referral.",
        ),
        CssrsRisk::High => Some(
            "High-risk suicide screen: patient not left alone; same-day behavioral health crisis evaluation arranged; 988 Suicide & Crisis Lifeline given.",
        ),
    }
}

fn uppercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_answers_stay_in_the_drawn_band() {
        for band in [
            Phq9Band::NoneMinimal,
            Phq9Band::Mild,
            Phq9Band::Moderate,
            Phq9Band::ModeratelySevere,
            Phq9Band::Severe,
        ] {
            let spec = ScreeningSpec {
                phq9: Some(Phq9Spec {
                    severity: vec![Weighted {
                        weight: 1.0,
                        value: band,
                    }],
                    item9_positive: 0.5,
                }),
                gad7: None,
                cssrs: Some(CssrsSpec {
                    risk: vec![Weighted {
                        weight: 1.0,
                        value: CssrsRisk::High,
                    }],
                }),
            };
            for seed in 0..200 {
                let a = draw(&spec, seed);
                let items = a.phq9.clone().unwrap_or_default();
                assert_eq!(items.len(), 9);
                assert!(items.iter().all(|&i| i <= 3));
                assert_eq!(phq9_band(total(&items)), band, "seed {seed}");
                let risk = a.cssrs.as_ref().map(cssrs_risk);
                let expected = if items.get(8) == Some(&0) {
                    CssrsRisk::NoRisk
                } else {
                    CssrsRisk::High
                };
                assert_eq!(risk, Some(expected), "seed {seed}");
            }
        }
    }
}
