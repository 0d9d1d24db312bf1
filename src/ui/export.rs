//! Exports from the app, run on background threads: the attempt report (HTML or JSON) from the
//! feedback view, the open chart as a FHIR R4 bundle, and the gradebook as CSV or xAPI.
//!
//! Buttons push [`ExportCommand`]s; [`apply`] (after the frame) gathers what the job needs from
//! the app state — clones only, never a borrow — and starts a thread, so the UI stays responsive
//! whatever the size of the export. Each job reports its progress into a shared list kept in
//! egui's context memory ([`ExportJobs`]); [`jobs_ui`] draws it: a progress bar while running,
//! then the full path with a "Copy path" button, or the error in plain words. A job belongs to
//! the view that started it (the open case, the feedback of one attempt, the staff screens):
//! its line shows only there ([`show_view`] follows the screen each frame) and a × dismisses
//! it, so "Exported to …" never follows the user into another case. Nothing here
//! panics: a failed write, a missing folder or a thread that cannot start becomes a failed job.
//!
//! Files go to the export folder (default: [`crate::paths::exports_dir`], i.e. the user data
//! directory's `exports/`, editable in the "Export folder" field) with names that say what they
//! hold: `attempt-report-<scenario>-seed<N>-<UTC timestamp>.html`,
//! `chart-fhir-<scenario>-seed<N>-<timestamp>.json`, `gradebook-<cohort|all>-<timestamp>.csv`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use egui::{Context, Id, RichText, Ui};

use super::app::{AppState, Command, Screen};
use super::theme;
use crate::report::{AttemptMeta, AttemptReport, ReportFormat, export_file_name, write_file};
use crate::store::{ExportFormat, Mode, Store};

/// How many finished jobs stay listed.
const KEEP_FINISHED: usize = 4;

/// An export the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportCommand {
    /// Save the report of the attempt shown in the feedback view.
    AttemptReport(ReportFormat),
    /// Export the open practice chart as a FHIR R4 bundle.
    ChartFhir,
    /// Print the claim being written (a claims case) as its paper form, CMS-1500 or UB-04
    /// (self-contained HTML).
    ClaimForm,
    /// Export the gradebook.
    Gradebook {
        /// Only this cohort.
        cohort: Option<String>,
        /// xAPI statements (else CSV).
        xapi: bool,
        /// A file path typed by the user (empty: the export folder and a generated name).
        path: String,
    },
    /// Change the export folder.
    SetFolder(String),
    /// Remove a finished job's line (its ×).
    Dismiss(u64),
}

/// Where a job is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JobStatus {
    /// Working: fraction done (0..=1) and the current step.
    Running(f32, String),
    /// Written to this file.
    Done(PathBuf),
    /// Failed, with the reason and the way out.
    Failed(String),
}

/// One export job.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Job {
    /// Sequence number.
    pub(crate) id: u64,
    /// What is exported (e.g. `Attempt report (HTML)`).
    pub(crate) label: String,
    /// The view that started it ([`view_key`]); the line shows only there.
    pub(crate) view: String,
    /// Progress.
    pub(crate) status: JobStatus,
}

#[derive(Debug, Default)]
struct JobsInner {
    folder: String,
    /// The view on screen ([`view_key`]).
    view: String,
    next_id: u64,
    jobs: Vec<Job>,
}

/// The export jobs of one app window, shared with their threads (cheap to clone).
#[derive(Debug, Clone, Default)]
pub(crate) struct ExportJobs(Arc<Mutex<JobsInner>>);

impl ExportJobs {
    /// The window's jobs (kept in egui's context memory).
    #[must_use]
    pub(crate) fn of(ctx: &Context) -> Self {
        ctx.data_mut(|d| {
            d.get_temp_mut_or_default::<Self>(Id::unique("ehr_sim_export_jobs"))
                .clone()
        })
    }

    fn lock(&self) -> MutexGuard<'_, JobsInner> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The jobs, oldest first.
    #[cfg(test)]
    #[must_use]
    pub(crate) fn jobs(&self) -> Vec<Job> {
        self.lock().jobs.clone()
    }

    /// The jobs of the view on screen, oldest first.
    #[must_use]
    pub(crate) fn jobs_in_view(&self) -> Vec<Job> {
        let inner = self.lock();
        inner
            .jobs
            .iter()
            .filter(|j| j.view == inner.view)
            .cloned()
            .collect()
    }

