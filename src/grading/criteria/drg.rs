//! The MS-DRG and POA criteria of inpatient coding: what the learner's codes are worth.
//!
//! [`score_drg`] groups the key's claim and the learner's (same claim facts, the learner's
//! codes and POA indicators) with the MS-DRG v43 grouper and compares the two DRGs: the same
//! DRG earns full credit; a DRG of the key's family that differs only by its severity split
//! (a CC or MCC missed, or one the record does not support) earns the rubric's `same_family`
//! credit; any other DRG earns nothing. The details name both DRGs with their weights and
//! payments, what made the difference (the MCC or CC, the principal diagnosis, the path) and
//! its value in dollars. A case the grouper does not decide is never graded (docs/domain/
//! ms-drg.md §10: rules not confirmed never take points). [`score_poa`] compares the POA
//! indicators the key documents, code by code.

use std::collections::HashMap;

use serde_json::Value;

use super::Scored;
use crate::grading::rubric::DrgSettings;
use crate::terminology::drg::payment::{self, DrgPayFlags, PaymentParams};
use crate::terminology::drg::{self, Claim, DischargeStatus, GroupError, Grouping, Poa, Sex};
use crate::terminology::syntax::strip_dot;
use crate::terminology::{self, System};

/// The codes of a list (plain or annotated lines), never-coded key lines left out.
fn codes_of(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|v| v.get("never").is_none_or(Value::is_null))
                .filter_map(|v| v.as_str().or_else(|| v.get("code").and_then(Value::as_str)))
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The POA indicators given, by code (dot and case ignored; the first line of a code wins).
fn poa_lines(codes: &Value) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for l in codes
        .get("poa")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
    {
        if let (Some(code), Some(ind)) = (
            l.get("code").and_then(Value::as_str),
            l.get("indicator").and_then(Value::as_str),
        ) {
            out.entry(strip_dot(code.trim()).to_ascii_uppercase())
                .or_insert_with(|| ind.trim().to_ascii_uppercase());
        }
    }
    out
}

/// The POA indicator given for a code in `lines` (from [`poa_lines`]).
fn poa_in(lines: &HashMap<String, String>, code: &str) -> Option<String> {
    lines.get(&strip_dot(code).to_ascii_uppercase()).cloned()
}

/// The claim facts of the key.
struct Facts {
    age: Option<u8>,
    sex: Sex,
    status: u8,
    date: Option<chrono::NaiveDate>,
    los: Option<u32>,
}

fn facts(key: &Value) -> Option<Facts> {
    let c = key.get("claim")?;
    let sex = match c.get("sex").and_then(Value::as_str)? {
        "M" => Sex::M,
        "F" => Sex::F,
        _ => Sex::U,
    };
    let status = c
        .get("discharge_status")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<u8>().ok())
        .unwrap_or(1);
    Some(Facts {
        age: c
            .get("age")
            .and_then(Value::as_u64)
            .and_then(|a| u8::try_from(a).ok()),
        sex,
        status,
        date: c
            .get("discharge_date")
            .and_then(Value::as_str)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        los: c
            .get("length_of_stay")
            .and_then(Value::as_u64)
            .and_then(|d| u32::try_from(d).ok()),
    })
}

/// Whether a code is a billable code of its code set.
fn valid(system: System, code: &str) -> bool {
    terminology::lookup(system, code).is_some_and(|e| e.is_code() && e.billable)
}

/// A claim from a coded answer: the first diagnosis is the principal, the rest secondary with
/// their POA indicators (none given: Y). Invalid codes are left out and named in `dropped`.
fn claim_of(codes: &Value, f: &Facts, dropped: &mut Vec<String>) -> Option<Claim> {
    const MAX_SDX: usize = 24;
    const MAX_PCS: usize = 25;
    let dx = codes_of(codes.get("diagnoses"));
    let (pdx, rest) = dx.split_first()?;
    let poa = poa_lines(codes);
    let mut sdx = Vec::new();
    let mut beyond = 0usize;
    for code in rest {
        if !valid(System::Icd10Cm, code) {
            dropped.push(format!("{code} (not a valid code)"));
        } else if sdx.len() == MAX_SDX {
            beyond += 1;
        } else {
            let indicator = poa_in(&poa, code)
                .and_then(|p| Poa::parse(&p))
                .unwrap_or(Poa::Y);
            sdx.push((code.clone(), indicator));
        }
    }
    if beyond > 0 {
        dropped.push(format!(
            "{beyond} secondary diagnoses beyond the {MAX_SDX} a claim holds"
        ));
    }
    let mut pcs = Vec::new();
    let mut beyond = 0usize;
    for code in codes_of(codes.get("procedures")) {
        if !valid(System::Icd10Pcs, &code) {
            dropped.push(format!("{code} (not a valid code)"));
        } else if pcs.len() == MAX_PCS {
            beyond += 1;
        } else {
            pcs.push(code);
        }
    }
    if beyond > 0 {
        dropped.push(format!(
            "{beyond} procedures beyond the {MAX_PCS} a claim holds"
        ));
    }
    Some(Claim {
        pdx: pdx.clone(),
        sdx,
        pcs,
        age: f.age,
        sex: f.sex,
        discharge: DischargeStatus(f.status),
        discharge_date: f.date,
    })
}

