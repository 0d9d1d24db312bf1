//! People, roles, sign-in and cohorts.
//!
//! Instructors and employer admins must have a password (stored only as an argon2id PHC
//! string); students and candidates pick their profile, unless a password was set for them, in
//! which case it is required. A [`Session`] is the proof of sign-in: every function that needs a
//! role takes one and checks the role itself, so the rules hold whatever the UI does.
//! Creating people and cohorts needs an instructor or employer admin, except the very first
//! privileged account on a database that has none (first-run setup).

use std::fmt;

use crate::store::db::{Db, OptionalExtension, Row, params};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::audit::{self, LinkKind};
use crate::store::secrets::{self, Keys};
use crate::store::{Store, StoreError, StoreResult, format_timestamp};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A certificate-program student: practises, sees own progress.
    Student,
    /// An instructor: manages people and cohorts, sees gradebooks, overrides scores.
    Instructor,
    /// An employer's administrator: builds assessments, sees their results.
    EmployerAdmin,
    /// A job candidate sitting an assessment.
    Candidate,
}

impl Role {
    /// The stored name (`student`, `instructor`, `employer_admin`, `candidate`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Student => "student",
            Self::Instructor => "instructor",
            Self::EmployerAdmin => "employer_admin",
            Self::Candidate => "candidate",
        }
    }

    /// Parses a stored or typed role name (`employer-admin` is accepted too).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming the accepted values.
    pub fn parse(text: &str) -> StoreResult<Self> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "student" => Ok(Self::Student),
            "instructor" => Ok(Self::Instructor),
            "employer_admin" => Ok(Self::EmployerAdmin),
            "candidate" => Ok(Self::Candidate),
            _ => Err(StoreError::Invalid {
                field: "role",
                message: format!(
                    "{text:?} is not a role; use student, instructor, employer-admin or candidate"
                ),
            }),
        }
    }

    /// Instructors and employer admins: they need a password and may manage others.
    #[must_use]
    pub(crate) fn is_privileged(self) -> bool {
        matches!(self, Self::Instructor | Self::EmployerAdmin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Database id of a person.
pub type PersonId = i64;

/// A person as stored (never includes the password hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    /// Database id.
    pub id: PersonId,
    /// Display name, unique.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Whether a password is set.
    pub has_password: bool,
}

/// A signed-in person. Only [`Store::sign_in`] and [`Store::create_person`] (first-run setup)
/// make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    person_id: PersonId,
    name: String,
    role: Role,
    /// The person's private key and, for staff, the staff key (see [`crate::store::secrets`]).
    keys: Keys,
}

impl Session {
    /// The signed-in person's id.
    #[must_use]
    pub fn person_id(&self) -> PersonId {
        self.person_id
    }
    /// The signed-in person's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The signed-in person's role.
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }

    /// The secrets the sign-in opened.
    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Whether this staff account holds the staff key (it reads master seeds and seals
    /// candidates' seeds); false for learners.
    #[must_use]
    pub fn holds_staff_key(&self) -> bool {
        self.keys.staff.is_some()
    }

    /// Checks that the session holds one of `roles`.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`] otherwise.
    pub(crate) fn require(&self, roles: &[Role], action: &'static str) -> StoreResult<()> {
        if roles.contains(&self.role) {
            return Ok(());
        }
        let allowed = if roles == [Role::Instructor] {
            "an instructor"
        } else if roles == [Role::EmployerAdmin] {
            "an employer admin"
        } else {
            "an instructor or employer admin"
        };
        Err(StoreError::PermissionDenied {
            action,
            role: self.role,
            allowed,
        })
    }

    /// Checks that the session is `person_id` or a privileged role.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`] otherwise.
    pub(crate) fn require_self_or_privileged(
        &self,
        person_id: PersonId,
        action: &'static str,
    ) -> StoreResult<()> {
        if self.person_id == person_id || self.role.is_privileged() {
            Ok(())
        } else {
            self.require(&[Role::Instructor, Role::EmployerAdmin], action)
        }
    }
}

/// A cohort (a class or intake group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cohort {
    /// Database id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Members' names, sorted.
    pub members: Vec<String>,
}

fn hash_password(password: &str) -> StoreResult<String> {
    hash_secret(password, 8)
}

