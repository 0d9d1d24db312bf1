//! The hospice timeline's geometry as plain numbers (no egui): the date range of the axis, the
//! date → x mapping, month and week ticks, and the staggering of labels into rows so that none
//! overlaps another.
//!
//! Invariants: a day `d` occupies `[x(d), x(d) + px_per_day)`; the axis covers whole days from
//! `start` through `end` inclusive; ticks are sorted and inside the range; [`stagger`] puts each
//! span in the lowest row where it does not overlap (with the gap) any span already placed.

use chrono::{Datelike, NaiveDate, Weekday};

use super::events::PeriodBand;
use crate::tasks::hospice::Timeline;
use crate::tasks::hospice::timeline::shift;

/// How far past the review date the axis may extend to show the end of a period the learner
/// entered (a period in progress); later ends are clipped.
pub(super) const MAX_DAYS_PAST_REVIEW: i64 = 100;
/// The default zoom never squeezes a day below this, so long stays scroll instead.
pub(super) const MIN_FIT_PX_PER_DAY: f32 = 4.0;
/// Nor stretches a day above this, so very short stays do not look like weeks.
pub(super) const MAX_FIT_PX_PER_DAY: f32 = 64.0;

/// The days the axis covers: from the earliest documented date (election, transfer-in period
/// start, certification…) through the review date, extended to the end of a learner's period
/// that ends at most [`MAX_DAYS_PAST_REVIEW`] days after the review date.
pub(super) fn axis_range(t: &Timeline, bands: &[PeriodBand]) -> (NaiveDate, NaiveDate) {
    let review = t.review_date();
    let start = t.all_dates().min().unwrap_or(review).min(review);
    let limit = shift(review, MAX_DAYS_PAST_REVIEW);
    let end = bands
        .iter()
        .map(|b| b.end)
        .filter(|d| *d <= limit)
        .fold(review, NaiveDate::max);
    (start, end)
}

/// The date → x mapping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Scale {
    /// The first day on the axis.
    pub start: NaiveDate,
    /// The last day on the axis (inclusive).
    pub end: NaiveDate,
    /// Width of one day.
    pub px_per_day: f32,
    /// x of the start of the first day.
    pub left_px: f32,
}

impl Scale {
    /// x of the start of day `d` (days outside the range map outside the axis).
    pub(super) fn x(&self, d: NaiveDate) -> f32 {
        // Day counts are bounded by the 1900–2200 dates a timeline allows, so f32 is exact.
        let days = (d - self.start).num_days() as f32;
        self.left_px + days * self.px_per_day
    }

    /// x of the middle of day `d`.
    pub(super) fn mid(&self, d: NaiveDate) -> f32 {
        self.x(d) + self.px_per_day / 2.0
    }

    /// x just after the last day.
    pub(super) fn right_px(&self) -> f32 {
        self.x(shift(self.end, 1))
    }

    /// `[from, through]` clipped to the axis, or `None` when it lies outside.
    pub(super) fn clip(
        &self,
        from: NaiveDate,
        through: NaiveDate,
    ) -> Option<(NaiveDate, NaiveDate)> {
        let a = from.max(self.start);
        let b = through.min(self.end);
        (a <= b).then_some((a, b))
    }
}

/// The zoom that fits `days` into `width_px`, kept within [`MIN_FIT_PX_PER_DAY`] and
/// [`MAX_FIT_PX_PER_DAY`].
pub(super) fn fit_px_per_day(width_px: f32, days: i64) -> f32 {
    let days = days.max(1) as f32;
    (width_px / days).clamp(MIN_FIT_PX_PER_DAY, MAX_FIT_PX_PER_DAY)
}

/// A tick on the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tick {
    /// The first of a month: a long tick with the month's label.
    Month(NaiveDate),
    /// A Monday: a short tick (only when weeks are at least 12 px apart).
    Week(NaiveDate),
}

impl Tick {
    /// The tick's day.
    pub(super) fn date(self) -> NaiveDate {
        match self {
            Tick::Month(d) | Tick::Week(d) => d,
        }
    }
}

/// Month starts (always) and Mondays (when there is room) within the scale, by date; a Monday
/// that is also the 1st is a month tick.
pub(super) fn ticks(scale: &Scale) -> Vec<Tick> {
    let weeks = scale.px_per_day * 7.0 >= 12.0;
    crate::tasks::hospice::timeline::days_from_through(scale.start, scale.end)
        .filter_map(|d| {
            if d.day() == 1 {
                Some(Tick::Month(d))
            } else if weeks && d.weekday() == Weekday::Mon {
                Some(Tick::Week(d))
            } else {
                None
            }
        })
        .collect()
}

/// A month tick's label: "Jan 2028" in January (and at the first tick), else "Feb".
pub(super) fn month_label(d: NaiveDate, first: bool) -> String {
    if first || d.month() == 1 {
        d.format("%b %Y").to_string()
    } else {
        d.format("%b").to_string()
    }
}

/// Half the width a marker takes, and the gap between a marker and its label.
const MARKER_HALF_PX: f32 = 6.0;
const LABEL_GAP_PX: f32 = 3.0;

/// Where an event's marker and label sit on one row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct EventSpan {
    /// Left end of marker and label together.
    pub start_px: f32,
    /// Width of marker and label together.
    pub width_px: f32,
    /// The label is left of the marker (it would pass the right end otherwise).
    pub label_left: bool,
}

impl EventSpan {
    /// Where the label's text starts (left) or ends (when `label_left`).
    pub(super) fn label_x(&self, marker_x: f32) -> f32 {
        if self.label_left {
            marker_x - MARKER_HALF_PX - LABEL_GAP_PX
        } else {
            marker_x + MARKER_HALF_PX + LABEL_GAP_PX
        }
    }
}

