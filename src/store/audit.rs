//! The tamper-evident audit chain over everything a result depends on: attempts (with their
//! findings, competencies, critical gates and grading provenance), overrides, people (name,
//! role, credential), assessments (settings, scenarios, seed commitment, release), sittings and
//! cohorts (with their members).
//!
//! Each chained record gets an `audit_chain` row appended in the same transaction that stores
//! it: `hash = SHA-256(prev_hash "\n" kind "\n" record_id "\n" canonical_json)`, where
//! `canonical_json` is the record's content read back from the database after the write and
//! serialised by serde_json with a fixed field order, and the first link's `prev_hash` is 64
//! zeros. Attempts and overrides never change: their one link is checked against the record.
//! People, assessments, sittings and cohorts change (a password, a release, a finish, a new
//! member): every change appends a link that keeps the canonical JSON it hashed, and the
//! latest link of each record must match what is stored now.
//!
//! [`Store::verify_audit`] recomputes every link and reports edited records (content differs
//! from the latest link), deleted records (link without record), inserted records (record
//! without link), rewritten links (a kept content that no longer matches its hash) and broken
//! links (a link whose `prev_hash` is not its predecessor's hash). A plain hash chain can be
//! recomputed by whoever edits the file; an employer's Ed25519 seal over the head
//! ([`crate::store::seal`]) cannot.

use std::collections::BTreeMap;
use std::fmt;

use crate::store::db::{Db, OptionalExtension, params};
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
    /// A person: name, role and (the hash of) their credential.
    Person,
    /// An assessment: settings, scenarios, seed commitment and release.
    Assessment,
    /// A candidate's sitting.
    Sitting,
    /// A cohort and its members.
    Cohort,
}

impl LinkKind {
    /// Every kind, in the order `verify` looks for unlinked records.
    const ALL: [Self; 6] = [
        Self::Attempt,
        Self::Override,
        Self::Person,
        Self::Assessment,
        Self::Sitting,
        Self::Cohort,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Attempt => "attempt",
            Self::Override => "override",
            Self::Person => "person",
            Self::Assessment => "assessment",
            Self::Sitting => "sitting",
            Self::Cohort => "cohort",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The table holding records of this kind.
    fn table(self) -> &'static str {
        match self {
            Self::Attempt => "attempts",
            Self::Override => "overrides",
            Self::Person => "people",
            Self::Assessment => "assessments",
            Self::Sitting => "sittings",
            Self::Cohort => "cohorts",
        }
    }