/// The Argon2 hash of a password, PIN or access code of at least `min_chars` characters.
fn hash_secret(password: &str, min_chars: usize) -> StoreResult<String> {
    if password.chars().count() < min_chars {
        return Err(StoreError::Invalid {
            field: "password",
            message: format!("use at least {min_chars} characters"),
        });
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::PasswordHash(e.to_string()))
}

/// What registering a candidate did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    /// The candidate was created (else an existing candidate or student was added).
    pub created: bool,
    /// The access code passed in is now the candidate's (a new candidate, or one without a
    /// code); otherwise their existing code stays and the one passed in was not stored.
    pub code_issued: bool,
}

/// An access code as it is hashed and checked: upper case, without dashes or spaces (so
/// "k7qf-m2xd 9rta" signs in as "K7QF-M2XD-9RTA").
#[must_use]
pub fn normalize_access_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).ok().is_some_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

fn check_name(name: &str) -> StoreResult<&str> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 {
        return Err(StoreError::Invalid {
            field: "name",
            message: "give a name of 1 to 200 characters".to_string(),
        });
    }
    // Tabs, line breaks, terminal escapes and text-direction overrides would let a name pose as
    // another in listings and reports.
    if let Some(c) = trimmed.chars().find(|c| {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        return Err(StoreError::Invalid {
            field: "name",
            message: format!(
                "a name cannot contain the control character U+{:04X}: type letters, spaces, \
                 hyphens and apostrophes",
                u32::from(c)
            ),
        });
    }
    Ok(trimmed)
}

/// The staff key `actor` holds, or the error that says how their account gets it.
fn require_staff_key(actor: &Session) -> StoreResult<secrets::SymKey> {
    actor.keys.staff.clone().ok_or_else(|| StoreError::Invalid {
        field: "staff key",
        message: "assessment seeds are sealed under the staff key, which this account does not \
                  hold yet: it gets its share the next time another instructor or employer \
                  admin signs in"
            .to_string(),
    })
}

/// A new person's secrets: a key pair when they have a secret; for staff, the staff key from
/// the staff member creating them, or a new one for the first staff member.
fn person_keys_on_create(
    tx: &Db,
    id: PersonId,
    role: Role,
    secret: Option<&str>,
    actor_staff_key: Option<&secrets::SymKey>,
) -> StoreResult<Keys> {
    let Some(secret) = secret else {
        return Ok(Keys::default());
    };
    let private = secrets::new_person_key(tx, id, secret)?;
    let mut staff = None;
    if role.is_privileged() {
        staff = match actor_staff_key {
            Some(key) => Some(key.clone()),
            None if secrets::staff_key_missing(tx)? => {
                Some(secrets::first_staff_key(tx, id, &private)?)
            }
            None => None,
        };
        if let Some(key) = &staff {
            secrets::share_pending(tx, key)?;
        }
    }
    Ok(Keys {
        person: Some(private),
        staff,
    })
}

/// Inserts a person whose name is free; returns the new id.
pub(crate) fn insert_person(
    tx: &Db,
    name: &str,
    role: Role,
    password_hash: Option<&str>,
    created_at: &str,
) -> StoreResult<PersonId> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM people WHERE name = ?1)",
        params![name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StoreError::Duplicate {
            what: "person",
            name: name.to_string(),
        });
    }
    let id: PersonId = tx.query_row(
        "INSERT INTO people (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4) \
         RETURNING id",
        params![name, role.as_str(), password_hash, created_at],
        |r| r.get(0),
    )?;
    audit::append(tx, LinkKind::Person, id)?;
    Ok(id)
}

