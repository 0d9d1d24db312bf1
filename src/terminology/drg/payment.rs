//! The IPPS operating payment estimate of a grouped claim (FY2026 national figures as defaults,
//! every parameter settable): docs/domain/ms-drg.md §7.
//!
//! Full DRG payment = weight × standardized amount × (labor share × wage index + (1 − labor
//! share)). The labor share is 66.0 % when the wage index is above 1.0 and 62.0 % otherwise
//! (FY2026 IPPS final rule, section 1886(d)(3)(E) of the Social Security Act). Transfers
//! (42 CFR 412.4): an acute-to-acute transfer, or a post-acute transfer from a DRG that Table 5
//! marks post-acute, is paid min(full, per diem × (LOS + 1)) with per diem = full ÷ GMLOS; a
//! special-pay DRG pays min(full, ½ full + ½ per diem × (LOS + 1)). Teaching, disproportionate
//! share, uncompensated care, new technology, capital and outliers are outside the estimate.

use serde::Serialize;

/// FY2026 operating standardized amount, full update (hospital submitted quality data and is a
/// meaningful EHR user): FY2026 IPPS/LTCH PPS final rule (CMS-1833-F, August 2025), as its
/// published summaries give it (docs/domain/ms-drg.md §7 says what was and was not re-read).
pub const FY2026_STANDARDIZED_AMOUNT: f64 = 6752.61;
/// FY2026 labor-related share when the wage index is above 1.0.
pub const FY2026_LABOR_SHARE_HIGH: f64 = 0.66;
/// FY2026 labor-related share when the wage index is 1.0 or below.
pub const FY2026_LABOR_SHARE_LOW: f64 = 0.62;

/// The payment parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PaymentParams {
    /// Operating standardized amount, dollars.
    pub standardized_amount: f64,
    /// The hospital's wage index.
    pub wage_index: f64,
    /// Labor-related share (0–1); `None`: the FY2026 share for the wage index.
    pub labor_share: Option<f64>,
}

impl Default for PaymentParams {
    /// FY2026 national: $6,752.61, wage index 1.0, the FY2026 labor share.
    fn default() -> Self {
        Self {
            standardized_amount: FY2026_STANDARDIZED_AMOUNT,
            wage_index: 1.0,
            labor_share: None,
        }
    }
}

impl PaymentParams {
    /// The labor share used: the given one, or 66 % above a wage index of 1.0 and 62 % at or
    /// below it.
    #[must_use]
    pub fn labor_share(&self) -> f64 {
        self.labor_share.unwrap_or(if self.wage_index > 1.0 {
            FY2026_LABOR_SHARE_HIGH
        } else {
            FY2026_LABOR_SHARE_LOW
        })
    }

    /// The wage-adjusted base rate: standardized amount × (labor share × wage index + non-labor
    /// share).
    #[must_use]
    pub fn adjusted_base(&self) -> f64 {
        let share = self.labor_share();
        self.standardized_amount * (share * self.wage_index + (1.0 - share))
    }

    /// Checks the parameters are usable: positive finite amount and wage index, share in 0–1.
    ///
    /// # Errors
    /// The parameter at fault with what is valid.
    pub fn check(&self) -> Result<(), String> {
        if !(self.standardized_amount.is_finite()
            && self.standardized_amount > 0.0
            && self.standardized_amount < 1.0e7)
        {
            return Err(format!(
                "base rate {}: give a positive amount in dollars below 10,000,000 (FY2026 national: \
                 {FY2026_STANDARDIZED_AMOUNT})",
                self.standardized_amount
            ));
        }
        if !(self.wage_index.is_finite() && self.wage_index > 0.0 && self.wage_index <= 10.0) {
            return Err(format!(
                "wage index {}: give a positive number up to 10 (1.0 = national)",
                self.wage_index
            ));
        }
        if let Some(s) = self.labor_share
            && !(s.is_finite() && (0.0..=1.0).contains(&s))
        {
            return Err(format!(
                "labor share {s}: give a fraction from 0 to 1 (FY2026: 0.66 above a wage index of \
                 1.0, 0.62 otherwise)"
            ));
        }
        Ok(())
    }
}

/// Rounds to cents.
#[must_use]
pub fn cents(dollars: f64) -> f64 {
    (dollars * 100.0).round() / 100.0
}

