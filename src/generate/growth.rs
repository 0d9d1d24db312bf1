//! Children's height and weight from age- and sex-specific growth references: the WHO Child
//! Growth Standards (2006) from birth to 24 months, the CDC 2000 growth charts from 2 to 20
//! years, as LMS parameters (Cole's method) in `assets/growth/lms.csv` (source, year, checksums
//! and licence in `assets/growth/PROVENANCE`).
//!
//! The same table holds BMI-for-age (CDC, 2 to 20 years), weight-for-length (WHO, 45 to 110 cm)
//! and head circumference-for-age (WHO, birth to 24 months), from which the charting key derives
//! a child's growth percentiles ([`percentile`]).
//!
//! A measurement `x` at z-score `z` is `M·(1 + L·S·z)^(1/L)` (`M·e^(S·z)` when `L = 0`); the
//! parameters are interpolated linearly between the tabulated ages (monthly for WHO, every six
//! months for CDC).

use std::sync::OnceLock;

use crate::patient::Sex;

/// The table, compiled in.
const LMS_CSV: &str = include_str!("../../assets/growth/lms.csv");

/// The oldest age the references cover, in months (20 years).
pub const MAX_AGE_MONTHS: f64 = 240.0;

/// z-score of the 3rd percentile (the 97th is its negative).
pub const Z_P3: f64 = -1.880_794;
/// z-score of the 0.1st percentile (the 99.9th is its negative).
pub const Z_P0_1: f64 = -3.090_232;

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Recumbent length under 24 months, standing height from 24 months (cm).
    LengthHeight,
    /// Weight (kg).
    Weight,
    /// BMI (kg/m²), CDC 2000, 24 to 240 months.
    Bmi,
    /// Head circumference (cm), WHO 2006, birth to 24 months.
    HeadCircumference,
    /// Weight (kg) for recumbent length (cm), WHO 2006: indexed by length, see
    /// [`weight_for_length`].
    WeightForLength,
}

/// LMS parameters at one age.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lms {
    /// Box-Cox power.
    pub l: f64,
    /// Median.
    pub m: f64,
    /// Coefficient of variation.
    pub s: f64,
}

impl Lms {
    /// The measurement at z-score `z`.
    #[must_use]
    pub fn value(self, z: f64) -> f64 {
        if self.l.abs() < 1e-9 {
            self.m * (self.s * z).exp()
        } else {
            self.m * (1.0 + self.l * self.s * z).max(1e-9).powf(1.0 / self.l)
        }
    }

    /// The z-score of measurement `x`.
    #[must_use]
    pub fn z(self, x: f64) -> f64 {
        if self.l.abs() < 1e-9 {
            (x / self.m).ln() / self.s
        } else {
            ((x / self.m).powf(self.l) - 1.0) / (self.l * self.s)
        }
    }
}

struct Row {
    who: bool,
    sex: Sex,
    measure: Measure,
    age_months: f64,
    lms: Lms,
}

/// The table's rows grouped by (reference, sex, measure), each group in table order (see
/// [`group`]); parsed once.
fn groups() -> &'static [Vec<Row>] {
    static GROUPS: OnceLock<Vec<Vec<Row>>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        let mut out: Vec<Vec<Row>> = (0..GROUP_COUNT).map(|_| Vec::new()).collect();
        for row in parse_rows() {
            if let Some(list) = out.get_mut(group(row.who, row.sex, row.measure)) {
                list.push(row);
            }
        }
        out
    })
}

/// How many (reference, sex, measure) groups there are.
const GROUP_COUNT: usize = 2 * 2 * 5;

/// The index of a (reference, sex, measure) group in [`groups`].
fn group(who: bool, sex: Sex, measure: Measure) -> usize {
    let sex = match sex {
        Sex::Female => 0,
        Sex::Male => 1,
    };
    let measure = match measure {
        Measure::LengthHeight => 0,
        Measure::Weight => 1,
        Measure::Bmi => 2,
        Measure::HeadCircumference => 3,
        Measure::WeightForLength => 4,
    };
    (usize::from(who) * 2 + sex) * 5 + measure
}

fn parse_rows() -> impl Iterator<Item = Row> {
    LMS_CSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let [reference, sex, measure, age, l, m, s] = f.as_slice() else {
                return None;
            };
            Some(Row {
                who: *reference == "WHO2006",
                sex: match *sex {
                    "female" => Sex::Female,
                    "male" => Sex::Male,
                    _ => return None,
                },
                measure: match *measure {
                    "length_height" => Measure::LengthHeight,
                    "weight" => Measure::Weight,
                    "bmi" => Measure::Bmi,
                    "head_circumference" => Measure::HeadCircumference,
                    "weight_for_length" => Measure::WeightForLength,
                    _ => return None,
                },
                age_months: age.parse().ok()?,
                lms: Lms {
                    l: l.parse().ok()?,
                    m: m.parse().ok()?,
                    s: s.parse().ok()?,
                },
            })
        })
}