/// The span of a marker at `marker_x` with a label `label_w` wide: label on the right, unless it
/// would pass `right_limit_px`.
pub(super) fn event_span(marker_x: f32, label_w: f32, right_limit_px: f32) -> EventSpan {
    let width_px = 2.0 * MARKER_HALF_PX + LABEL_GAP_PX + label_w;
    let label_left = marker_x - MARKER_HALF_PX + width_px > right_limit_px;
    let start_px = if label_left {
        marker_x + MARKER_HALF_PX - width_px
    } else {
        marker_x - MARKER_HALF_PX
    };
    EventSpan {
        start_px,
        width_px,
        label_left,
    }
}

/// Rows for spans `(start_x, width)` given in drawing order: each goes to the lowest row whose
/// last span ends at least `gap_px` before it starts.
pub(super) fn stagger(spans: &[(f32, f32)], gap_px: f32) -> Vec<usize> {
    let mut row_ends: Vec<f32> = Vec::new();
    spans
        .iter()
        .map(|&(start, width)| {
            let row = row_ends
                .iter()
                .position(|end| start >= end + gap_px)
                .unwrap_or(row_ends.len());
            match row_ends.get_mut(row) {
                Some(end) => *end = start + width,
                None => row_ends.push(start + width),
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn scale() -> Scale {
        Scale {
            start: d("2028-01-30"),
            end: d("2028-03-05"),
            px_per_day: 10.0,
            left_px: 100.0,
        }
    }

    #[test]
    fn dates_map_to_x() {
        let s = scale();
        assert_eq!(s.x(d("2028-01-30")), 100.0);
        assert_eq!(s.x(d("2028-02-01")), 120.0);
        assert_eq!(s.mid(d("2028-02-01")), 125.0);
        assert_eq!(s.x(d("2028-01-29")), 90.0);
        assert_eq!(s.right_px(), 460.0);
        assert_eq!(
            s.clip(d("2028-01-01"), d("2028-02-10")),
            Some((d("2028-01-30"), d("2028-02-10")))
        );
        assert_eq!(s.clip(d("2028-04-01"), d("2028-05-10")), None);
    }

    #[test]
    fn ticks_are_months_and_mondays() {
        let s = scale();
        let t = ticks(&s);
        assert_eq!(t.first(), Some(&Tick::Week(d("2028-01-31"))));
        assert!(t.contains(&Tick::Month(d("2028-02-01"))));
        assert!(t.contains(&Tick::Month(d("2028-03-01"))));
        assert!(t.contains(&Tick::Week(d("2028-02-07"))));
        assert!(t.windows(2).all(|w| w[0].date() < w[1].date()));
        // Zoomed out: months only.
        let narrow = Scale {
            px_per_day: 1.0,
            ..s
        };
        assert_eq!(
            ticks(&narrow),
            vec![Tick::Month(d("2028-02-01")), Tick::Month(d("2028-03-01"))]
        );
        assert_eq!(month_label(d("2028-02-01"), true), "Feb 2028");
        assert_eq!(month_label(d("2028-02-01"), false), "Feb");
        assert_eq!(month_label(d("2029-01-01"), false), "Jan 2029");
    }

    #[test]
    fn zoom_fits_a_period_and_scrolls_long_stays() {
        assert_eq!(fit_px_per_day(700.0, 70), 10.0);
        assert_eq!(fit_px_per_day(700.0, 400), MIN_FIT_PX_PER_DAY);
        assert_eq!(fit_px_per_day(700.0, 2), MAX_FIT_PX_PER_DAY);
        assert_eq!(fit_px_per_day(700.0, 0), MAX_FIT_PX_PER_DAY);
    }

    #[test]
    fn labels_near_the_right_end_go_left_of_their_marker() {
        let right = event_span(100.0, 40.0, 500.0);
        assert_eq!(
            right,
            EventSpan {
                start_px: 94.0,
                width_px: 55.0,
                label_left: false
            }
        );
        assert_eq!(right.label_x(100.0), 109.0);
        let left = event_span(480.0, 40.0, 500.0);
        assert_eq!(
            left,
            EventSpan {
                start_px: 431.0,
                width_px: 55.0,
                label_left: true
            }
        );
        assert_eq!(left.label_x(480.0), 471.0);
    }

    #[test]
    fn labels_are_staggered_into_rows() {
        // Three labels on the same day, then one far right, then one overlapping row 0's end.
        let spans = [
            (0.0, 50.0),
            (0.0, 30.0),
            (0.0, 30.0),
            (200.0, 40.0),
            (52.0, 10.0),
        ];
        assert_eq!(stagger(&spans, 4.0), vec![0, 1, 2, 0, 1]);
        assert!(stagger(&[], 4.0).is_empty());
    }

    #[test]
    fn the_axis_runs_from_the_first_record_to_the_review_date() {
        let t = Timeline::from_ron(
            r#"(elections: [(effective_date: "2028-01-10", statement_date: "2028-01-09", attending: Physician)],
                certifications: [(period: 1, date: "2027-12-30", signers: [HospiceMedicalDirector])],
                as_of: "2028-02-20")"#,
        )
        .unwrap();
        assert_eq!(axis_range(&t, &[]), (d("2027-12-30"), d("2028-02-20")));
        let band = |end: &str| PeriodBand {
            number: Some(1),
            row: 0,
            start: d("2028-01-10"),
            end: d(end),
        };
        // A period in progress extends the axis to its end; a typo far in the future does not.
        assert_eq!(
            axis_range(&t, &[band("2028-04-08")]),
            (d("2027-12-30"), d("2028-04-08"))
        );
        assert_eq!(
            axis_range(&t, &[band("2038-04-08")]),
            (d("2027-12-30"), d("2028-02-20"))
        );
    }
}
