//! The severity of a claim in its DRG family (the MCC or CC that counts, and the codes that do
//! not, Table 6K and the HAC rule) and the DRG within the family, read from the family's titles:
//! the base each title asks of the claim, its severity clause and its "or" qualifier.

use super::{CHOLECYSTECTOMY, Ctx, Excluded, GroupError, Poa, dotted, hac_category, same};
use crate::terminology::drg::{DrgInfo, Level, Needs, family_parts};

/// The severity found: the MCC or CC that counted, and what was excluded.
pub(super) struct Severity {
    pub(super) mcc: Option<String>,
    pub(super) cc: Option<String>,
    pub(super) excluded: Vec<Excluded>,
}

pub(super) fn severity(ctx: &mut Ctx<'_>, family: &str) -> Severity {
    let mut out = Severity {
        mcc: None,
        cc: None,
        excluded: Vec::new(),
    };
    let pdx = ctx.pdx_d;
    // Taken out of the context while the path is noted, and put back.
    let sdx = std::mem::take(&mut ctx.sdx);
    for (i, (code, poa)) in sdx.iter().enumerate() {
        let poa = *poa;
        let dx = ctx.sdx_d.get(i).copied().flatten();
        let Some(info) = dx.and_then(|d| ctx.v.cc(d)) else {
            continue;
        };
        let level = info.level.label();
        let reason = if let (Some(pdx), Some(collection)) = (pdx, info.collection)
            && ctx.v.excluded_by_pdx(&info, pdx)
        {
            Some(format!(
                "PDX {} is in its exclusion collection {collection:04} (Table 6K Part 1)",
                ctx.pdx_shown()
            ))
        } else if info.alive_only && ctx.expired {
            Some("counts only when the patient is discharged alive (Table 6K Part 2)".to_string())
        } else if let Some(d) =
            dx.and_then(|d| family_parts(family).find(|drg| ctx.v.excluded_in_drg(drg, d)))
        {
            Some(format!("not a CC/MCC in DRG {d} (Table 6K Part 3)"))
        } else if let Some(hac) = hac_category(code)
            && matches!(poa, Poa::N | Poa::U)
        {
            Some(format!(
                "{hac} reported with POA = {poa:?}: treated as a non-CC"
            ))
        } else {
            None
        };
        match reason {
            Some(r) => {
                let shown = dotted(code);
                note!(ctx, "severity", "{shown} ({level}) does not count: {r}");
                out.excluded.push(Excluded {
                    code: shown,
                    level: level.to_string(),
                    reason: r,
                });
            }
            None => {
                note!(ctx, "severity", "{} counts as a {level}", dotted(code));
                let slot = match info.level {
                    Level::Mcc => &mut out.mcc,
                    Level::Cc => &mut out.cc,
                };
                if slot.is_none() {
                    *slot = Some(dotted(code));
                }
            }
        }
    }
    ctx.sdx = sdx;
    out
}

const SPLITS: [&str; 5] = [
    " with MCC",
    " with CC/MCC",
    " with CC",
    " without CC/MCC",
    " without MCC",
];

/// Splits a title into its base and its severity clause ("with MCC or …", "without CC/MCC").
pub(crate) fn split_title(title: &str) -> (&str, &str) {
    // The last position where any clause starts (the largest of their `rfind`s), in one
    // backward scan: every clause starts with " with".
    let bytes = title.as_bytes();
    let at = (0..bytes.len()).rev().find(|&i| {
        bytes[i] == b' '
            && bytes[i..].starts_with(b" with")
            && SPLITS.iter().any(|s| bytes[i..].starts_with(s.as_bytes()))
    });
    match at {
        Some(i) => (&title[..i], title[i..].trim()),
        None => (title, ""),
    }
}