/// The full DRG operating payment for a payment weight, rounded to cents.
#[must_use]
pub fn full_payment(weight: f64, params: &PaymentParams) -> f64 {
    cents(weight * params.adjusted_base())
}

/// How the discharge status bears on payment (42 CFR 412.4; Medicare Claims Processing Manual
/// ch. 3 §40.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// Not a transfer: the full DRG payment.
    None,
    /// To another IPPS acute-care hospital or a critical access hospital (02, 66 and their
    /// planned-readmission forms 82, 94).
    Acute,
    /// To post-acute care: SNF, home health, hospice, IRF, LTCH, psychiatric, cancer or
    /// children's hospital, swing bed (03, 05, 06, 50, 51, 61, 62, 63, 65 and 83, 85, 86, 89,
    /// 90, 91, 93).
    PostAcute,
}

/// The transfer kind of a discharge status code.
#[must_use]
pub fn transfer_kind(status: u8) -> TransferKind {
    match status {
        2 | 66 | 82 | 94 => TransferKind::Acute,
        3 | 5 | 6 | 50 | 51 | 61 | 62 | 63 | 65 | 83 | 85 | 86 | 89 | 90 | 91 | 93 => {
            TransferKind::PostAcute
        }
        _ => TransferKind::None,
    }
}

/// What a transfer changes, when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DrgPayFlags {
    /// Table 5 "Post-Acute DRG".
    pub post_acute: bool,
    /// Table 5 "Special Pay DRG".
    pub special_pay: bool,
}

/// A payment estimate with its arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    /// Payment weight used.
    pub weight: f64,
    /// The parameters.
    pub params: PaymentParams,
    /// Labor share used.
    pub labor_share: f64,
    /// Wage-adjusted base rate (cents).
    pub adjusted_base: f64,
    /// Full DRG payment (cents).
    pub full: f64,
    /// Per diem = full ÷ GMLOS, when a transfer rule applied.
    pub per_diem: Option<f64>,
    /// The amount paid (cents): the full payment or the transfer amount.
    pub amount: f64,
    /// How the amount was reached, one line.
    pub rule: String,
}

/// The payment estimate of a weight; with a length of stay, GMLOS and a discharge status, the
/// transfer rules apply.
#[must_use]
pub fn estimate(
    weight: f64,
    params: &PaymentParams,
    transfer: Option<(u8, u32, f64, DrgPayFlags)>,
) -> Payment {
    let full = full_payment(weight, params);
    let base = Payment {
        weight,
        params: *params,
        labor_share: params.labor_share(),
        adjusted_base: cents(params.adjusted_base()),
        full,
        per_diem: None,
        amount: full,
        rule: format!(
            "full DRG payment: weight {weight:.4} × ${} × ({:.2} × wage index {} + {:.2})",
            money(params.standardized_amount),
            params.labor_share(),
            params.wage_index,
            1.0 - params.labor_share()
        ),
    };
    let Some((status, los, gmlos, flags)) = transfer else {
        return base;
    };
    let kind = transfer_kind(status);
    let applies = match kind {
        TransferKind::None => false,
        TransferKind::Acute => true,
        TransferKind::PostAcute => flags.post_acute,
    };
    if !(applies && gmlos.is_finite() && gmlos > 0.0) {
        return base;
    }
    let per_diem = cents(full / gmlos);
    let days = f64::from(los) + 1.0;
    let graduated = cents(per_diem * days);
    let (amount, rule) = if kind == TransferKind::PostAcute && flags.special_pay {
        let special = cents(0.5 * full + 0.5 * per_diem * days);
        (
            special.min(full),
            format!(
                "special-pay post-acute transfer (status {status:02}, LOS {los}): min(full, ½ full + \
                 ½ per diem ${} × {days}) (42 CFR 412.4(f))",
                money(per_diem)
            ),
        )
    } else {
        (
            graduated.min(full),
            format!(
                "{} transfer (status {status:02}, LOS {los}): min(full, per diem ${} × (LOS + 1)) \
                 (42 CFR 412.4(f))",
                if kind == TransferKind::Acute {
                    "acute-to-acute"
                } else {
                    "post-acute"
                },
                money(per_diem)
            ),
        )
    };
    Payment {
        per_diem: Some(per_diem),
        amount,
        rule,
        ..base
    }
}