    /// Whether records of this kind change after they are written (each change is a new link
    /// that keeps its content).
    fn is_versioned(self) -> bool {
        match self {
            Self::Attempt | Self::Override => false,
            Self::Person | Self::Assessment | Self::Sitting | Self::Cohort => true,
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
    /// Left out when absent, so attempts recorded before schema version 5 hash as they did.
    #[serde(skip_serializing_if = "Option::is_none")]
    rubric_hash: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    program_version: Option<&'a str>,
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

#[derive(Serialize)]
struct CanonicalPerson {
    id: i64,
    name: String,
    role: String,
    /// SHA-256 of the stored password or access-code hash: a changed credential changes it,
    /// and the chain does not copy the credential itself.
    credential: Option<String>,
    created_at: String,
}

#[derive(Serialize)]
struct CanonicalAssessment {
    id: i64,
    name: String,
    scenario_ids: Vec<String>,
    time_limit_secs: u64,
    pass_mark_fraction: f64,
    /// The commitment to the master seed (`crate::store::secrets::seed_commitment`): a
    /// changed seed changes it.
    seed_commitment: String,
    created_by: i64,
    created_at: String,
    results_released_at: Option<String>,
    /// Left out when false, so links made before the option existed still verify.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    show_drg: bool,
}

#[derive(Serialize)]
struct CanonicalSitting {
    id: i64,
    assessment_id: i64,
    person_id: i64,
    started_at: String,
    finished_at: Option<String>,
}

#[derive(Serialize)]
struct CanonicalCohort {
    id: i64,
    name: String,
    created_at: String,
    /// Member person ids, ascending.
    members: Vec<i64>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn to_json<T: Serialize>(kind: LinkKind, id: i64, value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid {
        field: "audit record",
        message: format!("{kind} #{id} cannot be serialised: {e}"),
    })
}

fn canonical_attempt(conn: &Db, id: i64) -> StoreResult<Option<String>> {
    load_attempt(conn, id)?
        .map(|a| canonical_attempt_text(&a))
        .transpose()
}

fn canonical_attempt_text(a: &crate::store::AttemptRecord) -> StoreResult<String> {
    to_json(
        LinkKind::Attempt,
        a.id,
        &CanonicalAttempt {
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
            rubric_hash: a.rubric_hash.as_deref(),
            program_version: a.program_version.as_deref(),
        },
    )
}

/// The canonical texts of the attempts a run of links names, read with one query per table
/// (attempts are linked in id order, so a run of links names a run of ids).
struct AttemptTexts {
    lo: i64,
    hi: i64,
    texts: BTreeMap<i64, String>,
}

impl AttemptTexts {
    /// Links checked per read.
    const LINKS: usize = 1024;

    fn for_links(conn: &Db, links: &[Link]) -> StoreResult<Self> {
        let ids: Vec<i64> = links
            .iter()
            .filter(|l| l.content.is_none() && l.kind == LinkKind::Attempt.as_str())
            .map(|l| l.record_id)
            .collect();
        let none = Self {
            lo: 1,
            hi: 0,
            texts: BTreeMap::new(),
        };
        let (Some(&lo), Some(&hi)) = (ids.iter().min(), ids.iter().max()) else {
            return Ok(none);
        };
        // A range much wider than the ids it serves (a chain edited out of order) is read
        // record by record instead, so the work stays bounded by the links.
        if hi.saturating_sub(lo) > 4 * ids.len() as i64 + 64 {
            return Ok(none);
        }
        let mut texts = BTreeMap::new();
        for a in crate::store::attempts::load_attempts_between(conn, lo, hi)? {
            texts.insert(a.id, canonical_attempt_text(&a)?);
        }
        Ok(Self { lo, hi, texts })
    }

    /// The record as stored now (`None`: deleted), from the run read or else from the table.
    fn canonical(&self, conn: &Db, kind: LinkKind, id: i64) -> StoreResult<Option<String>> {
        if kind == LinkKind::Attempt && (self.lo..=self.hi).contains(&id) {
            return Ok(self.texts.get(&id).cloned());
        }
        canonical(conn, kind, id)
    }
}

fn canonical_assessment(conn: &Db, id: i64) -> StoreResult<Option<CanonicalAssessment>> {
    let Some(a) = crate::store::assessments::load_assessment(conn, "id = ?1", &id)? else {
        return Ok(None);
    };
    let (created_by, created_at, seed_commitment) = conn.query_row(
        "SELECT created_by, created_at, seed_commitment FROM assessments WHERE id = ?1",
        params![id],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
            ))
        },
    )?;
    Ok(Some(CanonicalAssessment {
        id,
        seed_commitment: seed_commitment.unwrap_or_default(),
        name: a.name,
        scenario_ids: a.scenario_ids,
        time_limit_secs: a.time_limit_secs,
        pass_mark_fraction: a.pass_mark_fraction,
        created_by,
        created_at,
        results_released_at: a.results_released_at,
        show_drg: a.show_drg,
    }))
}

fn canonical_cohort(conn: &Db, id: i64) -> StoreResult<Option<CanonicalCohort>> {
    let row = conn
        .query_row(
            "SELECT name, created_at FROM cohorts WHERE id = ?1",
            params![id],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )
        .optional()?;
    let Some((name, created_at)) = row else {
        return Ok(None);
    };
    let members = conn.query_map(
        "SELECT person_id FROM cohort_members WHERE cohort_id = ?1 ORDER BY person_id",
        params![id],
        |r| r.get(0),
    )?;
    Ok(Some(CanonicalCohort {
        id,
        name,
        created_at,
        members,
    }))
}