/// The payment of a grouping at the criterion's parameters (transfer rules with the key's
/// discharge status and length of stay).
fn paid(g: &Grouping, f: &Facts, params: &PaymentParams) -> Option<payment::Payment> {
    let weight = g.weight?;
    let defs = drg::definitions().ok()?;
    let transfer = match (f.los, g.gmlos, defs.table5_row(&g.drg)) {
        (Some(los), Some(gmlos), Some(row)) => Some((
            f.status,
            los,
            gmlos,
            DrgPayFlags {
                post_acute: row.post_acute,
                special_pay: row.special_pay,
            },
        )),
        _ => None,
    };
    Some(payment::estimate(weight, params, transfer))
}

/// A grouping as one phrase: DRG, title, weight and payment (with the transfer rule when one
/// applied).
fn described(g: &Grouping, paid: Option<&payment::Payment>) -> String {
    let weight = g
        .weight
        .map_or("no weight".to_string(), |w| format!("weight {w:.4}"));
    let money = paid.map_or(String::new(), |p| match p.per_diem {
        Some(_) => format!(", ${}: {}", payment::money(p.amount), p.rule),
        None => format!(", ${}", payment::money(p.amount)),
    });
    format!("MS-DRG {} {} ({weight}{money})", g.drg, g.title)
}

/// What made the two groupings differ: principal diagnosis, MCC, CC, then the other path steps.
fn differences(
    key: &Grouping,
    mine: &Grouping,
    key_codes: &[String],
    my_codes: &[String],
) -> Vec<String> {
    let on_claim = |code: &str| {
        let want = strip_dot(code);
        my_codes
            .iter()
            .any(|c| strip_dot(c).eq_ignore_ascii_case(&want))
    };
    let excluded_in = |g: &Grouping, code: &str| {
        g.excluded
            .iter()
            .find(|e| strip_dot(&e.code).eq_ignore_ascii_case(&strip_dot(code)))
            .map(|e| e.reason.clone())
    };
    let mut out = Vec::new();
    for (level, theirs, ours) in [
        ("MCC", key.mcc.as_deref(), mine.mcc.as_deref()),
        ("CC", key.cc.as_deref(), mine.cc.as_deref()),
    ] {
        if level == "CC" && (key.mcc.is_some() || mine.mcc.is_some()) {
            break;
        }
        let a = if level == "MCC" { "an" } else { "a" };
        match (theirs, ours) {
            (Some(k), None) if !on_claim(k) => out.push(format!(
                "{k} (the key's {level}) is not on your claim: {} → {}",
                key.drg, mine.drg
            )),
            (Some(k), None) => out.push(format!(
                "{k} is on your claim but does not count as {a} {level}: {}",
                excluded_in(mine, k).unwrap_or_else(|| "see your path below".to_string())
            )),
            (None, Some(m)) => out.push(match excluded_in(key, m) {
                Some(reason) => format!(
                    "{m} counts as {a} {level} on your claim; on the key's it does not: {reason}: {} → {}",
                    key.drg, mine.drg
                ),
                None if key_codes
                    .iter()
                    .any(|c| strip_dot(c).eq_ignore_ascii_case(&strip_dot(m))) =>
                {
                    format!(
                        "{m} counts as {a} {level} on your claim but not on the key's (another \
                         principal diagnosis): {} → {}",
                        key.drg, mine.drg
                    )
                }
                None => format!(
                    "{m} counts as {a} {level} on your claim, but the key does not report it (the \
                     record does not support it): {} → {}",
                    key.drg, mine.drg
                ),
            }),
            (Some(_) | None, Some(_) | None) => {}
        }
    }
    let steps = |g: &Grouping| -> Vec<String> {
        g.path
            .iter()
            .filter(|s| s.step != "version" && s.step != "drg")
            .map(|s| format!("{}: {}", s.step, s.detail))
            .collect()
    };
    let (theirs, ours) = (steps(key), steps(mine));
    for s in theirs.iter().filter(|s| !ours.contains(s)) {
        out.push(format!("key's path — {s}"));
    }
    for s in ours.iter().filter(|s| !theirs.contains(s)) {
        out.push(format!("your path — {s}"));
    }
    out
}

