//! Drafts: work in progress, autosaved and offered back on restart.
//!
//! A draft is keyed by (learner, scenario id, seed, mode): saving again replaces it (upsert),
//! and recording the matching attempt deletes it in the same transaction. The payload is
//! opaque text (the UI's serialised submission); the store never interprets it.

use crate::store::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::attempts::Mode;
use crate::store::people::{PersonId, Session};
use crate::store::{Store, StoreError, StoreResult, format_timestamp};

/// What identifies a draft.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DraftKey {
    /// The learner.
    pub learner_id: PersonId,
    /// The scenario's id.
    pub scenario_id: String,
    /// The seed of the case being worked on.
    pub seed: u64,
    /// Practice or assessment.
    pub mode: Mode,
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// Its key.
    pub key: DraftKey,
    /// Hash of the scenario content the work was started on.
    pub scenario_version_hash: String,
    /// The serialised work in progress.
    pub payload: String,
    /// Last save (RFC 3339).
    pub updated_at: String,
}

/// The largest draft stored (an answer is a few kilobytes).
pub const MAX_DRAFT_BYTES: usize = 2 * 1024 * 1024;

impl Store {
    /// Saves (inserts or replaces) a draft. Learners save their own; privileged roles anyone's.
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], SQLite failures.
    pub fn save_draft(
        &mut self,
        actor: &Session,
        key: &DraftKey,
        scenario_version_hash: &str,
        payload: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<()> {
        actor.require_self_or_privileged(key.learner_id, "save another learner's draft")?;
        if payload.len() > MAX_DRAFT_BYTES {
            return Err(StoreError::Invalid {
                field: "draft",
                message: format!(
                    "the answer is {} bytes: a draft holds at most {MAX_DRAFT_BYTES}; shorten the longest text",
                    payload.len()
                ),
            });
        }
        let updated_at = format_timestamp(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (person_id, scenario_id, seed, mode, scenario_version_hash, payload, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (person_id, scenario_id, seed, mode) DO UPDATE SET \
                 scenario_version_hash = excluded.scenario_version_hash, payload = excluded.payload, \
                 updated_at = excluded.updated_at",
                params![
                    key.learner_id,
                    key.scenario_id,
                    key.seed as i64,
                    key.mode.as_str(),
                    scenario_version_hash,
                    payload,
                    updated_at
                ],)?;
            Ok(())
        })
    }

    /// A learner's drafts, newest first (then by scenario id).
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], SQLite failures.
    pub fn list_drafts(&self, actor: &Session, learner_id: PersonId) -> StoreResult<Vec<Draft>> {
        actor.require_self_or_privileged(learner_id, "see another learner's drafts")?;
        let rows = self.conn().query_map("SELECT scenario_id, seed, mode, scenario_version_hash, payload, updated_at FROM drafts \
             WHERE person_id = ?1 ORDER BY updated_at DESC, scenario_id, seed, mode", params![learner_id], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<i64>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<String>(5)?,
            ))
        })?;
        let mut drafts = Vec::new();
        for row in rows {
            let (scenario_id, seed, mode, hash, payload, updated_at) = row;
            drafts.push(Draft {
                key: DraftKey {
                    learner_id,
                    scenario_id,
                    seed: seed as u64,
                    mode: Mode::parse(&mode)?,
                },
                scenario_version_hash: hash,
                payload,
                updated_at,
            });
        }
        Ok(drafts)
    }

    /// The draft under `key`, if any (restore on restart).
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], SQLite failures.
    pub fn load_draft(&self, actor: &Session, key: &DraftKey) -> StoreResult<Option<Draft>> {
        actor.require_self_or_privileged(key.learner_id, "open another learner's draft")?;
        let row = self
            .conn()
            .query_row(
                "SELECT scenario_version_hash, payload, updated_at FROM drafts \
                 WHERE person_id = ?1 AND scenario_id = ?2 AND seed = ?3 AND mode = ?4",
                params![
                    key.learner_id,
                    key.scenario_id,
                    key.seed as i64,
                    key.mode.as_str()
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(
            row.map(|(scenario_version_hash, payload, updated_at)| Draft {
                key: key.clone(),
                scenario_version_hash,
                payload,
                updated_at,
            }),
        )
    }

    /// Deletes the draft under `key`; returns whether there was one.
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], SQLite failures.
    pub fn delete_draft(&mut self, actor: &Session, key: &DraftKey) -> StoreResult<bool> {
        actor.require_self_or_privileged(key.learner_id, "delete another learner's draft")?;
        self.write(|tx| {
            let n = tx.execute(
                "DELETE FROM drafts WHERE person_id = ?1 AND scenario_id = ?2 AND seed = ?3 AND mode = ?4",
                params![key.learner_id, key.scenario_id, key.seed as i64, key.mode.as_str()],)?;
            Ok(n > 0)
        })
    }
}
