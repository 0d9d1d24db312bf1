//! Employers' seals: an Ed25519 signature over the audit chain head, made with a key kept
//! outside the database.
//!
//! A plain hash chain proves only that records and links agree: whoever can edit the file can
//! recompute every link after an edit. A seal signs "this chain had `links` links ending in
//! `head` when assessment `name` was sealed" with the employer's private key; without that key
//! nobody can make a seal, and a recomputed chain no longer has the sealed head at that link.
//! `audit verify --public-key FILE` checks every seal made with the key.
//!
//! The signed message is
//! `"ehr-sim/seal/v1\n" name "\n" links "\n" head "\n" sealed_at` (UTF-8). Keys are PKCS#8
//! (private) and SPKI (public) PEM files, the formats `openssl genpkey -algorithm ed25519` and
//! `openssl pkey -pubout` write.

use std::path::Path;

use crate::store::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::Serialize;

use crate::store::audit::AuditReport;
use crate::store::people::{Role, Session};
use crate::store::{Store, StoreError, StoreResult, format_timestamp};

/// A stored seal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seal {
    /// Database id.
    pub id: i64,
    /// The assessment sealed.
    pub assessment: String,
    /// Links in the chain when sealed.
    pub links: u64,
    /// The chain head when sealed.
    pub head: String,
    /// The signer's Ed25519 public key, lowercase hex (32 bytes).
    pub public_key: String,
    /// The signature, lowercase hex (64 bytes).
    pub signature: String,
    /// Who sealed it.
    pub sealed_by: String,
    /// When (RFC 3339).
    pub sealed_at: String,
}

/// What a seal signs.
#[must_use]
pub fn seal_message(assessment: &str, links: u64, head: &str, sealed_at: &str) -> Vec<u8> {
    format!("ehr-sim/seal/v1\n{assessment}\n{links}\n{head}\n{sealed_at}").into_bytes()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.trim();
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut out = [0_u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A key file that cannot be used, with what to do.
fn key_error(path: &Path, what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid {
        field: "key file",
        message: format!(
            "{}: {detail}. Give the {what} PEM file written by `ehr-sim assessment keygen` \
             (or by `openssl genpkey -algorithm ed25519` / `openssl pkey -pubout`)",
            path.display()
        ),
    }
}

/// Reads a bounded PEM file.
fn read_pem(path: &Path, what: &str) -> StoreResult<String> {
    const MAX_PEM_BYTES: u64 = 16 * 1024;
    let meta = std::fs::metadata(path).map_err(|e| key_error(path, what, e))?;
    if meta.len() > MAX_PEM_BYTES {
        return Err(key_error(
            path,
            what,
            format!("{} bytes is not a key file", meta.len()),
        ));
    }
    std::fs::read_to_string(path).map_err(|e| key_error(path, what, e))
}

/// Reads an Ed25519 private key (PKCS#8 PEM).
///
/// # Errors
/// [`StoreError::Invalid`] naming the file and the expected format.
pub fn read_signing_key(path: &Path) -> StoreResult<SigningKey> {
    let text = read_pem(path, "private key")?;
    SigningKey::from_pkcs8_pem(&text).map_err(|e| key_error(path, "private key", e))
}

/// Reads an Ed25519 public key (SPKI PEM; a private key file is accepted too and its public
/// half used).
///
/// # Errors
/// [`StoreError::Invalid`] naming the file and the expected format.
pub fn read_verifying_key(path: &Path) -> StoreResult<VerifyingKey> {
    let text = read_pem(path, "public key")?;
    if let Ok(key) = VerifyingKey::from_public_key_pem(&text) {
        return Ok(key);
    }
    SigningKey::from_pkcs8_pem(&text)
        .map(|k| k.verifying_key())
        .map_err(|e| key_error(path, "public key", e))
}

/// A new key pair from the operating system's randomness, as (private PEM, public PEM).
///
/// # Errors
/// [`StoreError::Invalid`] when no randomness or no encoding is available.
pub fn generate_key_pair() -> StoreResult<(String, String)> {
    let mut secret = [0_u8; 32];
    getrandom::fill(&mut secret).map_err(|e| StoreError::Invalid {
        field: "key",
        message: format!("the operating system gave no randomness: {e}"),
    })?;
    let key = SigningKey::from_bytes(&secret);
    secret.fill(0);
    let encoding = |e: &dyn std::fmt::Display| StoreError::Invalid {
        field: "key",
        message: format!("cannot encode the key: {e}"),
    };
    // PKCS#8 version 1 (the secret alone), which every OpenSSL 3 reads; the public half is
    // derived from it.
    let private = ed25519_dalek::pkcs8::KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    }
    .to_pkcs8_pem(LineEnding::LF)
    .map_err(|e| encoding(&e))?
    .to_string();
    let public = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| encoding(&e))?;
    Ok((private, public))
}

/// The public key as lowercase hex.
#[must_use]
pub fn public_key_hex(key: &VerifyingKey) -> String {
    to_hex(key.as_bytes())
}

/// How a seal fared against a public key and the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SealCheck {
    /// The seal.
    pub seal: Seal,
    /// `None` when it holds; otherwise why not, in words.
    pub problem: Option<String>,
}

/// The outcome of checking a database's seals against one public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SealReport {
    /// The public key checked, hex.
    pub public_key: String,
    /// Every seal made with that key, oldest first.
    pub seals: Vec<SealCheck>,
}