/// A coded claim grouped: the grouping (or why there is none), its payment at the FY2026
/// national figures, and the codes left out as not valid.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimGrouping {
    /// The grouping, or why the claim has none.
    pub grouping: Result<Grouping, GroupError>,
    /// Payment at the FY2026 national base rate and wage index 1.0.
    pub payment: Option<f64>,
    /// Codes left out of the claim as not valid codes.
    pub dropped: Vec<String>,
}

/// Groups a coded claim (`codes`: diagnoses, procedures, POA lines and the `claim` facts), as
/// the MS-DRG criterion groups an answer; `None` without claim facts or a principal diagnosis.
#[must_use]
pub fn group_claim(codes: &Value) -> Option<ClaimGrouping> {
    let f = facts(codes)?;
    let mut dropped = Vec::new();
    let claim = claim_of(codes, &f, &mut dropped)?;
    let grouping = drg::group(&claim);
    let payment = grouping
        .as_ref()
        .ok()
        .and_then(|g| paid(g, &f, &PaymentParams::default()))
        .map(|p| p.amount);
    Some(ClaimGrouping {
        grouping,
        payment,
        dropped,
    })
}

/// The MS-DRG criterion. `key` and `given` are the coded claims (`codes`).
#[must_use]
pub fn score_drg(key: &Value, given: Option<&Value>, settings: &DrgSettings) -> Scored {
    let Some(f) = facts(key) else {
        return Scored::not_applicable(
            "the case has no inpatient claim facts: the MS-DRG is graded on inpatient stays",
        );
    };
    let params = PaymentParams {
        standardized_amount: settings
            .base_rate
            .unwrap_or(payment::FY2026_STANDARDIZED_AMOUNT),
        wage_index: settings.wage_index.unwrap_or(1.0),
        labor_share: None,
    };
    let mut ignored = Vec::new();
    let Some(key_claim) = claim_of(key, &f, &mut ignored) else {
        return Scored::not_applicable("the key has no principal diagnosis");
    };
    let key_group = match drg::group(&key_claim) {
        Ok(g) if g.weight.is_some() => g,
        Ok(g) => {
            return Scored::not_applicable(format!(
                "the key's claim groups to {} (no weight)",
                g.drg
            ));
        }
        Err(e) => {
            return Scored::not_applicable(format!(
                "the key's claim is not graded for its DRG: {e}"
            ));
        }
    };
    let given = match given {
        Some(g) if !codes_of(g.get("diagnoses")).is_empty() => g,
        Some(_) | None => return Scored::missing(),
    };
    let mut dropped = Vec::new();
    let Some(claim) = claim_of(given, &f, &mut dropped) else {
        return Scored::missing();
    };
    let key_paid = paid(&key_group, &f, &params);
    let key_line = format!(
        "The key's codes group to {}.",
        described(&key_group, key_paid.as_ref())
    );
    let mine = match drg::group(&claim) {
        Ok(g) => g,
        Err(GroupError::Input(msg)) => {
            let mut scored = Scored::graded(
                0.0,
                vec![
                    format!(
                        "Your claim does not group: {msg}. A claim without a valid principal diagnosis is returned unpaid."
                    ),
                    key_line,
                ],
            );
            scored.shown = Some(Box::new((
                Value::String(headline(&key_group)),
                Value::String("no MS-DRG: the claim does not group".to_string()),
            )));
            return scored;
        }
        Err(e @ (GroupError::Undetermined(_) | GroupError::Definitions(_))) => {
            return Scored::not_applicable(format!(
                "your claim is not graded for its DRG ({e}); {key_line}"
            ));
        }
    };
    let my_paid = paid(&mine, &f, &params);
    let mut details = vec![format!(
        "Your codes group to {}.",
        described(&mine, my_paid.as_ref())
    )];
    if !dropped.is_empty() {
        details.push(format!("Left out of your claim: {}.", dropped.join(", ")));
    }
    if mine.drg == key_group.drg {
        details.push("The same MS-DRG as the key's.".to_string());
        let mut scored = Scored::graded(1.0, details);
        scored.shown = Some(Box::new((
            Value::String(headline(&key_group)),
            Value::String(headline(&mine)),
        )));
        return scored;
    }
    details.push(key_line);
    let my_codes: Vec<String> = codes_of(given.get("diagnoses"));
    let key_codes: Vec<String> = codes_of(key.get("diagnoses"));
    details.extend(differences(&key_group, &mine, &key_codes, &my_codes));
    if let (Some(k), Some(m)) = (&key_paid, &my_paid) {
        let delta = m.amount - k.amount;
        let at = format!(
            "at the base rate ${} and wage index {}",
            payment::money(params.standardized_amount),
            params.wage_index
        );
        details.push(if delta < 0.0 {
            format!(
                "{} → {}: {} {at}: revenue the record supports and the claim loses.",
                key_group.drg,
                mine.drg,
                payment::signed_money(delta)
            )
        } else {
            format!(
                "{} → {}: {} {at}: payment the record does not support (an overpayment is a \
                 compliance finding).",
                key_group.drg,
                mine.drg,
                payment::signed_money(delta)
            )
        });
    }
    let family = drg::definitions().is_ok_and(|d| d.same_family(&key_group.drg, &mine.drg));
    let credit = if family {
        details.push(format!(
            "{} and {} are one DRG family split by severity: partial credit.",
            key_group.drg, mine.drg
        ));
        settings.same_family
    } else {
        0.0
    };
    let mut scored = Scored::graded(credit, details);
    scored.shown = Some(Box::new((
        Value::String(headline(&key_group)),
        Value::String(headline(&mine)),
    )));
    scored
}

