//! What the screens ask for: the [`Command`]s pushed while drawing and applied after the frame
//! by [`super::app::AppState::apply`].
//!
//! The variants are grouped by who applies them: the app itself (navigation, catalog, display,
//! profiles), the practice workflow ([`super::practice`]), the open case
//! ([`super::workspace::Workspace::apply`]), the exam workflow ([`super::exam_flow`]) and the
//! staff, export and triage-board modules.

use super::chart::Section;
use crate::grading::FieldType;
use crate::scenario::schema::Difficulty;
use crate::tasks::TaskKind;

/// How the catalog groups scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CatalogGrouping {
    /// By task kind (charting, coding, triage, hospice).
    #[default]
    Kind,
    /// By competency: a scenario appears under each competency it trains.
    Competency,
    /// By difficulty.
    Difficulty,
}

impl CatalogGrouping {
    /// Every grouping, in the order the catalog offers them.
    pub const ALL: &'static [Self] = &[Self::Kind, Self::Competency, Self::Difficulty];

    /// The label of its button.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Kind => "Task kind",
            Self::Competency => "Competency",
            Self::Difficulty => "Difficulty",
        }
    }
}

/// What the learner does in the sign-in forms of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileCommand {
    /// Type the optional PIN or password of the new profile.
    SetNewPin(String),
    /// Type the PIN or password of the profile being unlocked.
    SetUnlockSecret(String),
    /// Sign in to the profile being unlocked with the typed PIN or password.
    Unlock,
    /// Close the PIN prompt.
    CancelUnlock,
    /// Type the candidate's name.
    SetCandidateName(String),
    /// Type the candidate's access code.
    SetCandidateCode(String),
    /// Sign a candidate in with their name and access code.
    CandidateSignIn,
    /// Stop working as the current profile.
    SignOut,
}

/// Something the user asked for, applied after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    // --- Navigation and the catalog ---
    /// Back to the catalog.
    ShowCatalog,
    /// Change the catalog's search text.
    SetFilter(String),
    /// Show only one task kind (or all).
    SetKindFilter(Option<TaskKind>),
    /// Show only one difficulty (or all).
    SetDifficultyFilter(Option<Difficulty>),
    /// Group the catalog by kind, competency or difficulty.
    SetGrouping(CatalogGrouping),
    /// Re-read the scenario folder.
    ReloadScenarios,

    // --- Display ---
    /// Text size: +1 step, -1 step, 0 reset.
    Zoom(i8),
    /// Switch light/dark.
    ToggleTheme,

    // --- Profiles and progress ---
    /// Type the name of a new profile.
    SetNewProfileName(String),
    /// Create a student profile with the typed name and work as it.
    CreateProfile,
    /// Work as an existing student profile (one with a PIN or password asks for it first).
    SelectProfile(String),
    /// The sign-in forms: a PIN for a new profile, unlocking one, a candidate's access code.
    Profile(ProfileCommand),
    /// The learner's progress dashboard.
    ShowProgress,
    /// The "Program server" section: test a server, switch to it or back to the file.
    Server(super::server::ServerCommand),

    // --- Practice: a case, its draft and its submission ---
    /// Open a scenario's case for a seed (practice).
    OpenScenario {
        /// Scenario id.
        id: String,
        /// Seed.
        seed: u64,
    },
    /// Resume a saved draft (index into the profile's drafts).
    ResumeDraft(usize),
    /// A new variant of the open scenario (next seed).
    NewVariant,
    /// The same case again, with a blank answer.
    RetrySame,
    /// Save the draft now.
    SaveDraft,
    /// Grade and store the answer.
    Submit,

    // --- The chart and the review of a graded answer ---
    /// Show a chart section.
    ShowSection(Section),
    /// After a submission: show the graded answer in the chart, optionally scrolled to the
    /// entries of one criterion (its id).
    ReviewInChart(Option<String>),
    /// From the chart review back to the feedback report.
    BackToReport,
    /// The review has scrolled to the focused criterion's entries.
    ReviewFocused,

    // --- Edits of the open case (applied by the workspace) ---
    /// Edit a scalar input.
    EditField {
        /// Field path.
        path: String,
        /// Text as typed.
        text: String,
        /// Field type.
        ty: FieldType,
    },
    /// Choose a quantity's unit.
    SetUnit {
        /// Field path.
        path: String,
        /// Unit.
        unit: String,
    },
    /// Add a row to a list.
    AddRow(String),
    /// Set a row (or a row's field) by path.
    SetRow {
        /// Path, e.g. `allergies[0].reaction`.
        path: String,
        /// The new value.
        value: serde_json::Value,
    },
    /// Remove a row.
    RemoveRow {
        /// List path.
        path: String,
        /// Row.
        index: usize,
    },
    /// Move a row up or down.
    MoveRow {
        /// List path.
        path: String,
        /// Row.
        index: usize,
        /// Up (true) or down.
        up: bool,
    },
    /// Search the encoder.
    EncoderSearch {
        /// The code list it adds to.
        target: String,
        /// Search text.
        query: String,
    },
    /// Show a code's notes.
    EncoderSelect(String),
    /// Add a code to a list.
    AddCode {
        /// List path.
        path: String,
        /// Code.
        code: String,
    },
    /// Set the present-on-admission indicator of a diagnosis on the claim ("" clears it).
    SetPoa {
        /// The diagnosis code.
        code: String,
        /// Y, N, U, W, 1 or "".
        indicator: String,
    },
    /// A code dropped on a code list at a position (from the encoder, or a line moved).
    DropCode {
        /// The list, e.g. `codes.diagnoses`.
        path: String,
        /// What was dropped.
        drag: super::task::CodeDrag,
        /// The position it lands at (before the line that was there).
        at: usize,
    },
    /// A triage-board action (clock, ESI level, queue order).
    Board(super::board::BoardCommand),

    // --- A candidate's sitting ---
    /// Start (or resume) the profile's sitting of an assessment.
    StartExam(String),
    /// Open an item of the sitting.
    ExamOpenItem(usize),
    /// Finish the sitting: the first time, list what is unanswered and ask; asked again (from
    /// the question), submit everything as it stands and close the sitting.
    ExamFinish,
    /// Close the "finish the assessment?" question and keep working.
    ExamCancelFinish,
    /// Time is up: submit everything as it stands and close the sitting, without asking.
    ExamTimeUp,

    // --- Staff screens and exports ---
    /// Open the staff (instructor / employer) screens.
    ShowStaff,
    /// A staff-screen command.
    Staff(super::staff::StaffCommand),
    /// An export (report, FHIR chart, gradebook) run in the background.
    Export(super::export::ExportCommand),
}