impl SealReport {
    /// Whether at least one seal was made with the key and every one of them holds.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        !self.seals.is_empty() && self.seals.iter().all(|s| s.problem.is_none())
    }

    /// Every problem in words (including "no seal").
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        if self.seals.is_empty() {
            return vec![format!(
                "no seal in this database was made with public key {}: it was never sealed with \
                 this key, or its seals were removed",
                self.public_key
            )];
        }
        self.seals
            .iter()
            .filter_map(|s| {
                s.problem
                    .as_ref()
                    .map(|p| format!("seal #{} of {:?}: {p}", s.seal.id, s.seal.assessment))
            })
            .collect()
    }
}

/// Why `seal` does not hold for `chain`, or `None`.
fn seal_problem(seal: &Seal, key: &VerifyingKey, chain: &AuditReport) -> Option<String> {
    let Some(signature) = from_hex::<64>(&seal.signature) else {
        return Some("its signature is not 128 hexadecimal digits".to_string());
    };
    let message = seal_message(&seal.assessment, seal.links, &seal.head, &seal.sealed_at);
    if key
        .verify_strict(&message, &Signature::from_bytes(&signature))
        .is_err()
    {
        return Some(
            "the signature does not match what it claims to seal (the seal was edited or forged)"
                .to_string(),
        );
    }
    match chain.hash_at(seal.links) {
        Some(hash) if hash == seal.head => None,
        Some(_) => Some(format!(
            "link {} is no longer the head that was sealed: the chain was recomputed after an edit",
            seal.links
        )),
        None => Some(format!(
            "the chain has {} link(s), fewer than the {} sealed: links were deleted",
            chain.links, seal.links
        )),
    }
}

impl Store {
    /// Seals the audit chain as it stands, for assessment `assessment`, with `key`. Staff only;
    /// refused while the chain has problems (a seal must not certify tampering).
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`], [`StoreError::Invalid`] when
    /// the chain does not verify.
    pub fn seal_assessment(
        &mut self,
        actor: &Session,
        assessment: &str,
        key: &SigningKey,
        now: &DateTime<Utc>,
    ) -> StoreResult<Seal> {
        actor.require(&[Role::EmployerAdmin, Role::Instructor], "seal assessments")?;
        let found = self.assessment_by_name(assessment)?;
        let chain = self.verify_audit()?;
        if !chain.is_clean() {
            return Err(StoreError::Invalid {
                field: "audit chain",
                message: format!(
                    "it does not verify, so it cannot be sealed: {}",
                    chain
                        .issues
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            });
        }
        let sealed_at = format_timestamp(now);
        let message = seal_message(&found.name, chain.links, &chain.head, &sealed_at);
        let signature = to_hex(&key.sign(&message).to_bytes());
        let public_key = public_key_hex(&key.verifying_key());
        let id = self.write(|tx| {
            let head: String = tx
                .query_row(
                    "SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1",
                    params![],
                    |r| r.get(0),)
                .optional()?
                .unwrap_or_else(|| crate::store::audit::GENESIS_HASH.to_string());
            if head != chain.head {
                return Err(StoreError::Invalid {
                    field: "audit chain",
                    message: "a record was added while sealing: seal again".to_string(),
                });
            }
            tx.query_row(
                "INSERT INTO seals (assessment_id, links, head, public_key, signature, sealed_by, sealed_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                params![
                    found.id,
                    i64::try_from(chain.links).unwrap_or(i64::MAX),
                    chain.head,
                    public_key,
                    signature,
                    actor.person_id(),
                    sealed_at
                ],
                |r| r.get(0),
            )
        })?;
        Ok(Seal {
            id,
            assessment: found.name,
            links: chain.links,
            head: chain.head,
            public_key,
            signature,
            sealed_by: actor.name().to_string(),
            sealed_at,
        })
    }

    /// Every seal, oldest first (of one assessment when `assessment` is given).
    ///
    /// # Errors
    /// On an SQLite failure.
    pub fn seals(&self, assessment: Option<&str>) -> StoreResult<Vec<Seal>> {
        let rows = self.conn().query_map(
            "SELECT s.id, a.name, s.links, s.head, s.public_key, s.signature, \
             coalesce(p.name, '#' || s.sealed_by), s.sealed_at \
             FROM seals s JOIN assessments a ON a.id = s.assessment_id \
             LEFT JOIN people p ON p.id = s.sealed_by \
             WHERE ?1 IS NULL OR a.name = ?1 ORDER BY s.id",
            params![assessment],
            |r| {
                Ok(Seal {
                    id: r.get(0)?,
                    assessment: r.get(1)?,
                    links: u64::try_from(r.get::<i64>(2)?).unwrap_or(0),
                    head: r.get(3)?,
                    public_key: r.get(4)?,
                    signature: r.get(5)?,
                    sealed_by: r.get(6)?,
                    sealed_at: r.get(7)?,
                })
            },
        )?;
        Ok(rows)
    }

    /// Checks every seal made with `key` against the chain `chain` (from
    /// [`Store::verify_audit`]).
    ///
    /// # Errors
    /// On an SQLite failure (a failing seal is reported in the [`SealReport`]).
    pub fn check_seals(&self, key: &VerifyingKey, chain: &AuditReport) -> StoreResult<SealReport> {
        let public_key = public_key_hex(key);
        let seals = self
            .seals(None)?
            .into_iter()
            .filter(|s| s.public_key.eq_ignore_ascii_case(&public_key))
            .map(|seal| SealCheck {
                problem: seal_problem(&seal, key, chain),
                seal,
            })
            .collect();
        Ok(SealReport { public_key, seals })
    }
}
