//! Reviewing a graded attempt in the chart: the submitted answer is shown read-only in its own
//! forms, and every entry where points were lost is framed in the alert colour with the points
//! lost, the criterion and its feedback. The feedback report links each criterion to its
//! entries ("Show in form"), which scrolls the form to them.
//!
//! Matching is by field path: a criterion reads paths such as `vitals.heart_rate`,
//! `allergies` or `arrivals[3].esi_level`; a form entry is implicated when its path is one of
//! them, lies inside one (a row of a listed list) or contains one (the list holding a row).

use egui::{RichText, Ui};

use super::theme;
use crate::grading::GradeReport;
use crate::grading::path::within;

/// Points lost on one criterion, and the entries it read.
#[derive(Debug, Clone, PartialEq)]
pub struct LostPoints {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// The field paths the criterion reads.
    pub fields: Vec<String>,
    /// Points lost (max − earned), > 0.
    pub lost: f64,
    /// The feedback the learner was given.
    pub feedback: String,
}

/// What a reviewed workspace highlights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Review {
    /// Criteria that lost points, in report order.
    pub lost: Vec<LostPoints>,
    /// The criterion the learner asked to see (the form scrolls to its first entry once).
    pub focus: Option<String>,
}

impl Review {
    /// The criteria of a report that lost points (not-applicable criteria and full marks are
    /// left out).
    #[must_use]
    pub fn from_report(report: &GradeReport) -> Self {
        let lost = report
            .criteria
            .iter()
            .filter(|c| c.max > 0.0 && c.max - c.points > 1e-9)
            .map(|c| LostPoints {
                criterion: c.id.clone(),
                title: c.title.clone(),
                fields: lost_lines(c).unwrap_or_else(|| c.fields.clone()),
                lost: c.max - c.points,
                feedback: c.feedback.clone(),
            })
            .collect();
        Self { lost, focus: None }
    }

    /// The criteria that lost points on the entry at `path` (or inside it, or around it).
    #[must_use]
    pub fn at(&self, path: &str) -> Vec<&LostPoints> {
        self.lost
            .iter()
            .filter(|l| l.fields.iter().any(|f| touches(f, path)))
            .collect()
    }

    /// Whether the points lost on the list at `list` are all on named lines (`codes[1]`): the
    /// list's drawing then frames those lines, not the list as a whole.
    #[must_use]
    pub fn frames_lines_of(&self, list: &str) -> bool {
        let mut touching = self
            .lost
            .iter()
            .flat_map(|l| &l.fields)
            .filter(|f| touches(f, list))
            .peekable();
        touching.peek().is_some()
            && touching.all(|f| {
                f.strip_prefix(list)
                    .is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
            })
    }

    /// Whether the focused criterion reads the entry at `path`.
    #[must_use]
    pub fn focused_at(&self, path: &str) -> bool {
        self.focus.as_deref().is_some_and(|id| {
            self.lost
                .iter()
                .any(|l| l.criterion == id && l.fields.iter().any(|f| touches(f, path)))
        })
    }
}

/// For a criterion over a list of codes (`codes`: `["I10", "E11.9"]`), the lines that lost the
/// points: the given lines that match no key entry (`codes[1]`). `None` when the criterion is
/// not over one list of codes, or when every given line is right (the points went on missing
/// lines, so the list as a whole is framed).
fn lost_lines(c: &crate::grading::CriterionResult) -> Option<Vec<String>> {
    use serde_json::Value;
    let [field] = c.fields.as_slice() else {
        return None;
    };
    let list = field.trim_end_matches("[]");
    if list.contains('[') {
        return None;
    }
    let code = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("code").and_then(Value::as_str).map(str::to_string),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => None,
        }
    };
    let norm = |s: &str| s.trim().replace('.', "").to_uppercase();
    let expected = c.expected.as_array()?;
    let mut accepted = Vec::new();
    for entry in expected {
        accepted.push(norm(&code(entry)?));
        if let Some(alternatives) = entry.get("alternatives").and_then(Value::as_array) {
            accepted.extend(alternatives.iter().filter_map(Value::as_str).map(norm));
        }
    }
    let given = c.given.as_array()?;
    let mut wrong = Vec::new();
    for (i, line) in given.iter().enumerate() {
        if !accepted.contains(&norm(&code(line)?)) {
            wrong.push(format!("{list}[{i}]"));
        }
    }
    (!wrong.is_empty()).then_some(wrong)
}

/// Whether a criterion's read path and a form entry's path concern the same entry.
fn touches(read: &str, path: &str) -> bool {
    within(read, path) || within(path, read)
}

/// Draws `add` inside an alert frame listing the points lost when `path` is implicated in the
/// review, else plainly. Returns true when this entry is the focused one (the caller asks to
/// clear the focus once it has scrolled there).
pub(crate) fn frame_ui(
    ui: &mut Ui,
    review: Option<&Review>,
    path: &str,
    add: impl FnOnce(&mut Ui),
) -> bool {
    let Some(review) = review else {
        add(ui);
        return false;
    };
    let lost = review.at(path);
    if lost.is_empty() {
        add(ui);
        return false;
    }
    let dark = theme::is_dark(ui.ctx());
    let focused = review.focused_at(path);
    let stroke_width = if focused { 2.5 } else { 1.5 };
    let frame = egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(stroke_width, theme::alert(dark)))
        .show(ui, |ui| {
            add(ui);
            for l in lost {
                ui.label(
                    RichText::new(format!("−{:.2} pts · {}", l.lost, l.title))
                        .small()
                        .strong()
                        .color(theme::alert(dark)),
                );
                if !l.feedback.is_empty() {
                    ui.label(RichText::new(&l.feedback).small());
                }
            }
        });
    if focused {
        frame.response.scroll_to_me(Some(egui::Align::Center));
    }
    focused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(fields: &[&str]) -> Review {
        Review {
            lost: vec![LostPoints {
                criterion: "c".into(),
                title: "T".into(),
                fields: fields.iter().map(|f| (*f).to_string()).collect(),
                lost: 1.0,
                feedback: String::new(),
            }],
            focus: Some("c".into()),
        }
    }

    #[test]
    fn paths_touch_inside_and_around() {
        let r = review(&["arrivals[3].esi_level", "vitals.heart_rate", "allergies"]);
        assert_eq!(r.at("arrivals").len(), 1);
        assert_eq!(r.at("arrivals[3].esi_level").len(), 1);
        assert!(r.at("arrivals[2].esi_level").is_empty());
        assert!(r.at("arrivals[3].esi").is_empty());
        assert_eq!(r.at("vitals.heart_rate").len(), 1);
        assert!(r.at("vitals.heart").is_empty());
        assert!(r.at("vitals.heart_rate_max").is_empty());
        assert_eq!(r.at("allergies[0].reaction").len(), 1);
        assert!(r.at("allergies_reviewed").is_empty());
        assert!(r.focused_at("vitals.heart_rate"));
        assert!(!r.frames_lines_of("arrivals"));
        let lines = review(&["codes.diagnoses[1]", "codes.diagnoses[3]"]);
        assert!(lines.frames_lines_of("codes.diagnoses"));
        assert!(!lines.frames_lines_of("codes.procedures"));
        assert!(!review(&["codes.diagnoses"]).frames_lines_of("codes.diagnoses"));
        assert!(!r.focused_at("vitals.systolic"));
    }
}