/// "MS-DRG 871 SEPTICEMIA …": what the report shows as expected and given.
fn headline(g: &Grouping) -> String {
    format!("MS-DRG {} {}", g.drg, g.title)
}

/// The label of a POA indicator.
fn poa_label(indicator: &str) -> &'static str {
    drg::POA_INDICATORS
        .iter()
        .find(|(v, _)| *v == indicator)
        .map_or("not an indicator", |(_, label)| label)
}

/// The POA criterion: each indicator the key documents, for the codes on the learner's claim.
#[must_use]
pub fn score_poa(key: &Value, given: Option<&Value>) -> Scored {
    let lines: Vec<(String, String)> = key
        .get("poa")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|l| {
                    Some((
                        l.get("code")?.as_str()?.to_string(),
                        l.get("indicator")?.as_str()?.to_ascii_uppercase(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    if lines.is_empty() {
        return Scored::not_applicable(
            "the record states no present-on-admission indicator to grade",
        );
    }
    let Some(given) = given else {
        return Scored::missing();
    };
    let mine = codes_of(given.get("diagnoses"));
    let given_poa = poa_lines(given);
    let mut right = 0usize;
    let mut counted = 0usize;
    let mut details = Vec::new();
    let mut shown_key = Vec::new();
    let mut shown_given = Vec::new();
    for (code, want) in &lines {
        shown_key.push(Value::String(format!("{code}: {want}")));
        let on_claim = mine
            .iter()
            .any(|c| strip_dot(c).eq_ignore_ascii_case(&strip_dot(code)));
        let got = poa_in(&given_poa, code).unwrap_or_default();
        shown_given.push(Value::String(match (on_claim, got.as_str()) {
            (false, _) => format!("{code}: not on the claim"),
            (true, "") => format!("{code}: none"),
            (true, g) => format!("{code}: {g}"),
        }));
        if !on_claim {
            continue;
        }
        counted += 1;
        match poa_in(&given_poa, code) {
            Some(got) if got == *want || (want == "1" && got.is_empty()) => right += 1,
            Some(got) if !got.is_empty() => details.push(format!(
                "{code}: {} given; the record supports {}",
                poa_label(&got),
                poa_label(want)
            )),
            Some(_) | None => details.push(format!(
                "{code}: no indicator given; the record supports {}",
                poa_label(want)
            )),
        }
    }
    if counted == 0 {
        return Scored::not_applicable(
            "none of the codes whose POA the record states is on your claim (the codes \
             criterion grades the codes)",
        );
    }
    #[allow(clippy::cast_precision_loss)]
    let credit = right as f64 / counted as f64;
    details.insert(
        0,
        format!("{right} of {counted} indicators as the record supports"),
    );
    let mut scored = Scored::graded(credit, details);
    scored.shown = Some(Box::new((
        Value::Array(shown_key),
        Value::Array(shown_given),
    )));
    scored
}