/// Whether the claim meets a qualifier such as "4+ Arteries/Intraluminal Devices".
fn qualifier(ctx: &mut Ctx<'_>, family: &str, q: &str) -> bool {
    let q = q.trim();
    if q.starts_with("4+ Arteries") {
        // The count each condition ending names, of arteries and of intraluminal devices.
        const COUNTS: [(&str, &str, u32); 4] = [
            ("ONE ARTERY", "ONE INTRALUMINAL DEVICE", 1),
            ("TWO ARTERIES", "TWO INTRALUMINAL DEVICES", 2),
            ("THREE ARTERIES", "THREE INTRALUMINAL DEVICES", 3),
            (
                "FOUR OR MORE ARTERIES",
                "FOUR OR MORE INTRALUMINAL DEVICES",
                4,
            ),
        ];
        let mut arteries = 0;
        let mut devices = 0;
        for p in &ctx.pcs {
            for e in ctx.pcs_entries(p) {
                if !same(e.family, family) {
                    continue;
                }
                for (artery, device, n) in COUNTS {
                    if e.condition.ends_with(artery) {
                        arteries += n;
                    }
                    if e.condition.ends_with(device) {
                        devices += n;
                    }
                }
            }
        }
        note!(
            ctx,
            "drg",
            "arteries {arteries}, intraluminal devices {devices} (4+ needed)"
        );
        return arteries >= 4 || devices >= 4;
    }
    if q.starts_with("tPA") {
        return ctx.sdx_lists(family, "TPA").is_some();
    }
    let upper = q.to_ascii_uppercase();
    ctx.pcs_has(family, &upper) || ctx.sdx_lists(family, &upper).is_some()
}

fn clause_holds(ctx: &mut Ctx<'_>, family: &str, info: Option<&DrgInfo>, sev: &Severity) -> bool {
    let mcc = sev.mcc.is_some();
    let cc = mcc || sev.cc.is_some();
    let (needs, or) = info.map_or((Needs::Nothing, None), DrgInfo::clause_needs);
    let base = match needs {
        Needs::Mcc => mcc,
        Needs::Cc => cc,
        Needs::Nothing => true,
    };
    base || or.is_some_and(|q| qualifier(ctx, family, q))
}

/// What the base of a DRG title (the title before its severity clause) asks of the claim, in
/// a family whose DRGs differ by more than severity. Read once per DRG from its title
/// ([`base_kind`]) instead of searching the title for each claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseKind {
    /// "… Expired": the patient died.
    Expired,
    /// "… Discharged Alive".
    Alive,
    /// "ECMO or Tracheostomy …" (003/004): ECMO, or an O.R. procedure besides the tracheostomy.
    EcmoOrTrach,
    /// A cholecystectomy title with "C.D.E." (411-419).
    Cholecystectomy(Cholecystectomy),
    /// "… without MV >96 Hours".
    WithoutMv96,
    /// "… with MV >96 Hours" or "… Ventilator Support >96 Hours".
    WithMv96,
    /// "… Ventilator Support <=96 Hours" or "… without Major O.R. Procedures": nothing more.
    Always,
    /// A split the grouper does not evaluate.
    Unknown,
}

/// Which cholecystectomy title a base is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cholecystectomy {
    /// "Cholecystectomy with C.D.E." (411-413).
    WithCde,
    /// "Cholecystectomy Except by Laparoscope without C.D.E." (414-416).
    Open,
    /// Another; `true` when it is "Laparoscopic Cholecystectomy …" (417-419).
    Other(bool),
}

/// What a title base asks of the claim (tested in this order).
fn base_kind(base: &str) -> BaseKind {
    if base.contains("Expired") {
        BaseKind::Expired
    } else if base.contains("Discharged Alive") {
        BaseKind::Alive
    } else if base.starts_with("ECMO or Tracheostomy") {
        BaseKind::EcmoOrTrach
    } else if base.contains("Cholecystectomy") && base.contains("C.D.E.") {
        BaseKind::Cholecystectomy(if base.starts_with("Cholecystectomy with C.D.E.") {
            Cholecystectomy::WithCde
        } else if base.starts_with("Cholecystectomy Except by Laparoscope") {
            Cholecystectomy::Open
        } else {
            Cholecystectomy::Other(base.starts_with("Laparoscopic Cholecystectomy"))
        })
    } else if base.contains("without MV >96 Hours") {
        BaseKind::WithoutMv96
    } else if base.contains("with MV >96 Hours") || base.contains("Ventilator Support >96 Hours") {
        BaseKind::WithMv96
    } else if base.contains("Ventilator Support <=96 Hours")
        || base.contains("without Major O.R. Procedures")
    {
        BaseKind::Always
    } else {
        BaseKind::Unknown
    }
}

/// The base of a DRG's title ("" for a DRG the version lacks).
fn base(i: Option<&DrgInfo>) -> &str {
    i.map_or("", |i| i.title_parts().0)
}