impl Store {
    /// Adds a person. `actor` must be an instructor or employer admin, except when the database
    /// has no privileged account yet and a privileged account is being created (first-run
    /// setup; pass `None`). Instructors and employer admins need `password`; for students and
    /// candidates it is optional. Returns a session for the new person.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::Duplicate`], [`StoreError::Invalid`]
    /// (name, short or missing password).
    pub fn create_person(
        &mut self,
        actor: Option<&Session>,
        name: &str,
        role: Role,
        password: Option<&str>,
        now: &DateTime<Utc>,
    ) -> StoreResult<Session> {
        let name = check_name(name)?.to_string();
        if let Some(session) = actor {
            session.require(&[Role::Instructor, Role::EmployerAdmin], "add people")?;
        }
        let bootstrap_denied = || StoreError::PermissionDenied {
            action: "add people without signing in",
            role,
            allowed: "an instructor or employer admin (only the first one may be created without signing in)",
        };
        if actor.is_none() && !role.is_privileged() {
            return Err(bootstrap_denied());
        }
        if role.is_privileged() && password.is_none() {
            return Err(StoreError::Invalid {
                field: "password",
                message: "instructors and employer admins need a password (on the command \
                          line: --password-stdin)"
                    .to_string(),
            });
        }
        let secret = match (role, password) {
            (Role::Candidate, Some(code)) => Some(normalize_access_code(code)),
            (_, password) => password.map(str::to_string),
        };
        let hash = secret.as_deref().map(hash_password).transpose()?;
        let created_at = format_timestamp(now);
        let actor_staff_key = actor.and_then(|a| a.keys.staff.clone());
        let (id, keys) = self.write(|tx| {
            // Checked inside the write transaction, so two first runs cannot both bootstrap.
            if actor.is_none() && has_privileged(tx)? {
                return Err(bootstrap_denied());
            }
            let id = insert_person(tx, &name, role, hash.as_deref(), &created_at)?;
            let keys =
                person_keys_on_create(tx, id, role, secret.as_deref(), actor_staff_key.as_ref())?;
            Ok((id, keys))
        })?;
        Ok(Session {
            person_id: id,
            name,
            role,
            keys,
        })
    }

    /// A learner creates their own student profile (desktop practice: "choose or create a
    /// profile"). Only the student role can be self-created; the student may set a PIN or
    /// password (4 characters or more). Returns the new student's session.
    ///
    /// # Errors
    /// [`StoreError::Duplicate`] when the name is taken, [`StoreError::Invalid`] for a bad name.
    // Only the desktop app creates profiles this way (the CLI registers people explicitly).
    #[cfg(feature = "gui")]
    pub(crate) fn create_own_student_profile(
        &mut self,
        name: &str,
        password: Option<&str>,
        now: &DateTime<Utc>,
    ) -> StoreResult<Session> {
        let name = check_name(name)?.to_string();
        // A student's own PIN guards a practice profile on a shared machine: 4 characters do.
        let hash = password.map(|p| hash_secret(p, 4)).transpose()?;
        let created_at = format_timestamp(now);
        let (id, keys) = self.write(|tx| {
            let id = insert_person(tx, &name, Role::Student, hash.as_deref(), &created_at)?;
            let keys = person_keys_on_create(tx, id, Role::Student, password, None)?;
            Ok((id, keys))
        })?;
        Ok(Session {
            person_id: id,
            name,
            role: Role::Student,
            keys,
        })
    }

    /// Gives candidate `candidate` a new access code (stored only as its Argon2 hash; the old
    /// code stops working). Instructors and employer admins only.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`], [`StoreError::Invalid`] (not
    /// a candidate, a code shorter than 8 characters).
    pub fn set_access_code(
        &mut self,
        actor: &Session,
        candidate: &str,
        code: &str,
    ) -> StoreResult<()> {
        actor.require(
            &[Role::Instructor, Role::EmployerAdmin],
            "issue access codes",
        )?;
        require_staff_key(actor)?;
        let person = self.person_by_name(candidate)?;
        if person.role != Role::Candidate {
            return Err(StoreError::Invalid {
                field: "candidate",
                message: format!(
                    "{} is a {}: access codes are for candidates",
                    person.name, person.role
                ),
            });
        }
        let code = normalize_access_code(code);
        let hash = hash_password(&code)?;
        self.write(|tx| {
            tx.execute(
                "UPDATE people SET password_hash = ?1 WHERE id = ?2",
                params![hash, person.id],
            )?;
            // A new key pair: the seeds sealed to the old code are sealed again to the new one.
            secrets::new_person_key(tx, person.id, &code)?;
            if let Some(staff) = &actor.keys.staff {
                secrets::share_pending(tx, staff)?;
            }
            audit::append(tx, LinkKind::Person, person.id)?;
            Ok(())
        })
    }

    /// Whether any instructor or employer admin exists.
    ///
    /// # Errors
    /// On an SQLite failure.
    pub fn has_privileged_account(&self) -> StoreResult<bool> {
        has_privileged(self.conn())
    }