    /// The export folder: as typed (a relative path inside the default folder, never the
    /// working folder), else the default (`None` when there is no data directory).
    #[must_use]
    pub(crate) fn folder(&self) -> Option<PathBuf> {
        let typed = PathBuf::from(self.lock().folder.trim());
        if typed.is_absolute() {
            return Some(typed);
        }
        let default = crate::paths::exports_dir().ok()?;
        Some(if typed.as_os_str().is_empty() {
            default
        } else {
            default.join(typed)
        })
    }

    fn set(&self, id: u64, status: JobStatus) {
        let mut inner = self.lock();
        if let Some(job) = inner.jobs.iter_mut().find(|j| j.id == id) {
            job.status = status;
        }
    }

    /// Starts `work` on a new thread, listed under `label`.
    fn start(
        &self,
        ctx: &Context,
        label: String,
        work: impl FnOnce(&Progress) -> Result<PathBuf, String> + Send + 'static,
    ) {
        let id = {
            let mut inner = self.lock();
            let view = inner.view.clone();
            inner.next_id += 1;
            let id = inner.next_id;
            let running = |j: &Job| matches!(j.status, JobStatus::Running(..));
            let finished = inner.jobs.iter().filter(|j| !running(j)).count();
            if finished >= KEEP_FINISHED
                && let Some(i) = inner.jobs.iter().position(|j| !running(j))
            {
                inner.jobs.remove(i);
            }
            inner.jobs.push(Job {
                id,
                label,
                view,
                status: JobStatus::Running(0.0, "starting".to_string()),
            });
            id
        };
        let progress = Progress {
            jobs: self.clone(),
            id,
            ctx: ctx.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name(format!("export-{id}"))
            .spawn(move || {
                let status = match work(&progress) {
                    Ok(path) => JobStatus::Done(path),
                    Err(message) => JobStatus::Failed(message),
                };
                progress.jobs.set(progress.id, status);
                progress.ctx.request_repaint();
            });
        if let Err(e) = spawned {
            self.set(
                id,
                JobStatus::Failed(format!("could not start the export: {e}")),
            );
        }
    }
}

/// A running job's handle to report progress.
pub(crate) struct Progress {
    jobs: ExportJobs,
    id: u64,
    ctx: Context,
}

impl Progress {
    /// Reports `fraction` (0..=1) done and the current step.
    pub(crate) fn step(&self, fraction: f32, step: &str) {
        self.jobs
            .set(self.id, JobStatus::Running(fraction, step.to_string()));
        // Not immediate: the progress bar refreshes at its own pace, and a burst of steps does
        // not turn into a burst of frames.
        self.ctx.request_repaint_after(Duration::from_millis(30));
    }
}

/// Which view a screen is, for the export lines: one open case, the feedback of one attempt,
/// the staff screens… (a new case of the same scenario and seed is another view).
#[must_use]
pub(crate) fn view_key(screen: &Screen) -> String {
    let case = |w: &super::workspace::Workspace| {
        format!(
            "{}:{}:{}",
            w.scenario.scenario.id,
            w.case.seed,
            w.started_at.timestamp_micros()
        )
    };
    match screen {
        Screen::Catalog => "catalog".to_string(),
        Screen::Chart(w) => format!("chart:{}", case(w)),
        Screen::Feedback(f) => format!("feedback:{}", case(&f.workspace)),
        Screen::Progress(_) => "progress".to_string(),
        Screen::Staff(_) => "staff".to_string(),
        Screen::Exam(_) => "exam".to_string(),
    }
}

/// Records the view on screen (called once per frame, before the screen is drawn): export lines
/// of other views are not shown, and new jobs belong to it.
pub(crate) fn show_view(ctx: &Context, screen: &Screen) {
    let key = view_key(screen);
    let jobs = ExportJobs::of(ctx);
    let mut inner = jobs.lock();
    if inner.view != key {
        inner.view = key;
    }
}

/// `20260304T100000Z`.
fn stamp(now: DateTime<Utc>) -> String {
    now.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Applies an export command: gathers the job's inputs from the state and starts it.
pub(crate) fn apply(
    state: &mut AppState,
    command: ExportCommand,
    ctx: Option<&Context>,
    now: DateTime<Utc>,
) {
    let Some(ctx) = ctx else {
        state.status = "Exports need the app window".to_string();
        return;
    };
    let jobs = ExportJobs::of(ctx);
    jobs.lock().view = view_key(&state.screen);
    match command {
        ExportCommand::SetFolder(folder) => {
            jobs.lock().folder = folder;
            return;
        }
        ExportCommand::Dismiss(id) => {
            jobs.lock().jobs.retain(|j| j.id != id);
            return;
        }
        ExportCommand::AttemptReport(_)
        | ExportCommand::ChartFhir
        | ExportCommand::ClaimForm
        | ExportCommand::Gradebook { .. } => {}
    }
    let Some(folder) = jobs.folder() else {
        state.status =
            "No user data folder: type an export folder, or set EHR_SIM_DATA_DIR".to_string();
        return;
    };
    match command {
        ExportCommand::AttemptReport(format) => {
            attempt_report(state, &jobs, ctx, format, &folder, now);
        }
        ExportCommand::ChartFhir => chart_fhir(state, &jobs, ctx, &folder, now),
        ExportCommand::ClaimForm => claim_form(state, &jobs, ctx, &folder, now),
        ExportCommand::Gradebook { cohort, xapi, path } => {
            gradebook(state, &jobs, ctx, cohort, xapi, &path, &folder, now);
        }
        ExportCommand::SetFolder(_) | ExportCommand::Dismiss(_) => {}
    }
}

fn attempt_report(
    state: &AppState,
    jobs: &ExportJobs,
    ctx: &Context,
    format: ReportFormat,
    folder: &Path,
    now: DateTime<Utc>,
) {
    let Screen::Feedback(f) = &state.screen else {
        return;
    };
    let w = &f.workspace;
    let scenario = &w.scenario.scenario;
    let mut meta = AttemptMeta {
        attempt_id: None,
        learner: state
            .profile
            .as_ref()
            .map_or_else(|| "(no profile)".to_string(), |p| p.name().to_string()),
        scenario_id: scenario.id.clone(),
        scenario_title: scenario.title.clone(),
        scenario_version_hash: Some(w.scenario.content_sha256.clone()),
        seed: w.case.seed,
        mode: w.mode,
        started_at: Some(crate::store::format_timestamp(&w.started_at)),
        submitted_at: None,
        pass_mark_percent: None,
    };
    let grade = f.report.clone();
    let rubric_path = state.root.grading_dir().join(&scenario.rubric);
    let path = folder.join(export_file_name(
        &[
            "attempt-report",
            &scenario.id,
            &format!("seed{}", w.case.seed),
            &stamp(now),
        ],
        format.extension(),
    ));
    let generated_at = crate::store::format_timestamp(&now);
    let label = format!("Attempt report ({})", format.extension().to_uppercase());
    jobs.start(ctx, label, move |p| {
        p.step(0.2, "reading the rubric's pass mark");
        meta.pass_mark_percent =
            crate::library::load_rubric_file(&rubric_path, &crate::tasks::schemas())
                .ok()
                .map(|r| r.pass_mark_percent);
        p.step(0.5, "rendering");
        let report = AttemptReport::from_grade(&grade, &meta, &generated_at);
        let text = match format {
            ReportFormat::Html => report.to_html(),
            ReportFormat::Json => report.to_json().map_err(|e| e.to_string())?,
        };
        p.step(0.8, "writing");
        write_file(&path, text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(path)
    });
}

fn chart_fhir(
    state: &mut AppState,
    jobs: &ExportJobs,
    ctx: &Context,
    folder: &Path,
    now: DateTime<Utc>,
) {
    let Screen::Chart(w) = &state.screen else {
        return;
    };
    if w.mode != Mode::Practice {
        state.status = "Charts of assessment cases are not exported".to_string();
        return;
    }
    let case = w.case.clone();
    let path = folder.join(export_file_name(
        &[
            "chart-fhir",
            &w.scenario.scenario.id,
            &format!("seed{}", case.seed),
            &stamp(now),
        ],
        "json",
    ));
    jobs.start(ctx, "Chart as FHIR R4 bundle".to_string(), move |p| {
        p.step(0.2, "building the bundle");
        let bundle = crate::fhir_export::bundle(&case);
        p.step(0.6, "serialising");
        let text = serde_json::to_string_pretty(&bundle)
            .map_err(|e| format!("cannot serialise the bundle: {e}"))?;
        p.step(0.8, "writing");
        write_file(&path, text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(path)
    });
}

/// The claim being written in a claims case, printed as its paper form into the export folder
/// (a practice case: an assessment writes no files).
fn claim_form(
    state: &mut AppState,
    jobs: &ExportJobs,
    ctx: &Context,
    folder: &Path,
    now: DateTime<Utc>,
) {
    let Screen::Chart(w) = &state.screen else {
        return;
    };
    let crate::tasks::TaskMaterial::Claims(m) = &w.case.task else {
        return;
    };
    if w.mode != Mode::Practice {
        state.status = "Claim forms of assessment cases are not printed".to_string();
        return;
    }
    let claim = match crate::tasks::claims::task::answer_claim(m.form, &w.answer) {
        Ok(claim) => claim,
        Err(e) => {
            state.status = format!("The claim cannot be printed yet: {e}");
            return;
        }
    };
    let path = folder.join(export_file_name(
        &[
            "claim-form",
            &w.scenario.scenario.id,
            &format!("seed{}", w.case.seed),
            &stamp(now),
        ],
        "html",
    ));
    jobs.start(ctx, "Claim as its paper form".to_string(), move |p| {
        p.step(0.3, "laying out the form");
        let page = crate::report::claim_form::html(&claim);
        p.step(0.8, "writing");
        write_file(&path, page.as_bytes()).map_err(|e| e.to_string())?;
        Ok(path)
    });
}

/// Where the gradebook job gets its text.
enum GradesSource {
    /// Read on the job's own connection to this database file.
    Database(PathBuf),
    /// Already made (in-memory store), or the reason it could not be.
    Ready(Result<String, String>),
}

#[allow(clippy::too_many_arguments)] // one call site; the parts come from the command
fn gradebook(
    state: &mut AppState,
    jobs: &ExportJobs,
    ctx: &Context,
    cohort: Option<String>,
    xapi: bool,
    typed_path: &str,
    folder: &Path,
    now: DateTime<Utc>,
) {
    let (Some(store), Some(session)) = (state.store.as_ref(), state.staff_session.clone()) else {
        state.status = "Sign in as an instructor or employer to export grades".to_string();
        return;
    };
    let (format, extension) = if xapi {
        (ExportFormat::Xapi, "json")
    } else {
        (ExportFormat::Csv, "csv")
    };
    let path = if typed_path.trim().is_empty() {
        let who = cohort.as_deref().unwrap_or("all");
        folder.join(export_file_name(
            &["gradebook", who, &stamp(now)],
            extension,
        ))
    } else {
        // A bare file name or relative path goes into the export folder.
        folder.join(typed_path.trim())
    };
    let homepage = crate::store::export::DEFAULT_XAPI_HOMEPAGE;
    // A file-backed store is read again on the job's own connection; an in-memory one (tests,
    // previews) cannot be shared, so its text is made here and only the write is deferred.
    let source = match store.path() {
        Some(db) => GradesSource::Database(db.to_path_buf()),
        None => GradesSource::Ready(
            store
                .export_gradebook(&session, cohort.as_deref(), format, homepage)
                .map_err(|e| e.to_string()),
        ),
    };
    let label = format!("Gradebook ({})", if xapi { "xAPI" } else { "CSV" });
    jobs.start(ctx, label, move |p| {
        let text = match source {
            GradesSource::Database(db) => {
                p.step(0.1, "opening the database");
                let store = Store::open_any(&db).map_err(|e| e.to_string())?;
                p.step(0.3, "reading grades");
                store
                    .export_gradebook(&session, cohort.as_deref(), format, homepage)
                    .map_err(|e| e.to_string())?
            }
            GradesSource::Ready(text) => text?,
        };
        p.step(0.8, "writing");
        write_file(&path, text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(path)
    });
}

/// The export folder field and the list of jobs: progress bars, finished paths with "Copy
/// path", failures in plain words.
pub(crate) fn jobs_ui(ui: &mut Ui, out: &mut Vec<Command>) {
    let jobs = ExportJobs::of(ui.ctx());
    let typed = jobs.lock().folder.clone();
    ui.horizontal(|ui| {
        ui.label("Export folder");
        let mut text = typed.clone();
        let hint = jobs
            .folder()
            .map_or_else(String::new, |p| p.display().to_string());
        let r = ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(320.0),
        );
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Export folder"));
        if text != typed {
            out.push(Command::Export(ExportCommand::SetFolder(text)));
        }
    });
    let dark = theme::is_dark(ui.ctx());
    for job in jobs.jobs_in_view() {
        match &job.status {
            JobStatus::Running(fraction, step) => {
                ui.add(
                    egui::ProgressBar::new(*fraction)
                        .text(format!("{}: {step}", job.label))
                        .desired_width(320.0),
                );
                ui.ctx().request_repaint_after(Duration::from_millis(50));
            }
            JobStatus::Done(path) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("Exported to {}", path.display()))
                            .color(theme::success(dark)),
                    );
                    if ui.button("Copy path").clicked() {
                        ui.ctx().copy_text(path.display().to_string());
                    }
                    dismiss_button(ui, job.id, out);
                });
            }
            JobStatus::Failed(message) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("{} failed: {message}", job.label))
                            .color(theme::alert(dark)),
                    );
                    dismiss_button(ui, job.id, out);
                });
            }
        }
    }
}