/// The reference at `age_months` (0 to 240): WHO under 24 months, CDC from 24 months;
/// `None` outside the references' ages (BMI has no WHO rows here, head circumference no CDC
/// rows) and for [`Measure::WeightForLength`], which is indexed by length.
#[must_use]
pub fn reference(sex: Sex, measure: Measure, age_months: f64) -> Option<Lms> {
    if !(0.0..=MAX_AGE_MONTHS).contains(&age_months) || measure == Measure::WeightForLength {
        return None;
    }
    interpolated(age_months < 24.0, sex, measure, age_months)
}

/// The WHO weight-for-length reference at `length_cm` (45 to 110 cm); `None` outside it.
#[must_use]
pub fn weight_for_length(sex: Sex, length_cm: f64) -> Option<Lms> {
    interpolated(true, sex, Measure::WeightForLength, length_cm)
}

/// The percentile (0–100) of measurement `x` on a reference: 100 Φ(z).
#[must_use]
pub fn percentile(lms: Lms, x: f64) -> f64 {
    100.0 * normal_cdf(lms.z(x))
}

/// The LMS parameters at `at` (age in months, or length in cm), interpolated linearly between
/// the table's rows of one reference, sex and measure; `None` outside the rows.
fn interpolated(who: bool, sex: Sex, measure: Measure, at: f64) -> Option<Lms> {
    let age_months = at;
    let points = groups().get(group(who, sex, measure))?;
    if points.first().is_none_or(|r| r.age_months > age_months) {
        return None;
    }
    let after = points.iter().position(|r| r.age_months >= age_months)?;
    let hi = points.get(after)?;
    let Some(lo) = after.checked_sub(1).and_then(|i| points.get(i)) else {
        return Some(hi.lms);
    };
    let t = (age_months - lo.age_months) / (hi.age_months - lo.age_months);
    let mix = |a: f64, b: f64| a + (b - a) * t;
    Some(Lms {
        l: mix(lo.lms.l, hi.lms.l),
        m: mix(lo.lms.m, hi.lms.m),
        s: mix(lo.lms.s, hi.lms.s),
    })
}

/// Age in (fractional) months from age in days (30.4375 days a month).
#[must_use]
pub fn months_of_days(days: i64) -> f64 {
    days.max(0) as f64 / 30.4375
}

/// The standard normal distribution function (Abramowitz and Stegun 26.2.17, error < 7.5e-8).
#[must_use]
pub fn normal_cdf(z: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * z.abs());
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    let tail = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly;
    if z >= 0.0 { 1.0 - tail } else { tail }
}

