//! The tamper-evident audit chain over attempts (with their findings and competencies) and
//! overrides.
//!
//! Each chained record gets one `audit_chain` row, appended in the same transaction that
//! stores it: `hash = SHA-256(prev_hash "\n" kind "\n" record_id "\n" canonical_json)`, where
//! `canonical_json` is the record's content serialised by serde_json with a fixed field order
//! (competencies sorted, findings in order, floats in shortest round-trip form) and the first
//! link's `prev_hash` is 64 zeros. [`Store::verify_audit`] recomputes every link and reports
//! edited records (hash differs), deleted records (link without record), inserted records
//! (record without link) and broken links (a link whose `prev_hash` is not its predecessor's
//! hash). Whoever keeps the chain head can also detect a wholesale rewrite
//! ([`AuditReport::contains_head`]).

use std::fmt;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::attempts::{FindingRecord, load_attempt};
use crate::store::{Store, StoreError, StoreResult};

/// The `prev_hash` of the first link.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a link covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// An attempt with its findings and competencies.
    Attempt,
    /// An instructor override.
    Override,
}

impl LinkKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Attempt => "attempt",
            Self::Override => "override",
        }
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Serialize)]
struct CanonicalAttempt<'a> {
    id: i64,
    learner_id: i64,
    scenario_id: &'a str,
    scenario_version_hash: &'a str,
    seed: u64,
    mode: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sitting_id: Option<i64>,
    started_at: &'a str,
    submitted_at: &'a str,
    duration_secs: u64,
    score: f64,
    max: f64,
    passed: bool,
    competencies: &'a [String],
    findings: &'a [FindingRecord],
    /// Left out when empty, so attempts recorded before schema version 3 hash as they did.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    criticals: &'a [super::CriticalRecord],
}

#[derive(Serialize)]
struct CanonicalOverride {
    id: i64,
    attempt_id: i64,
    author_id: i64,
    new_score: f64,
    comment: String,
    created_at: String,
}

/// The canonical serialisation of a stored record, or `None` if it does not exist.
fn canonical(conn: &Connection, kind: LinkKind, id: i64) -> StoreResult<Option<String>> {
    let text = match kind {
        LinkKind::Attempt => match load_attempt(conn, id)? {
            None => None,
            Some(a) => Some(serde_json::to_string(&CanonicalAttempt {
                id: a.id,
                learner_id: a.learner_id,
                scenario_id: &a.scenario_id,
                scenario_version_hash: &a.scenario_version_hash,
                seed: a.seed,
                mode: a.mode.as_str(),
                sitting_id: a.sitting_id,
                started_at: &a.started_at,
                submitted_at: &a.submitted_at,
                duration_secs: a.duration_secs,
                score: a.score,
                max: a.max,
                passed: a.passed,
                competencies: &a.competencies,
                findings: &a.findings,
                criticals: &a.criticals,
            })),
        },
        LinkKind::Override => conn
            .prepare_cached(
                "SELECT id, attempt_id, author_id, new_score, comment, created_at FROM overrides WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(CanonicalOverride {
                    id: r.get(0)?,
                    attempt_id: r.get(1)?,
                    author_id: r.get(2)?,
                    new_score: r.get(3)?,
                    comment: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })
            .optional()?
            .map(|o| serde_json::to_string(&o)),
    };
    text.transpose().map_err(|e| StoreError::Invalid {
        field: "audit record",
        message: format!("{kind} #{id} cannot be serialised: {e}"),
    })
}

/// `SHA-256(prev "\n" kind "\n" id "\n" canonical)` as lowercase hex.
#[must_use]
pub(crate) fn link_hash(
    prev_hash: &str,
    kind: LinkKind,
    record_id: i64,
    canonical_json: &str,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(kind.as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(record_id.to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical_json.as_bytes());
    format!("{:x}", hasher.finalize())
}

/// Appends the link for a record just written in `tx` (reads it back, so the hash covers
/// exactly what is stored). Returns the new head.
pub(crate) fn append(tx: &Transaction<'_>, kind: LinkKind, record_id: i64) -> StoreResult<String> {
    let prev: String = tx
        .prepare_cached("SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let text = canonical(tx, kind, record_id)?.ok_or_else(|| StoreError::NotFound {
        what: "record",
        name: format!("{kind} #{record_id}"),
    })?;
    let hash = link_hash(&prev, kind, record_id, &text);
    tx.prepare_cached(
        "INSERT INTO audit_chain (kind, record_id, prev_hash, hash) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![kind.as_str(), record_id, prev, hash])?;
    Ok(hash)
}

/// One problem found by [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AuditIssue {
    /// The record's content no longer matches its link.
    Edited {
        /// Link number.
        seq: i64,
        /// Record kind.
        kind: LinkKind,
        /// Record id.
        record_id: i64,
    },
    /// The link exists, the record does not.
    Deleted {
        /// Link number.
        seq: i64,
        /// Record kind.
        kind: LinkKind,
        /// Record id.
        record_id: i64,
    },
    /// The record exists without a link: it was written outside EHR Sim.
    Inserted {
        /// Record kind.
        kind: LinkKind,
        /// Record id.
        record_id: i64,
    },
    /// A link's `prev_hash` is not the previous link's hash: links were removed, inserted or
    /// rewritten before it.
    Broken {
        /// Link number.
        seq: i64,
    },
}