    /// Signs a person in. Instructors and employer admins need their password, candidates the
    /// access code their employer issued (see [`Store::set_access_code`]; dashes, spaces and
    /// case do not matter), students their password or PIN when they set one, else only the name.
    ///
    /// # Errors
    /// [`StoreError::SignInFailed`] for an unknown name or a wrong or missing password (the
    /// message does not say which).
    pub fn sign_in(&mut self, name: &str, password: Option<&str>) -> StoreResult<Session> {
        let row: Option<(PersonId, String, String, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT id, name, role, password_hash FROM people WHERE name = ?1",
                params![name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let failed = || StoreError::SignInFailed {
            name: name.to_string(),
        };
        let (id, name, role, hash) = row.ok_or_else(failed)?;
        let role = Role::parse(&role)?;
        let secret = match (&hash, password) {
            (Some(stored), Some(given)) if role == Role::Candidate => {
                let code = normalize_access_code(given);
                verify_password(&code, stored).then_some(Some(code))
            }
            (Some(stored), Some(given)) => {
                if verify_password(given, stored) {
                    Some(Some(given.to_string()))
                } else {
                    // A student registered for an assessment without a PIN of their own signs
                    // in with the access code they were given, typed with or without dashes.
                    let code = normalize_access_code(given);
                    (role == Role::Student && verify_password(&code, stored)).then_some(Some(code))
                }
            }
            (Some(_), None) => None,
            // Candidates always sign in with the access code their employer issued.
            (None, _) => (role == Role::Student).then_some(None),
        };
        let Some(secret) = secret else {
            return Err(failed());
        };
        let keys = self.open_keys(id, role, secret.as_deref())?;
        Ok(Session {
            person_id: id,
            name,
            role,
            keys,
        })
    }

    /// The secrets a sign-in opens with the person's own secret: their private key (a person
    /// from before sealing gets a key pair now) and, for staff, the staff key (the first staff
    /// member to sign in on a database without one draws it). A staff member holding it seals
    /// what is pending ([`secrets::share_pending`]). A read-only database opens what it can
    /// and writes nothing.
    fn open_keys(&mut self, id: PersonId, role: Role, secret: Option<&str>) -> StoreResult<Keys> {
        let Some(secret) = secret else {
            return Ok(Keys::default());
        };
        let writable = !self.conn().is_read_only()?;
        let mut person = secrets::open_person_key(self.conn(), id, secret)?;
        if person.is_none() && writable {
            person = Some(self.write(|tx| secrets::new_person_key(tx, id, secret))?);
        }
        let Some(private) = person else {
            return Ok(Keys::default());
        };
        let mut staff = None;
        if role.is_privileged() {
            staff = secrets::open_staff_key(self.conn(), id, &private)?;
            let work = match &staff {
                Some(_) => secrets::pending(self.conn())?,
                None => secrets::staff_key_missing(self.conn())?,
            };
            if work && writable {
                let held = staff.take();
                staff = self.write(|tx| {
                    let key = match held {
                        Some(key) => key,
                        // Checked again inside the transaction: two first sign-ins draw one key.
                        None if secrets::staff_key_missing(tx)? => {
                            secrets::first_staff_key(tx, id, &private)?
                        }
                        None => return Ok(None),
                    };
                    secrets::share_pending(tx, &key)?;
                    Ok(Some(key))
                })?;
            }
        }
        Ok(Keys {
            person: Some(private),
            staff,
        })
    }

    /// Looks a person up by name.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub fn person_by_name(&self, name: &str) -> StoreResult<Person> {
        self.conn()
            .query_row(
                "SELECT id, name, role, password_hash IS NOT NULL FROM people WHERE name = ?1",
                params![name.trim()],
                person_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "person",
                name: name.to_string(),
            })
    }

    /// Everyone, sorted by name.
    ///
    /// # Errors
    /// On an SQLite failure.
    pub(crate) fn list_people(&self) -> StoreResult<Vec<Person>> {
        self.conn().query_map(
            "SELECT id, name, role, password_hash IS NOT NULL FROM people ORDER BY name, id",
            params![],
            person_from_row,
        )
    }

