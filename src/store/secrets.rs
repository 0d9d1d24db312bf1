//! Sealed assessment secrets: reading the database does not reveal an assessment's master seed
//! or any candidate's seeds.
//!
//! - **Each person with a secret** (a password, a PIN or an access code) has an X25519 key
//!   pair (`person_keys`). The public key is stored as it is; the private key is encrypted
//!   (XChaCha20-Poly1305) under a key derived from their secret with Argon2id and a salt of its
//!   own. Signing in opens it; a new secret makes a new pair.
//! - **The staff key** is one random 32-byte key per database. Every instructor and employer
//!   admin holds it sealed to their public key (`staff_grants`). The first one is drawn when the
//!   first instructor or employer admin is created (or signs in on a database from before
//!   sealing); a staff member who holds it passes it to every other one as they are created or
//!   the next time any holder signs in.
//! - **An assessment's master seed** is encrypted under the staff key with a random 32-byte
//!   blinding value (`assessments.seed_sealed`). The audit chain keeps a commitment to it,
//!   SHA-256 over a label, the name, the blinding value and the seed: it changes when the seed
//!   does, and it does not let anyone search the seed.
//! - **A candidate's seeds** for an assessment are sealed to their public key
//!   (`candidate_seeds`) by staff, who derive them from the master seed: when the candidate is
//!   registered, gets a new access code, or (for people registered before they had a key pair)
//!   the next time a staff member signs in.
//! - **A sitting** keeps a check value per scenario (`sitting_seed_checks`), SHA-256 over a
//!   label, the sitting, the scenario and the seed, so the store can refuse an attempt with
//!   another seed without holding any secret.
//!
//! Sealing to a public key: an ephemeral X25519 key pair, the shared secret hashed with both
//! public keys and a label into a one-time XChaCha20-Poly1305 key. Every sealed value carries
//! associated data naming what it is and whose it is, so a sealed value moved to another row
//! does not open.

use std::fmt;

use crate::store::db::{Db, OptionalExtension, params};
use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::store::assessments::derive_candidate_seed;
use crate::store::people::PersonId;
use crate::store::{StoreError, StoreResult};

const NONCE_LEN: usize = 24;
const SALT_LEN: usize = 16;

/// A 32-byte symmetric key, wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SymKey(Zeroizing<[u8; 32]>);

impl fmt::Debug for SymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SymKey(…)")
    }
}

/// The secrets a signed-in session holds: the person's private key (opened with their own
/// secret) and, for staff, the staff key.
#[derive(Clone, Default)]
pub(crate) struct Keys {
    pub(crate) person: Option<StaticSecret>,
    pub(crate) staff: Option<SymKey>,
}

impl PartialEq for Keys {
    fn eq(&self, other: &Self) -> bool {
        let public = |k: &Option<StaticSecret>| k.as_ref().map(|s| *PublicKey::from(s).as_bytes());
        public(&self.person) == public(&other.person) && self.staff == other.staff
    }
}

impl Eq for Keys {}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("person", &self.person.is_some())
            .field("staff", &self.staff.is_some())
            .finish()
    }
}

fn no_randomness(e: &getrandom::Error) -> StoreError {
    StoreError::Invalid {
        field: "randomness",
        message: format!("the operating system gave no randomness: {e}"),
    }
}

/// `N` bytes from the operating system's randomness.
fn random<const N: usize>() -> StoreResult<[u8; N]> {
    let mut bytes = [0_u8; N];
    getrandom::fill(&mut bytes).map_err(|e| no_randomness(&e))?;
    Ok(bytes)
}

fn random_key() -> StoreResult<SymKey> {
    Ok(SymKey(Zeroizing::new(random::<32>()?)))
}

/// The key a secret opens: Argon2id (the same parameters as password hashes) over the secret
/// and a salt of its own.
fn derive(secret: &str, salt: &[u8]) -> StoreResult<SymKey> {
    let mut out = Zeroizing::new([0_u8; 32]);
    Argon2::default()
        .hash_password_into(secret.as_bytes(), salt, out.as_mut())
        .map_err(|e| StoreError::PasswordHash(e.to_string()))?;
    Ok(SymKey(out))
}

fn seal_with(key: &SymKey, aad: &[u8], msg: &[u8]) -> StoreResult<Vec<u8>> {
    let nonce = random::<NONCE_LEN>()?;
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key.0.as_ref()));
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg, aad })
        .map_err(|_| StoreError::Invalid {
            field: "sealed value",
            message: "could not be encrypted".to_string(),
        })?;
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens what [`seal_with`] sealed; `None` for a wrong key, other associated data or a changed
/// value.
fn open_with(key: &SymKey, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (nonce, body) = sealed.split_at_checked(NONCE_LEN)?;
    XChaCha20Poly1305::new(Key::from_slice(key.0.as_ref()))
        .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
        .ok()
        .map(Zeroizing::new)
}