/// The canonical serialisation of a stored record, or `None` if it does not exist.
fn canonical(conn: &Db, kind: LinkKind, id: i64) -> StoreResult<Option<String>> {
    let text = match kind {
        LinkKind::Attempt => return canonical_attempt(conn, id),
        LinkKind::Override => conn
            .query_row("SELECT id, attempt_id, author_id, new_score, comment, created_at FROM overrides WHERE id = ?1", params![id], |r| {
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
            .map(|o| to_json(kind, id, &o)),
        LinkKind::Person => conn
            .query_row("SELECT name, role, password_hash, created_at FROM people WHERE id = ?1", params![id], |r| {
                Ok(CanonicalPerson {
                    id,
                    name: r.get(0)?,
                    role: r.get(1)?,
                    credential: r
                        .get::<Option<String>>(2)?
                        .map(|h| sha256_hex(h.as_bytes())),
                    created_at: r.get(3)?,
                })
            })
            .optional()?
            .map(|p| to_json(kind, id, &p)),
        LinkKind::Assessment => canonical_assessment(conn, id)?.map(|a| to_json(kind, id, &a)),
        LinkKind::Sitting => conn
            .query_row("SELECT assessment_id, person_id, started_at, finished_at FROM sittings WHERE id = ?1", params![id], |r| {
                Ok(CanonicalSitting {
                    id,
                    assessment_id: r.get(0)?,
                    person_id: r.get(1)?,
                    started_at: r.get(2)?,
                    finished_at: r.get(3)?,
                })
            })
            .optional()?
            .map(|s| to_json(kind, id, &s)),
        LinkKind::Cohort => canonical_cohort(conn, id)?.map(|c| to_json(kind, id, &c)),
    };
    text.transpose()
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
/// exactly what is stored). A record that changes (see [`LinkKind`]) gets a new link only when
/// its content differs from its latest link's. Returns the chain head.
pub(crate) fn append(tx: &Db, kind: LinkKind, record_id: i64) -> StoreResult<String> {
    let prev: String = tx
        .query_row(
            "SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1",
            params![],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let text = canonical(tx, kind, record_id)?.ok_or_else(|| StoreError::NotFound {
        what: "record",
        name: format!("{kind} #{record_id}"),
    })?;
    let content = if kind.is_versioned() {
        let latest: Option<Option<String>> = tx
            .query_row(
                "SELECT content FROM audit_chain WHERE kind = ?1 AND record_id = ?2 \
                 ORDER BY seq DESC LIMIT 1",
                params![kind.as_str(), record_id],
                |r| r.get(0),
            )
            .optional()?;
        if latest.flatten().as_deref() == Some(text.as_str()) {
            return Ok(prev);
        }
        Some(text.as_str())
    } else {
        None
    };
    let hash = link_hash(&prev, kind, record_id, &text);
    tx.execute("INSERT INTO audit_chain (kind, record_id, prev_hash, hash, content) VALUES (?1, ?2, ?3, ?4, ?5)", params![kind.as_str(), record_id, prev, hash, content])?;
    Ok(hash)
}

/// Gives every person, assessment, sitting and cohort without a link its first link (the
/// upgrade to schema version 5, when these records joined the chain).
pub(crate) fn link_unlinked(tx: &Db) -> StoreResult<()> {
    for kind in LinkKind::ALL.into_iter().filter(|k| k.is_versioned()) {
        for id in unlinked(tx, kind)? {
            append(tx, kind, id)?;
        }
    }
    Ok(())
}

/// Records of `kind` that have no link, by id.
fn unlinked(conn: &Db, kind: LinkKind) -> StoreResult<Vec<i64>> {
    let sql = format!(
        "SELECT t.id FROM {} t WHERE NOT EXISTS \
         (SELECT 1 FROM audit_chain c WHERE c.kind = ?1 AND c.record_id = t.id) ORDER BY t.id",
        kind.table()
    );
    conn.query_map(&sql, params![kind.as_str()], |r| r.get::<i64>(0))
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
    /// A link's kept content no longer matches its hash: the link itself was edited.
    Rewritten {
        /// Link number.
        seq: i64,
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
    /// A gradebook cell no longer matches the attempts it sums up (edited outside EHR Sim).
    Summary {
        /// The learner.
        person_id: i64,
        /// The scenario version.
        scenario_version_id: i64,
    },
    /// A criterion's totals no longer match the findings they sum up (edited outside EHR Sim).
    CriterionTotals {
        /// The scenario version.
        scenario_version_id: i64,
        /// The criterion.
        criterion_id: String,
    },
    /// A link names a kind of record EHR Sim does not chain.
    UnknownKind {
        /// Link number.
        seq: i64,
        /// What it says.
        kind: String,
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
            Self::Rewritten {
                seq,
                kind,
                record_id,
            } => write!(
                f,
                "rewritten: link {seq} ({kind} #{record_id}) no longer matches its own hash (the audit chain was edited)"
            ),
            Self::UnknownKind { seq, kind } => write!(
                f,
                "unknown: link {seq} names a record kind {kind:?} that EHR Sim does not write"
            ),
            Self::Summary {
                person_id,
                scenario_version_id,
            } => write!(
                f,
                "summary: the gradebook cell of person #{person_id} on scenario version #{scenario_version_id} does not match their attempts (edited outside EHR Sim)"
            ),
            Self::CriterionTotals {
                scenario_version_id,
                criterion_id,
            } => write!(
                f,
                "summary: the totals of criterion {criterion_id} on scenario version #{scenario_version_id} do not match its findings (edited outside EHR Sim)"
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

    /// The hash of link number `links` (counting from 1; [`GENESIS_HASH`] for 0), or `None`
    /// past the end.
    #[must_use]
    pub fn hash_at(&self, links: u64) -> Option<&str> {
        if links == 0 {
            return Some(GENESIS_HASH);
        }
        let index = usize::try_from(links - 1).ok()?;
        self.hashes.get(index).map(String::as_str)
    }

    /// Whether a chain head kept earlier (e.g. printed on an assessment report) is a link of
    /// this chain: if not, the database was rewritten since.
    #[must_use]
    pub fn contains_head(&self, head: &str) -> bool {
        let head = head.trim().to_ascii_lowercase();
        head == GENESIS_HASH || self.hashes.contains(&head)
    }
}

/// One `audit_chain` row.
struct Link {
    seq: i64,
    kind: String,
    record_id: i64,
    prev_hash: String,
    hash: String,
    content: Option<String>,
}

/// Checks one link's hash: against its kept content (and remembers it as the record's latest),
/// or, for a record that never changes, against the record as stored.
fn check_link(
    conn: &Db,
    link: &Link,
    texts: &AttemptTexts,
    issues: &mut Vec<AuditIssue>,
    latest: &mut BTreeMap<(LinkKind, i64), (i64, String)>,
) -> StoreResult<()> {
    let (seq, record_id) = (link.seq, link.record_id);
    let Some(kind) = LinkKind::parse(&link.kind) else {
        issues.push(AuditIssue::UnknownKind {
            seq,
            kind: link.kind.clone(),
        });
        return Ok(());
    };
    if let Some(content) = &link.content {
        if link_hash(&link.prev_hash, kind, record_id, content) != link.hash {
            issues.push(AuditIssue::Rewritten {
                seq,
                kind,
                record_id,
            });
        }
        latest.insert((kind, record_id), (seq, content.clone()));
        return Ok(());
    }
    match texts.canonical(conn, kind, record_id)? {
        None => issues.push(AuditIssue::Deleted {
            seq,
            kind,
            record_id,
        }),
        Some(text) => {
            if link_hash(&link.prev_hash, kind, record_id, &text) != link.hash {
                issues.push(AuditIssue::Edited {
                    seq,
                    kind,
                    record_id,
                });
            }
        }
    }
    Ok(())
}

impl Store {
    /// Recomputes the whole audit chain and lists every edited, deleted or inserted record.
    ///
    /// # Errors
    /// On an SQLite failure (tampering is reported in the [`AuditReport`], not as an error).
    pub fn verify_audit(&self) -> StoreResult<AuditReport> {
        let conn = self.conn();
        let links = conn.query_map(
            "SELECT seq, kind, record_id, prev_hash, hash, content FROM audit_chain ORDER BY seq",
            params![],
            |r| {
                Ok(Link {
                    seq: r.get(0)?,
                    kind: r.get(1)?,
                    record_id: r.get(2)?,
                    prev_hash: r.get(3)?,
                    hash: r.get(4)?,
                    content: r.get(5)?,
                })
            },
        )?;
        let mut issues = Vec::new();
        let mut hashes = Vec::with_capacity(links.len());
        let mut expected_prev = GENESIS_HASH.to_string();
        // The latest link (seq, content) of each changing record.
        let mut latest: BTreeMap<(LinkKind, i64), (i64, String)> = BTreeMap::new();
        for run in links.chunks(AttemptTexts::LINKS) {
            let texts = AttemptTexts::for_links(conn, run)?;
            for link in run {
                if link.prev_hash != expected_prev {
                    issues.push(AuditIssue::Broken { seq: link.seq });
                }
                check_link(conn, link, &texts, &mut issues, &mut latest)?;
                expected_prev.clone_from(&link.hash);
                hashes.push(link.hash.clone());
            }
        }
        for ((kind, record_id), (seq, content)) in latest {
            match canonical(conn, kind, record_id)? {
                None => issues.push(AuditIssue::Deleted {
                    seq,
                    kind,
                    record_id,
                }),
                Some(now) if now != content => issues.push(AuditIssue::Edited {
                    seq,
                    kind,
                    record_id,
                }),
                Some(_) => {}
            }
        }
        for kind in LinkKind::ALL {
            issues.extend(
                unlinked(conn, kind)?
                    .into_iter()
                    .map(|record_id| AuditIssue::Inserted { kind, record_id }),
            );
        }
        // The gradebook's cells and the criterion totals are derived from the attempts:
        // checked once the records themselves verify (an edited record already says why its
        // cell is off).
        if issues.is_empty() {
            issues.extend(crate::store::queries::stale_cells(conn)?.into_iter().map(
                |(person_id, scenario_version_id)| AuditIssue::Summary {
                    person_id,
                    scenario_version_id,
                },
            ));
            issues.extend(
                crate::store::queries::stale_criterion_totals(conn)?
                    .into_iter()
                    .map(
                        |(scenario_version_id, criterion_id)| AuditIssue::CriterionTotals {
                            scenario_version_id,
                            criterion_id,
                        },
                    ),
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
                params![],
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
