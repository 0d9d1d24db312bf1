//! The vocabulary of the code sets: the systems, the kinds of instructional notes, a note, and
//! the module's error type. Kept apart from [`super`] so that the build script can compile the
//! asset reader and the look-up layout builder (`build.rs`) without the rest of the program.

use std::path::PathBuf;

/// A coding system.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum System {
    /// ICD-10-CM diagnoses.
    Icd10Cm,
    /// ICD-10-PCS inpatient procedures.
    Icd10Pcs,
    /// HCPCS Level II (CMS).
    Hcpcs,
    /// CPT (AMA; only a user's own licensed import).
    Cpt,
}

impl System {
    /// All systems, in a fixed order.
    pub const ALL: [System; 4] = [
        System::Icd10Cm,
        System::Icd10Pcs,
        System::Hcpcs,
        System::Cpt,
    ];

    /// The short id used in files and on the command line ("icd10cm").
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            System::Icd10Cm => "icd10cm",
            System::Icd10Pcs => "icd10pcs",
            System::Hcpcs => "hcpcs",
            System::Cpt => "cpt",
        }
    }

    /// Parses an id ("icd10cm", "ICD-10-CM", …).
    #[must_use]
    pub(crate) fn from_id(id: &str) -> Option<System> {
        let id: String = id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .flat_map(char::to_lowercase)
            .collect();
        System::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The display name ("ICD-10-CM").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            System::Icd10Cm => "ICD-10-CM",
            System::Icd10Pcs => "ICD-10-PCS",
            System::Hcpcs => "HCPCS Level II",
            System::Cpt => "CPT",
        }
    }

    /// File name of the user-imported asset in [`crate::paths::terminology_dir`].
    #[must_use]
    pub(crate) fn user_file_name(self) -> String {
        format!("{}.ehrt.z", self.id())
    }
}

/// The kind of an instructional note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// "Includes:" — further defines the content of the category.
    Includes,
    /// Inclusion terms listed under a code.
    InclusionTerm,
    /// "Excludes1:" — NOT CODED HERE; never report together.
    Excludes1,
    /// "Excludes2:" — not included here; both may be reported.
    Excludes2,
    /// "Code first" — the underlying condition is sequenced first.
    CodeFirst,
    /// "Code also" — a second code may be needed; sequencing discretionary.
    CodeAlso,
    /// "Use additional code".
    UseAdditionalCode,
    /// Other notes printed under a code.
    Notes,
    /// The note that announces a 7th-character table.
    SeventhNote,
    /// A short description (HCPCS).
    ShortDescription,
}

impl NoteKind {
    pub(crate) const ALL: [NoteKind; 10] = [
        NoteKind::Includes,
        NoteKind::InclusionTerm,
        NoteKind::Excludes1,
        NoteKind::Excludes2,
        NoteKind::CodeFirst,
        NoteKind::CodeAlso,
        NoteKind::UseAdditionalCode,
        NoteKind::Notes,
        NoteKind::SeventhNote,
        NoteKind::ShortDescription,
    ];

    /// The id used in asset files ("excludes1").
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            NoteKind::Includes => "includes",
            NoteKind::InclusionTerm => "inclusion_term",
            NoteKind::Excludes1 => "excludes1",
            NoteKind::Excludes2 => "excludes2",
            NoteKind::CodeFirst => "code_first",
            NoteKind::CodeAlso => "code_also",
            NoteKind::UseAdditionalCode => "use_additional_code",
            NoteKind::Notes => "notes",
            NoteKind::SeventhNote => "seventh_note",
            NoteKind::ShortDescription => "short_description",
        }
    }

    /// Parses an id written by [`NoteKind::id`].
    #[must_use]
    pub(crate) fn from_id(id: &str) -> Option<NoteKind> {
        NoteKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The heading printed above the note ("Excludes1").
    #[must_use]
    pub fn heading(self) -> &'static str {
        match self {
            NoteKind::Includes => "Includes",
            NoteKind::InclusionTerm => "Inclusion terms",
            NoteKind::Excludes1 => "Excludes1",
            NoteKind::Excludes2 => "Excludes2",
            NoteKind::CodeFirst => "Code first",
            NoteKind::CodeAlso => "Code also",
            NoteKind::UseAdditionalCode => "Use additional code",
            NoteKind::Notes => "Note",
            NoteKind::SeventhNote => "7th character",
            NoteKind::ShortDescription => "Short description",
        }
    }
}

/// One instructional note: its kind and its lines as printed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// Excludes1, code first, …
    pub kind: NoteKind,
    /// The lines, e.g. ["code to identify stage of chronic kidney disease (N18.1-N18.6)"].
    pub lines: Vec<String>,
}

/// Errors of the terminology module.
#[derive(Debug, thiserror::Error)]
pub enum TerminologyError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A source file (XML, CSV, fixed-width) is malformed.
    #[error("{path} line {line}: {message}")]
    Source {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// An asset is malformed.
    #[error("{what} line {line}: {message}")]
    Asset {
        /// The asset (file name).
        what: String,
        /// 1-based line (0 for the whole file).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// No per-user data directory could be determined.
    #[error("no user data directory could be found (set EHR_SIM_DATA_DIR to a writable directory)")]
    NoDataDir,
}