/// Dollars with thousands separators and cents: `14300` → "14,300.00".
#[must_use]
pub fn money(dollars: f64) -> String {
    let cents_total = (dollars.abs() * 100.0).round();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = (cents_total / 100.0).floor() as u64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let frac = (cents_total % 100.0) as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if dollars < 0.0 && cents_total > 0.0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}.{frac:02}")
}

/// A signed dollar difference as people read it: "+$1,234.56", "−$1,234.56", "$0.00".
#[must_use]
pub fn signed_money(delta: f64) -> String {
    let d = cents(delta);
    if d > 0.0 {
        format!("+${}", money(d))
    } else if d < 0.0 {
        format!("−${}", money(-d))
    } else {
        "$0.00".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_payments_of_fy2026() {
        let national = PaymentParams::default();
        assert_eq!(full_payment(0.6285, &national), 4244.02);
        let high = PaymentParams {
            wage_index: 1.2,
            ..PaymentParams::default()
        };
        assert!((high.labor_share() - 0.66).abs() < 1e-12);
        assert_eq!(full_payment(0.6285, &high), 4804.23);
        let low = PaymentParams {
            wage_index: 0.9,
            ..PaymentParams::default()
        };
        assert!((low.labor_share() - 0.62).abs() < 1e-12);
        // 6752.61 × (0.62 × 0.9 + 0.38) = 6333.948…
        assert_eq!(full_payment(1.0, &low), 6333.95);
    }

    #[test]
    fn transfers_pay_per_diem_up_to_the_full_payment() {
        let national = PaymentParams::default();
        let flags = DrgPayFlags {
            post_acute: true,
            special_pay: false,
        };
        let p = estimate(0.6285, &national, Some((3, 1, 2.2, flags)));
        assert_eq!(p.per_diem, Some(1929.1));
        assert_eq!(p.amount, 3858.2);
        // Long enough stay: the full payment.
        let p = estimate(0.6285, &national, Some((3, 5, 2.2, flags)));
        assert_eq!(p.amount, 4244.02);
        // A post-acute status on a DRG that is not post-acute: full.
        let not_pa = DrgPayFlags {
            post_acute: false,
            special_pay: false,
        };
        assert_eq!(
            estimate(0.6285, &national, Some((3, 1, 2.2, not_pa))).amount,
            4244.02
        );
        // Acute-to-acute applies to any DRG.
        assert_eq!(
            estimate(0.6285, &national, Some((2, 1, 2.2, not_pa))).amount,
            3858.2
        );
        // Special pay: ½ full + ½ per diem × (LOS + 1), with the domain page's round numbers.
        let special = DrgPayFlags {
            post_acute: true,
            special_pay: true,
        };
        let round = PaymentParams {
            standardized_amount: 14300.0,
            ..PaymentParams::default()
        };
        let p = estimate(1.0, &round, Some((3, 2, 4.0, special)));
        assert_eq!(p.per_diem, Some(3575.0));
        assert_eq!(p.amount, 12512.5);
        assert_eq!(
            estimate(1.0, &round, Some((1, 2, 4.0, special))).amount,
            14300.0
        );
    }

    #[test]
    fn money_is_grouped_and_signed() {
        assert_eq!(money(14300.0), "14,300.00");
        assert_eq!(money(4244.015), "4,244.02");
        assert_eq!(money(0.5), "0.50");
        assert_eq!(signed_money(-5661.55), "−$5,661.55");
        assert_eq!(signed_money(12.0), "+$12.00");
        assert_eq!(signed_money(0.001), "$0.00");
    }

    #[test]
    fn bad_parameters_are_named() {
        let bad = PaymentParams {
            wage_index: f64::NAN,
            ..PaymentParams::default()
        };
        assert!(bad.check().unwrap_err().contains("wage index"));
        let bad = PaymentParams {
            labor_share: Some(1.5),
            ..PaymentParams::default()
        };
        assert!(bad.check().unwrap_err().contains("labor share"));
        let bad = PaymentParams {
            standardized_amount: -1.0,
            ..PaymentParams::default()
        };
        assert!(bad.check().unwrap_err().contains("base rate"));
        assert!(PaymentParams::default().check().is_ok());
    }
}