/// The z-score whose distribution function is `p` (0 < p < 1), by bisection.
///
/// Generation asks for the same few probabilities over and over (they come from draws rounded
/// to a tenth inside a scenario's ranges), so each thread remembers the answers it has computed
/// (up to [`QUANTILE_MEMO`] of them): the result is the bisection's, bit for bit.
#[must_use]
pub fn normal_quantile(p: f64) -> f64 {
    thread_local! {
        static MEMO: std::cell::RefCell<std::collections::HashMap<u64, f64>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    MEMO.with(|memo| {
        let key = p.to_bits();
        if let Some(z) = memo.borrow().get(&key) {
            return *z;
        }
        let z = bisect_quantile(p);
        let mut memo = memo.borrow_mut();
        if memo.len() >= QUANTILE_MEMO {
            memo.clear();
        }
        memo.insert(key, z);
        z
    })
}

/// How many quantiles a thread remembers before it starts again.
const QUANTILE_MEMO: usize = 1 << 16;

fn bisect_quantile(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    let (mut lo, mut hi) = (-8.0_f64, 8.0_f64);
    for _ in 0..80 {
        let mid = f64::midpoint(lo, hi);
        if normal_cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    f64::midpoint(lo, hi)
}

/// A child's length/height (cm) and weight (kg), one decimal each,
/// at `age_months`, from two uniform draws in [0, 1]: height at the percentile the first draw
/// picks between the 4th and the 96th, weight correlated with it (r = 0.6) and kept between the
/// same percentiles. Under 3 months the band is the 10th to the 90th: the references grow about
/// 1 kg and 4 cm in the first month, so one measurement charted over a few days of a stay moves
/// by up to a quarter of a standard deviation and must stay between the 3rd and the 97th.
/// `None` outside the references' ages.
#[must_use]
pub fn child_size(sex: Sex, age_months: f64, u_height: f64, u_weight: f64) -> Option<(f64, f64)> {
    let p_low: f64 = if age_months < 3.0 { 0.10 } else { 0.04 };
    let height_ref = reference(sex, Measure::LengthHeight, age_months)?;
    let weight_ref = reference(sex, Measure::Weight, age_months)?;
    let spread = |u: f64| normal_quantile(p_low + (1.0 - 2.0 * p_low) * u.clamp(0.0, 1.0));
    let z_height = spread(u_height);
    let bound = -normal_quantile(p_low);
    let z_weight = (0.6 * z_height + 0.8 * spread(u_weight)).clamp(-bound, bound);
    let height = (height_ref.value(z_height) * 10.0).round() / 10.0;
    let weight = (weight_ref.value(z_weight) * 10.0).round() / 10.0;
    Some((height, weight))
}

/// As [`child_size`], with the weight drawn by the second draw between the weight-for-age
/// percentiles `low` and `high` (0–100) whatever the height: an intended outlier.
#[must_use]
pub fn child_size_with_weight_between(
    sex: Sex,
    age_months: f64,
    u_height: f64,
    u_weight: f64,
    (low, high): (f64, f64),
) -> Option<(f64, f64)> {
    let (height, _) = child_size(sex, age_months, u_height, 0.5)?;
    let weight_ref = reference(sex, Measure::Weight, age_months)?;
    let (low, high) = (
        low.clamp(0.01, 99.99) / 100.0,
        high.clamp(0.01, 99.99) / 100.0,
    );
    let z_weight = normal_quantile(low + (high - low).max(0.0) * u_weight.clamp(0.0, 1.0));
    let weight = (weight_ref.value(z_weight) * 10.0).round() / 10.0;
    Some((height, weight))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_points_match_the_published_tables() {
        // WHO boys' length at birth: median 49.8842 cm; CDC girls' stature at 20 years 163.3 cm.
        let at_birth = reference(Sex::Male, Measure::LengthHeight, 0.0);
        assert!(at_birth.is_some_and(|l| (l.m - 49.8842).abs() < 1e-6));
        let adult = reference(Sex::Female, Measure::LengthHeight, 240.0);
        assert!(adult.is_some_and(|l| (l.m - 163.3383).abs() < 1e-3));
        assert!(reference(Sex::Female, Measure::Weight, 241.0).is_none());
    }

    /// The parameters as the whole table, scanned row by row, gives them.
    fn scanned(table: &[Row], who: bool, sex: Sex, measure: Measure, at: f64) -> Option<Lms> {
        let points: Vec<&Row> = table
            .iter()
            .filter(|r| r.who == who && r.sex == sex && r.measure == measure)
            .collect();
        if points.first().is_none_or(|r| r.age_months > at) {
            return None;
        }
        let after = points.iter().position(|r| r.age_months >= at)?;
        let hi = points.get(after)?;
        let Some(lo) = after.checked_sub(1).and_then(|i| points.get(i)) else {
            return Some(hi.lms);
        };
        let t = (at - lo.age_months) / (hi.age_months - lo.age_months);
        let mix = |a: f64, b: f64| a + (b - a) * t;
        Some(Lms {
            l: mix(lo.lms.l, hi.lms.l),
            m: mix(lo.lms.m, hi.lms.m),
            s: mix(lo.lms.s, hi.lms.s),
        })
    }

    #[test]
    fn grouped_rows_interpolate_as_the_whole_table() {
        let measures = [
            Measure::LengthHeight,
            Measure::Weight,
            Measure::Bmi,
            Measure::HeadCircumference,
            Measure::WeightForLength,
        ];
        let table: Vec<Row> = parse_rows().collect();
        let mut found = 0;
        for who in [true, false] {
            for sex in [Sex::Female, Sex::Male] {
                for measure in measures {
                    for step in 0..=1000 {
                        let at = f64::from(step) * 0.25 - 5.0;
                        let ours = interpolated(who, sex, measure, at);
                        let expected = scanned(&table, who, sex, measure, at);
                        assert_eq!(ours, expected, "{who} {sex:?} {measure:?} {at}");
                        found += usize::from(ours.is_some());
                    }
                }
            }
        }
        assert!(found > 5000, "{found}");
    }

    #[test]
    fn remembered_quantiles_are_the_bisections() {
        for k in 1..2000 {
            let p = f64::from(k) / 2000.0;
            assert_eq!(normal_quantile(p).to_bits(), bisect_quantile(p).to_bits());
            assert_eq!(normal_quantile(p).to_bits(), bisect_quantile(p).to_bits());
        }
    }

    #[test]
    fn normal_functions_invert() {
        assert!((normal_cdf(Z_P3) - 0.03).abs() < 1e-6);
        assert!((normal_quantile(0.999) + Z_P0_1).abs() < 1e-4);
        let lms = Lms {
            l: -0.2,
            m: 20.0,
            s: 0.12,
        };
        assert!((lms.z(lms.value(1.3)) - 1.3).abs() < 1e-9);
    }
}