/// The × that removes a finished job's line.
fn dismiss_button(ui: &mut Ui, id: u64, out: &mut Vec<Command>) {
    let b = ui.button("×").on_hover_text("Dismiss this message");
    b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Dismiss"));
    if b.clicked() {
        out.push(Command::Export(ExportCommand::Dismiss(id)));
    }
}

/// "Save report (HTML)" and "Save report (JSON)" for the feedback view, with the jobs list.
pub(crate) fn report_buttons_ui(ui: &mut Ui, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for (label, format) in [
            ("Save report (HTML)", ReportFormat::Html),
            ("Save report (JSON)", ReportFormat::Json),
        ] {
            if ui.button(label).clicked() {
                out.push(Command::Export(ExportCommand::AttemptReport(format)));
            }
        }
    });
    jobs_ui(ui, out);
}

/// "Export chart as FHIR" for a practice case (nothing for assessment cases), with "Print the
/// claim form" for a claims case, and the jobs list.
pub(crate) fn fhir_button_ui(ui: &mut Ui, mode: Mode, claims: bool, out: &mut Vec<Command>) {
    if mode != Mode::Practice {
        return;
    }
    if claims
        && ui
            .button("Print the claim form")
            .on_hover_text(
                "Write the claim as you have it now as its paper form (CMS-1500 or UB-04, HTML) into the export folder",
            )
            .clicked()
    {
        out.push(Command::Export(ExportCommand::ClaimForm));
    }
    if ui
        .button("Export chart as FHIR")
        .on_hover_text("Write the open case as a FHIR R4 bundle (JSON) into the export folder")
        .clicked()
    {
        out.push(Command::Export(ExportCommand::ChartFhir));
    }
    jobs_ui(ui, out);
}

/// The gradebook's "Export" button (CSV or xAPI, to the typed path or the export folder), with
/// the jobs list.
pub(crate) fn gradebook_export_ui(
    ui: &mut Ui,
    cohort: Option<&str>,
    xapi: bool,
    path: &str,
    out: &mut Vec<Command>,
) {
    if ui.horizontal(|ui| ui.button("Export").clicked()).inner {
        out.push(Command::Export(ExportCommand::Gradebook {
            cohort: cohort.map(str::to_string),
            xapi,
            path: path.to_string(),
        }));
    }
    jobs_ui(ui, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_job_is_listed_with_its_reason() {
        let ctx = Context::default();
        let jobs = ExportJobs::of(&ctx);
        jobs.start(&ctx, "Test".to_string(), |_| Err("disk full".to_string()));
        for _ in 0..200 {
            if !matches!(jobs.jobs()[0].status, JobStatus::Running(..)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            jobs.jobs()[0].status,
            JobStatus::Failed("disk full".to_string())
        );
        assert_eq!(stamp(DateTime::<Utc>::UNIX_EPOCH), "19700101T000000Z");
    }
}