impl fmt::Display for AuditIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Edited {
                seq,
                kind,
                record_id,
            } => write!(
                f,
                "edited: {kind} #{record_id} (link {seq}) no longer matches its recorded hash"
            ),
            Self::Deleted {
                seq,
                kind,
                record_id,
            } => write!(
                f,
                "deleted: {kind} #{record_id} (link {seq}) is missing from the database"
            ),
            Self::Inserted { kind, record_id } => write!(
                f,
                "inserted: {kind} #{record_id} has no link in the audit chain (written outside EHR Sim)"
            ),
            Self::Broken { seq } => write!(
                f,
                "broken chain: link {seq} does not follow the link before it (links removed, inserted or rewritten)"
            ),
        }
    }
}

/// The outcome of [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Links checked.
    pub links: u64,
    /// The last link's hash ([`GENESIS_HASH`] for an empty chain).
    pub head: String,
    /// Every problem, sorted.
    pub issues: Vec<AuditIssue>,
    /// Every link hash in order, to look up a head kept earlier.
    #[serde(skip)]
    hashes: Vec<String>,
}

impl AuditReport {
    /// Whether nothing was found wrong.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.issues.is_empty()
    }

    /// Whether a chain head kept earlier (e.g. printed on an assessment report) is a link of
    /// this chain: if not, the database was rewritten since.
    #[must_use]
    pub fn contains_head(&self, head: &str) -> bool {
        let head = head.trim().to_ascii_lowercase();
        head == GENESIS_HASH || self.hashes.contains(&head)
    }
}

impl Store {
    /// Recomputes the whole audit chain and lists every edited, deleted or inserted record.
    ///
    /// # Errors
    /// On an SQLite failure (tampering is reported in the [`AuditReport`], not as an error).
    pub fn verify_audit(&self) -> StoreResult<AuditReport> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT seq, kind, record_id, prev_hash, hash FROM audit_chain ORDER BY seq",
        )?;
        let links = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut issues = Vec::new();
        let mut hashes = Vec::with_capacity(links.len());
        let mut expected_prev = GENESIS_HASH.to_string();
        for (seq, kind, record_id, prev_hash, hash) in links {
            let kind = if kind == "override" {
                LinkKind::Override
            } else {
                LinkKind::Attempt
            };
            if prev_hash != expected_prev {
                issues.push(AuditIssue::Broken { seq });
            }
            match canonical(conn, kind, record_id)? {
                None => issues.push(AuditIssue::Deleted {
                    seq,
                    kind,
                    record_id,
                }),
                Some(text) => {
                    if link_hash(&prev_hash, kind, record_id, &text) != hash {
                        issues.push(AuditIssue::Edited {
                            seq,
                            kind,
                            record_id,
                        });
                    }
                }
            }
            expected_prev.clone_from(&hash);
            hashes.push(hash);
        }
        for (kind, table) in [
            (LinkKind::Attempt, "attempts"),
            (LinkKind::Override, "overrides"),
        ] {
            let sql = format!(
                "SELECT t.id FROM {table} t WHERE NOT EXISTS \
                 (SELECT 1 FROM audit_chain c WHERE c.kind = ?1 AND c.record_id = t.id) ORDER BY t.id"
            );
            let unlinked = conn
                .prepare(&sql)?
                .query_map([kind.as_str()], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            issues.extend(
                unlinked
                    .into_iter()
                    .map(|record_id| AuditIssue::Inserted { kind, record_id }),
            );
        }
        issues.sort();
        Ok(AuditReport {
            links: hashes.len() as u64,
            head: expected_prev,
            issues,
            hashes,
        })
    }

    /// The current chain head ([`GENESIS_HASH`] for an empty chain), without verifying.
    ///
    /// # Errors
    /// On an SQLite failure.
    pub fn audit_head(&self) -> StoreResult<String> {
        Ok(self
            .conn()
            .query_row(
                "SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| GENESIS_HASH.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_hash_is_stable() {
        assert_eq!(
            link_hash(GENESIS_HASH, LinkKind::Attempt, 1, "{}"),
            link_hash(GENESIS_HASH, LinkKind::Attempt, 1, "{}")
        );
        assert_ne!(
            link_hash(GENESIS_HASH, LinkKind::Attempt, 1, "{}"),
            link_hash(GENESIS_HASH, LinkKind::Override, 1, "{}")
        );
        assert_eq!(
            link_hash(GENESIS_HASH, LinkKind::Attempt, 1, "{}").len(),
            64
        );
    }
}