fn one_time_key(shared: &[u8; 32], ephemeral: &PublicKey, recipient: &PublicKey) -> SymKey {
    let mut hasher = Sha256::new();
    hasher.update(b"ehr-sim/seal-to/v1\n");
    hasher.update(ephemeral.as_bytes());
    hasher.update(recipient.as_bytes());
    hasher.update(shared);
    let mut key = Zeroizing::new([0_u8; 32]);
    key.copy_from_slice(&hasher.finalize());
    SymKey(key)
}

/// Seals `msg` so that only the holder of `recipient`'s private key opens it.
fn seal_to(recipient: &PublicKey, aad: &[u8], msg: &[u8]) -> StoreResult<Vec<u8>> {
    let ephemeral = StaticSecret::from(random::<32>()?);
    let ephemeral_public = PublicKey::from(&ephemeral);
    let shared = ephemeral.diffie_hellman(recipient);
    let key = one_time_key(shared.as_bytes(), &ephemeral_public, recipient);
    let mut out = ephemeral_public.as_bytes().to_vec();
    out.extend(seal_with(&key, aad, msg)?);
    Ok(out)
}

fn open_from(secret: &StaticSecret, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (ephemeral, rest) = sealed.split_at_checked(32)?;
    let ephemeral = PublicKey::from(<[u8; 32]>::try_from(ephemeral).ok()?);
    let shared = secret.diffie_hellman(&ephemeral);
    let key = one_time_key(shared.as_bytes(), &ephemeral, &PublicKey::from(secret));
    open_with(&key, aad, rest)
}

fn person_aad(person_id: PersonId) -> Vec<u8> {
    format!("ehr-sim/person-key/v1\n{person_id}").into_bytes()
}

fn grant_aad(person_id: PersonId) -> Vec<u8> {
    format!("ehr-sim/staff-key/v1\n{person_id}").into_bytes()
}

fn master_aad(assessment_id: i64) -> Vec<u8> {
    format!("ehr-sim/master-seed/v1\n{assessment_id}").into_bytes()
}

fn seeds_aad(assessment_id: i64, person_id: PersonId) -> Vec<u8> {
    format!("ehr-sim/candidate-seeds/v1\n{assessment_id}\n{person_id}").into_bytes()
}

/// Gives `person_id` a new key pair opened by `secret` (their password, PIN or normalised
/// access code) and returns its private key. What was sealed to their old key (their seeds,
/// their share of the staff key) is deleted: it no longer opens, and staff seal it again.
pub(crate) fn new_person_key(
    tx: &Db,
    person_id: PersonId,
    secret: &str,
) -> StoreResult<StaticSecret> {
    let private = StaticSecret::from(random::<32>()?);
    let salt = random::<SALT_LEN>()?;
    let key = derive(secret, &salt)?;
    let sealed = seal_with(&key, &person_aad(person_id), private.as_bytes())?;
    let public = PublicKey::from(&private);
    // A first key pair is an insert (all a learner's server login may do); a new one for a
    // person who had one replaces it, and what was sealed to the old key goes with it.
    let added = tx.execute(
        "INSERT INTO person_keys (person_id, public_key, salt, sealed_private) \
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (person_id) DO NOTHING",
        params![
            person_id,
            public.as_bytes().as_slice(),
            salt.as_slice(),
            sealed
        ],
    )?;
    if added == 0 {
        tx.execute(
            "UPDATE person_keys SET public_key = ?2, salt = ?3, sealed_private = ?4 \
             WHERE person_id = ?1",
            params![
                person_id,
                public.as_bytes().as_slice(),
                salt.as_slice(),
                sealed
            ],
        )?;
        tx.execute(
            "DELETE FROM candidate_seeds WHERE person_id = ?1",
            params![person_id],
        )?;
        tx.execute(
            "DELETE FROM staff_grants WHERE person_id = ?1",
            params![person_id],
        )?;
    }
    Ok(private)
}