/// Whether the claim meets the base of a DRG's title (always, when the family's DRGs differ only
/// by severity: `alike`).
/// Whether the claim has a common duct exploration, a cholecystectomy other than by
/// laparoscope and a laparoscopic one (the procedure lists of 411-419), read once per claim
/// however many of the family's nine DRGs are tested.
type CholecystectomyFacts = Option<(bool, bool, bool)>;

fn base_holds(
    ctx: &Ctx<'_>,
    info: Option<&DrgInfo>,
    alike: bool,
    chole: &mut CholecystectomyFacts,
) -> Result<bool, GroupError> {
    if alike {
        return Ok(true);
    }
    let kind = match info {
        Some(i) => *i.base_kind.get_or_init(|| base_kind(base(Some(i)))),
        None => base_kind(""),
    };
    Ok(match kind {
        BaseKind::Expired => ctx.expired,
        BaseKind::Alive => !ctx.expired,
        BaseKind::EcmoOrTrach => {
            let ecmo = ctx.pcs_has("003&004", "ECMO");
            let trach = ctx.pcs_with("003&004", "TRACHEOSTOMY");
            let other_or = ctx.pcs.iter().any(|p| ctx.is_or(p) && !trach.contains(p));
            ecmo || other_or
        }
        // Definitions Manual MDC 7: with a common duct exploration (411-413); without one, by
        // an approach other than laparoscopic (414-416) or laparoscopic (417-419). Tested in
        // that order, so an open and a laparoscopic code together are 414-416.
        BaseKind::Cholecystectomy(which) => {
            let (cde, open, lap) = *chole.get_or_insert_with(|| {
                (
                    ctx.pcs_has(CHOLECYSTECTOMY, "C.D.E."),
                    ctx.pcs_has(CHOLECYSTECTOMY, "CHOLECYSTECTOMY EXCEPT BY LAPAROSCOPE"),
                    ctx.pcs_has(CHOLECYSTECTOMY, "LAPAROSCOPIC CHOLECYSTECTOMY"),
                )
            });
            match which {
                Cholecystectomy::WithCde => cde && (open || lap),
                Cholecystectomy::Open => !cde && open,
                Cholecystectomy::Other(laparoscopic) => !cde && lap && laparoscopic,
            }
        }
        BaseKind::WithoutMv96 => !ctx.has_mv96(),
        BaseKind::WithMv96 => ctx.has_mv96(),
        BaseKind::Always => true,
        BaseKind::Unknown => {
            return Err(GroupError::Undetermined(format!(
                "the family splits on '{}', which the grouper does not evaluate",
                base(info)
            )));
        }
    })
}

pub(super) fn split<'f>(
    ctx: &mut Ctx<'_>,
    family: &'f str,
    sev: &Severity,
) -> Result<&'f str, GroupError> {
    let v = ctx.v;
    // The family's DRGs, read once (the largest family has nine).
    let mut drgs: [(&'f str, Option<&DrgInfo>); 12] = [("", None); 12];
    let mut n = 0;
    for d in family_parts(family) {
        let slot = drgs.get_mut(n).ok_or_else(|| {
            GroupError::Undetermined(format!(
                "family {family} has more DRGs than any MS-DRG family"
            ))
        })?;
        *slot = (d, v.drg(d));
        n += 1;
    }
    let drgs = drgs.get(..n).unwrap_or_default();
    // The family's bases are all alike (split by severity only) or differ (split by more).
    let first = drgs.first().map_or("", |(_, i)| base(*i));
    let alike = drgs.iter().all(|(_, i)| base(*i) == first);
    let mut chole: CholecystectomyFacts = None;
    for (drg, info) in drgs {
        let title = info.map_or("", |i| i.title);
        if base_holds(ctx, *info, alike, &mut chole)? && clause_holds(ctx, family, *info, sev) {
            note!(
                ctx,
                "drg",
                "{drg} {title} ({})",
                match (&sev.mcc, &sev.cc) {
                    (Some(m), _) => format!("MCC {m}"),
                    (None, Some(c)) => format!("CC {c}"),
                    (None, None) => "no CC or MCC".to_string(),
                }
            );
            return Ok(drg);
        }
    }
    Err(GroupError::Undetermined(format!(
        "no DRG of family {family} fits the claim"
    )))
}