    /// Creates a cohort.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::Duplicate`], [`StoreError::Invalid`].
    pub fn create_cohort(
        &mut self,
        actor: &Session,
        name: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<i64> {
        actor.require(&[Role::Instructor, Role::EmployerAdmin], "create cohorts")?;
        let name = check_name(name)?.to_string();
        let created_at = format_timestamp(now);
        self.write(|tx| {
            let id: Option<i64> = tx
                .query_row(
                    "INSERT INTO cohorts (name, created_at) VALUES (?1, ?2) \
                     ON CONFLICT (name) DO NOTHING RETURNING id",
                    params![name, created_at],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(id) = id else {
                return Err(StoreError::Duplicate {
                    what: "cohort",
                    name: name.clone(),
                });
            };
            audit::append(tx, LinkKind::Cohort, id)?;
            Ok(id)
        })
    }

    /// Adds a person to a cohort (no-op if already a member).
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`].
    pub fn add_to_cohort(
        &mut self,
        actor: &Session,
        cohort: &str,
        person: &str,
    ) -> StoreResult<()> {
        actor.require(&[Role::Instructor, Role::EmployerAdmin], "manage cohorts")?;
        let cohort_id = self.cohort_id(cohort)?;
        let person = self.person_by_name(person)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO cohort_members (cohort_id, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![cohort_id, person.id],
            )?;
            audit::append(tx, LinkKind::Cohort, cohort_id)?;
            // A member of an assessment's cohort gets their seeds.
            if let Some(staff) = &actor.keys.staff {
                secrets::share_pending(tx, staff)?;
            }
            Ok(())
        })
    }

    /// Registers `candidate` for an assessment in one transaction: creates the candidate when
    /// new (role candidate, no password), creates the assessment's cohort `cohort` when missing
    /// and adds the candidate to it. An existing person must be a candidate or a student.
    /// Returns whether the person was created. Nothing is written when any step fails.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`] unless `actor` is an instructor or employer admin;
    /// [`StoreError::Invalid`] for a bad name or a person with another role.
    pub(crate) fn register_candidate(
        &mut self,
        actor: &Session,
        cohort: &str,
        candidate: &str,
        access_code: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<Registered> {
        actor.require(
            &[Role::Instructor, Role::EmployerAdmin],
            "register candidates",
        )?;
        let staff = require_staff_key(actor)?;
        let candidate = check_name(candidate)?.to_string();
        let code = normalize_access_code(access_code);
        let code_hash = hash_password(&code)?;
        let cohort = check_name(cohort)?.to_string();
        let created_at = format_timestamp(now);
        self.write(|tx| {
            let existing: Option<(PersonId, String, bool)> = tx
                .query_row(
                    "SELECT id, role, password_hash IS NOT NULL FROM people WHERE name = ?1",
                    params![&candidate],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),)
                .optional()?;
            let (person_id, created, code_issued) = match existing {
                Some((id, role, has_secret)) => {
                    let role = Role::parse(&role)?;
                    if !matches!(role, Role::Candidate | Role::Student) {
                        return Err(StoreError::Invalid {
                            field: "candidate",
                            message: format!(
                                "{candidate} is a {role}; register a candidate or student"
                            ),
                        });
                    }
                    // A candidate without a code (registered before codes existed), or a
                    // student without a PIN, gets this one: their seeds are sealed to what
                    // they sign in with. A code already issued, or a student's own password,
                    // is kept.
                    let issue = !has_secret;
                    if issue {
                        tx.execute(
                            "UPDATE people SET password_hash = ?1 WHERE id = ?2",
                            params![code_hash, id],)?;
                        secrets::new_person_key(tx, id, &code)?;
                        audit::append(tx, LinkKind::Person, id)?;
                    }
                    (id, false, issue)
                }
                None => {
                    let id = insert_person(
                        tx,
                        &candidate,
                        Role::Candidate,
                        Some(&code_hash),
                        &created_at,
                    )?;
                    secrets::new_person_key(tx, id, &code)?;
                    (id, true, true)
                }
            };
            tx.execute(
                "INSERT INTO cohorts (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
                params![cohort, created_at],)?;
            let cohort_id: i64 =
                tx.query_row("SELECT id FROM cohorts WHERE name = ?1", params![&cohort], |r| {
                    r.get(0)
                })?;
            tx.execute(
                "INSERT INTO cohort_members (cohort_id, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![cohort_id, person_id],)?;
            audit::append(tx, LinkKind::Cohort, cohort_id)?;
            secrets::share_pending(tx, &staff)?;
            Ok(Registered {
                created,
                code_issued,
            })
        })
    }

    /// The id of the cohort called `name`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub(crate) fn cohort_id(&self, name: &str) -> StoreResult<i64> {
        self.conn()
            .query_row(
                "SELECT id FROM cohorts WHERE name = ?1",
                params![name.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "cohort",
                name: name.to_string(),
            })
    }

    /// Every cohort with its members, sorted by name.
    ///
    /// # Errors
    /// On an SQLite failure.
    pub fn list_cohorts(&self) -> StoreResult<Vec<Cohort>> {
        let rows = self.conn().query_map(
            "SELECT c.id, c.name, p.name FROM cohorts c \
             LEFT JOIN cohort_members m ON m.cohort_id = c.id \
             LEFT JOIN people p ON p.id = m.person_id ORDER BY c.name, p.name",
            params![],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<String>>(2)?,
                ))
            },
        )?;
        let mut cohorts: Vec<Cohort> = Vec::new();
        for row in rows {
            let (id, name, member) = row;
            if cohorts.last().is_none_or(|c| c.id != id) {
                cohorts.push(Cohort {
                    id,
                    name,
                    members: Vec::new(),
                });
            }
            if let (Some(member), Some(cohort)) = (member, cohorts.last_mut()) {
                cohort.members.push(member);
            }
        }
        Ok(cohorts)
    }
}