/// Opens `person_id`'s private key with their secret: `None` when they have no key pair yet
/// (a person from before sealing) or it does not open.
pub(crate) fn open_person_key(
    conn: &Db,
    person_id: PersonId,
    secret: &str,
) -> StoreResult<Option<StaticSecret>> {
    let row: Option<(Vec<u8>, Vec<u8>)> = conn
        .query_row(
            "SELECT salt, sealed_private FROM person_keys WHERE person_id = ?1",
            params![person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((salt, sealed)) = row else {
        return Ok(None);
    };
    let key = derive(secret, &salt)?;
    Ok(open_with(&key, &person_aad(person_id), &sealed)
        .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
        .map(StaticSecret::from))
}

fn public_key_of(conn: &Db, person_id: PersonId) -> StoreResult<Option<PublicKey>> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT public_key FROM person_keys WHERE person_id = ?1",
            params![person_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(bytes
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .map(PublicKey::from))
}

/// The staff key as `person_id` holds it, opened with their private key.
pub(crate) fn open_staff_key(
    conn: &Db,
    person_id: PersonId,
    private: &StaticSecret,
) -> StoreResult<Option<SymKey>> {
    let sealed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT sealed FROM staff_grants WHERE person_id = ?1",
            params![person_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(sealed
        .and_then(|s| open_from(private, &grant_aad(person_id), &s))
        .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
        .map(|k| SymKey(Zeroizing::new(k))))
}

fn grant(tx: &Db, person_id: PersonId, public: &PublicKey, key: &SymKey) -> StoreResult<()> {
    let sealed = seal_to(public, &grant_aad(person_id), key.0.as_ref())?;
    tx.execute(
        "INSERT INTO staff_grants (person_id, sealed) VALUES (?1, ?2) \
         ON CONFLICT (person_id) DO UPDATE SET sealed = excluded.sealed",
        params![person_id, sealed],
    )?;
    Ok(())
}

/// Whether no one holds a staff key yet (a new database, or one from before sealing).
pub(crate) fn staff_key_missing(conn: &Db) -> StoreResult<bool> {
    Ok(!conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM staff_grants)",
        params![],
        |r| r.get(0),
    )?)
}

/// Draws the database's staff key and gives it to `person_id` (the first staff member with a
/// key pair). Callers check [`staff_key_missing`] first.
pub(crate) fn first_staff_key(
    tx: &Db,
    person_id: PersonId,
    private: &StaticSecret,
) -> StoreResult<SymKey> {
    let key = random_key()?;
    grant(tx, person_id, &PublicKey::from(private), &key)?;
    Ok(key)
}

/// The commitment to a master seed the audit chain keeps. Version 1 (assessments from before
/// sealing, whose seed was stored readable) hashes the name and the seed; version 2 adds a
/// random blinding value sealed with the seed, so the commitment cannot be searched.
pub(crate) fn seed_commitment(name: &str, master_seed: u64, blind: Option<&[u8; 32]>) -> String {
    let text = match blind {
        None => format!("ehr-sim/seed-commitment/v1\n{name}\n{master_seed}"),
        Some(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!("ehr-sim/seed-commitment/v2\n{name}\n{hex}\n{master_seed}")
        }
    };
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// A new master seed's blinding value and commitment.
pub(crate) fn commit_new_seed(name: &str, master_seed: u64) -> StoreResult<([u8; 32], String)> {
    let blind = random::<32>()?;
    let commitment = seed_commitment(name, master_seed, Some(&blind));
    Ok((blind, commitment))
}

/// Stores assessment `assessment_id`'s master seed sealed under the staff key. `blind` is
/// `None` for a seed from before sealing (its commitment is version 1).
pub(crate) fn seal_master_seed(
    tx: &Db,
    staff: &SymKey,
    assessment_id: i64,
    master_seed: u64,
    blind: Option<&[u8; 32]>,
) -> StoreResult<()> {
    let mut plain = Zeroizing::new(Vec::with_capacity(41));
    plain.extend_from_slice(&master_seed.to_be_bytes());
    match blind {
        Some(b) => {
            plain.push(2);
            plain.extend_from_slice(b);
        }
        None => plain.push(1),
    }
    let sealed = seal_with(staff, &master_aad(assessment_id), &plain)?;
    tx.execute(
        "UPDATE assessments SET seed_sealed = ?1 WHERE id = ?2",
        params![sealed, assessment_id],
    )?;
    Ok(())
}

fn sealed_error(message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: "master seed",
        message: message.into(),
    }
}

/// Assessment `assessment_id`'s master seed: from before sealing (still readable, until a
/// staff member signs in), or opened with the staff key and checked against the chain's
/// commitment.
///
/// # Errors
/// [`StoreError::Invalid`] when it is sealed and `staff` is `None`, or it does not open or
/// does not match its commitment (the database was altered).
pub(crate) fn master_seed(
    conn: &Db,
    staff: Option<&SymKey>,
    assessment_id: i64,
) -> StoreResult<u64> {
    let legacy: Option<i64> = conn
        .query_row(
            "SELECT master_seed FROM legacy_master_seeds WHERE assessment_id = ?1",
            params![assessment_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(seed) = legacy {
        return Ok(seed as u64);
    }
    let (name, commitment, sealed): (String, Option<String>, Option<Vec<u8>>) = conn.query_row(
        "SELECT name, seed_commitment, seed_sealed FROM assessments WHERE id = ?1",
        params![assessment_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let Some(staff) = staff else {
        return Err(sealed_error(
            "it is sealed under the staff key, which this account does not hold yet: it gets \
             its share the next time another instructor or employer admin signs in",
        ));
    };
    let altered = || {
        sealed_error(format!(
            "the sealed master seed of {name:?} does not open or does not match the audit \
             chain's commitment: the database was altered (run `ehr-sim audit verify`)"
        ))
    };
    let plain = sealed
        .and_then(|s| open_with(staff, &master_aad(assessment_id), &s))
        .ok_or_else(altered)?;
    let seed = plain
        .get(..8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_be_bytes)
        .ok_or_else(altered)?;
    let blind = match plain.get(8) {
        Some(2) => Some(
            plain
                .get(9..41)
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(altered)?,
        ),
        Some(1) => None,
        _ => return Err(altered()),
    };
    if commitment.as_deref() != Some(seed_commitment(&name, seed, blind.as_ref()).as_str()) {
        return Err(altered());
    }
    Ok(seed)
}

/// A candidate's seeds for one assessment, opened with their private key; `None` when none
/// are sealed to them (yet) or they do not open.
pub(crate) fn candidate_seeds(
    conn: &Db,
    private: &StaticSecret,
    assessment_id: i64,
    person_id: PersonId,
) -> StoreResult<Option<Vec<(String, u64)>>> {
    let sealed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT sealed FROM candidate_seeds WHERE assessment_id = ?1 AND person_id = ?2",
            params![assessment_id, person_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(sealed
        .and_then(|s| open_from(private, &seeds_aad(assessment_id, person_id), &s))
        .and_then(|plain| serde_json::from_slice(&plain).ok()))
}

/// Whether [`share_pending`] has anything to do: a staff member with a key pair and no share
/// of the staff key, a master seed from before sealing, or a registered candidate with a key
/// pair and no sealed seeds.
pub(crate) fn pending(conn: &Db) -> StoreResult<bool> {
    conn.query_row(
        &format!(
            "SELECT EXISTS(SELECT 1 FROM {STAFF_WITHOUT_KEY}) \
             OR EXISTS(SELECT 1 FROM legacy_master_seeds) \
             OR EXISTS(SELECT 1 FROM {CANDIDATES_WITHOUT_SEEDS})"
        ),
        params![],
        |r| r.get(0),
    )
}

/// Staff members (`k`, `p`) with a key pair and no share of the staff key.
const STAFF_WITHOUT_KEY: &str = "person_keys k JOIN people p ON p.id = k.person_id \
     WHERE p.role IN ('instructor', 'employer_admin') \
     AND NOT EXISTS (SELECT 1 FROM staff_grants g WHERE g.person_id = k.person_id)";

/// Registered candidates (`m`, `p`) of assessments (`x`) with a key pair and no sealed seeds
/// for that assessment.
const CANDIDATES_WITHOUT_SEEDS: &str = "assessments x \
     JOIN cohorts c ON c.name = x.name || ' candidates' \
     JOIN cohort_members m ON m.cohort_id = c.id \
     JOIN people p ON p.id = m.person_id \
     JOIN person_keys k ON k.person_id = m.person_id \
     WHERE NOT EXISTS (SELECT 1 FROM candidate_seeds s \
         WHERE s.assessment_id = x.id AND s.person_id = m.person_id)";

/// What a staff member holding the staff key does for the others: gives it to every staff
/// member with a key pair who lacks it, seals every master seed still stored readable, and
/// seals each registered candidate's seeds to their public key where they are missing.
/// Returns how many candidates' seeds it sealed.
pub(crate) fn share_pending(tx: &Db, staff: &SymKey) -> StoreResult<usize> {
    let staff_without: Vec<PersonId> = tx.query_map(
        &format!("SELECT k.person_id FROM {STAFF_WITHOUT_KEY}"),
        params![],
        |r| r.get(0),
    )?;
    for person in staff_without {
        if let Some(public) = public_key_of(tx, person)? {
            grant(tx, person, &public, staff)?;
        }
    }
    let legacy: Vec<(i64, i64)> = tx.query_map(
        "SELECT assessment_id, master_seed FROM legacy_master_seeds",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (assessment, seed) in legacy {
        seal_master_seed(tx, staff, assessment, seed as u64, None)?;
        tx.execute(
            "DELETE FROM legacy_master_seeds WHERE assessment_id = ?1",
            params![assessment],
        )?;
    }
    let unsealed: Vec<(i64, PersonId, String)> = tx.query_map(
        &format!(
            "SELECT x.id, m.person_id, p.name FROM {CANDIDATES_WITHOUT_SEEDS} \
             ORDER BY x.id, m.person_id"
        ),
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut sealed = 0;
    for (assessment, person, name) in unsealed {
        let master = match master_seed(tx, Some(staff), assessment) {
            Ok(master) => master,
            // A seed altered in the file (or sealed under a staff key since replaced) cannot
            // be passed on; staff see why when they open the assessment, and every other
            // candidate still gets their seeds.
            Err(StoreError::Invalid { .. }) => continue,
            Err(e) => return Err(e),
        };
        let Some(public) = public_key_of(tx, person)? else {
            continue;
        };
        let scenarios: Vec<String> = tx.query_map(
            "SELECT scenario_id FROM assessment_scenarios WHERE assessment_id = ?1 \
                 ORDER BY ordinal",
            params![assessment],
            |r| r.get(0),
        )?;
        let seeds: Vec<(String, u64)> = scenarios
            .into_iter()
            .map(|s| {
                let seed = derive_candidate_seed(master, &s, &name);
                (s, seed)
            })
            .collect();
        let plain =
            Zeroizing::new(serde_json::to_vec(&seeds).map_err(|e| StoreError::Invalid {
                field: "candidate seeds",
                message: e.to_string(),
            })?);
        let envelope = seal_to(&public, &seeds_aad(assessment, person), &plain)?;
        tx.execute(
            "INSERT INTO candidate_seeds (assessment_id, person_id, sealed) \
             VALUES (?1, ?2, ?3) ON CONFLICT (assessment_id, person_id) \
             DO UPDATE SET sealed = excluded.sealed",
            params![assessment, person, envelope],
        )?;
        sealed += 1;
    }
    Ok(sealed)
}

/// The check value a sitting keeps for one scenario's seed.
pub(crate) fn seed_check(sitting_id: i64, scenario_id: &str, seed: u64) -> String {
    format!(
        "{:x}",
        Sha256::digest(format!(
            "ehr-sim/sitting-seed/v1\n{sitting_id}\n{scenario_id}\n{seed}"
        ))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_label() {
        let key = random_key().unwrap();
        let sealed = seal_with(&key, b"a", b"secret").unwrap();
        assert_eq!(
            open_with(&key, b"a", &sealed).unwrap().as_slice(),
            b"secret"
        );
        assert!(open_with(&key, b"b", &sealed).is_none());
        assert!(open_with(&random_key().unwrap(), b"a", &sealed).is_none());
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(open_with(&key, b"a", &flipped).is_none());
        assert!(open_with(&key, b"a", &sealed[..10]).is_none());
    }

    #[test]
    fn a_value_sealed_to_a_public_key_opens_with_its_private_key_only() {
        let private = StaticSecret::from(random::<32>().unwrap());
        let other = StaticSecret::from(random::<32>().unwrap());
        let sealed = seal_to(&PublicKey::from(&private), b"x", b"seeds").unwrap();
        assert_eq!(
            open_from(&private, b"x", &sealed).unwrap().as_slice(),
            b"seeds"
        );
        assert!(open_from(&other, b"x", &sealed).is_none());
        assert!(open_from(&private, b"y", &sealed).is_none());
    }

    #[test]
    fn a_derived_key_depends_on_the_secret_and_the_salt() {
        let a = derive("K7QFM2XD9RTA", &[1; SALT_LEN]).unwrap();
        assert_eq!(a, derive("K7QFM2XD9RTA", &[1; SALT_LEN]).unwrap());
        assert_ne!(a, derive("K7QFM2XD9RTB", &[1; SALT_LEN]).unwrap());
        assert_ne!(a, derive("K7QFM2XD9RTA", &[2; SALT_LEN]).unwrap());
    }

    #[test]
    fn commitments_change_with_the_seed_and_the_blinding_value() {
        let v1 = seed_commitment("Exam", 7, None);
        assert_eq!(v1, seed_commitment("Exam", 7, None));
        assert_ne!(v1, seed_commitment("Exam", 8, None));
        let v2 = seed_commitment("Exam", 7, Some(&[3; 32]));
        assert_ne!(v1, v2);
        assert_ne!(v2, seed_commitment("Exam", 7, Some(&[4; 32])));
    }
}
