//! Stable resource ids and FHIR primitive formatting for the export.
//!
//! Ids are name-based UUIDs (version 5 layout, SHA-256 instead of SHA-1): the first 16 bytes of
//! SHA-256 over (patient seed, scenario id, resource kind, ordinal), with the version and
//! variant bits set. The same case therefore always gives the same ids, and two patients never
//! share one in practice. Full URLs are `urn:uuid:<id>`, as FHIR expects inside a bundle.

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

/// A resource's id and the full URL other resources reference it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceId {
    /// The UUID, lowercase, hyphenated.
    pub id: String,
}

impl ResourceId {
    /// Derives the id of resource `kind` number `ordinal` of a case.
    pub fn derive(patient_seed: u64, scenario_id: &str, kind: &str, ordinal: usize) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"ehr-sim/fhir/v1\0");
        hasher.update(patient_seed.to_be_bytes());
        hasher.update(scenario_id.as_bytes());
        hasher.update([0]);
        hasher.update(kind.as_bytes());
        hasher.update([0]);
        hasher.update((ordinal as u64).to_be_bytes());
        let digest = hasher.finalize();
        let mut bytes = [0u8; 16];
        for (dst, src) in bytes.iter_mut().zip(digest.iter()) {
            *dst = *src;
        }
        bytes[6] = (bytes[6] & 0x0f) | 0x50;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let id = format!(
            "{}-{}-{}-{}-{}",
            hex.get(0..8).unwrap_or_default(),
            hex.get(8..12).unwrap_or_default(),
            hex.get(12..16).unwrap_or_default(),
            hex.get(16..20).unwrap_or_default(),
            hex.get(20..32).unwrap_or_default()
        );
        Self { id }
    }

    /// `urn:uuid:<id>`.
    pub(crate) fn full_url(&self) -> String {
        format!("urn:uuid:{}", self.id)
    }
}

/// A FHIR `dateTime`/`instant` for a chart time. The simulator's times are wall-clock times
/// without a zone; FHIR requires a zone once a time is given, so they are written as UTC (`Z`).
pub(crate) fn date_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A FHIR `date`.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuid_shaped_and_distinct() {
        let a = ResourceId::derive(42, "s", "Patient", 0);
        assert_eq!(a, ResourceId::derive(42, "s", "Patient", 0));
        assert_ne!(a, ResourceId::derive(42, "s", "Patient", 1));
        assert_ne!(a, ResourceId::derive(43, "s", "Patient", 0));
        assert_eq!(a.id.len(), 36);
        assert_eq!(a.id.chars().nth(14), Some('5'));
        assert!(matches!(a.id.chars().nth(19), Some('8' | '9' | 'a' | 'b')));
        assert!(a.full_url().starts_with("urn:uuid:"));
    }

    #[test]
    fn times_carry_a_zone() {
        let t = NaiveDate::from_ymd_opt(2026, 3, 4)
            .and_then(|d| d.and_hms_opt(9, 5, 0))
            .unwrap_or_default();
        assert_eq!(date_time(t), "2026-03-04T09:05:00Z");
    }
}