fn has_privileged(conn: &Db) -> StoreResult<bool> {
    conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM people WHERE role IN ('instructor', 'employer_admin'))",
        params![],
        |r| r.get(0),
    )
}

fn person_from_row(r: &Row) -> StoreResult<Person> {
    let (id, name, role, has_password): (PersonId, String, String, bool) =
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
    Role::parse(&role).map(|role| Person {
        id,
        name,
        role,
        has_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn first_instructor_bootstraps_then_sign_in_is_required() {
        let mut store = Store::open_in_memory().unwrap();
        let err = store
            .create_person(None, "Sam", Role::Student, None, &now())
            .unwrap_err();
        assert!(matches!(err, StoreError::PermissionDenied { .. }));
        store
            .create_person(
                None,
                "Ines",
                Role::Instructor,
                Some("correct horse"),
                &now(),
            )
            .unwrap();
        assert!(
            store
                .create_person(None, "Ivo", Role::Instructor, Some("another pw"), &now())
                .is_err()
        );
        assert!(store.sign_in("Ines", Some("wrong password")).is_err());
        assert!(store.sign_in("Ines", None).is_err());
        let ines = store.sign_in("Ines", Some("correct horse")).unwrap();
        assert_eq!(ines.role(), Role::Instructor);
        store
            .create_person(Some(&ines), "Sam", Role::Student, None, &now())
            .unwrap();
        let sam = store.sign_in("Sam", None).unwrap();
        let err = store
            .create_person(Some(&sam), "Eve", Role::Student, None, &now())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a student may not add people; sign in as an instructor or employer admin"
        );
        let stored: String = store
            .conn()
            .query_row(
                "SELECT password_hash FROM people WHERE name = 'Ines'",
                params![],
                |r| r.get(0),
            )
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
    }

    #[test]
    fn cohorts_list_members_sorted() {
        let mut store = Store::open_in_memory().unwrap();
        let ines = store
            .create_person(
                None,
                "Ines",
                Role::Instructor,
                Some("correct horse"),
                &now(),
            )
            .unwrap();
        for name in ["Zoe", "Abe"] {
            store
                .create_person(Some(&ines), name, Role::Student, None, &now())
                .unwrap();
        }
        store.create_cohort(&ines, "Spring 2026", &now()).unwrap();
        assert!(store.create_cohort(&ines, "Spring 2026", &now()).is_err());
        store.add_to_cohort(&ines, "Spring 2026", "Zoe").unwrap();
        store.add_to_cohort(&ines, "Spring 2026", "Abe").unwrap();
        let cohorts = store.list_cohorts().unwrap();
        assert_eq!(cohorts.len(), 1);
        assert_eq!(
            cohorts[0].members,
            vec!["Abe".to_string(), "Zoe".to_string()]
        );
    }
}
