//! Assessments (employer exam room, staff side): build an assessment (scenarios, time limit,
//! pass mark, master seed), register candidates (each gets a seeded variant per scenario), see
//! results per candidate and per competency, check the audit chain, and write a printable HTML
//! report.
//!
//! Invariants: registering a candidate creates the candidate (if new) and adds them to the
//! assessment's cohort `"<assessment> candidates"`; it does not start their clock (their sitting
//! starts when they begin in candidate mode). Seeds shown are
//! [`crate::store::derive_candidate_seed`], the ones their sitting will use.

use chrono::{DateTime, Utc};
use egui::{RichText, ScrollArea, Ui};

use super::{
    Field, Notice, StaffCommand, StaffState, percent, text_input, text_input_sized, theme,
};
use crate::report::CompetencyResult;
use crate::service::assessments::cohort_name;
use crate::store::{
    Assessment, AssessmentResult, AuditReport, NewAssessment, Seal, SealReport, Session, Verdict,
    derive_candidate_seed,
};
use crate::ui::app::{AppState, Command};

/// The assessments screen's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessmentsState {
    /// Assessment names, sorted.
    pub names: Vec<String>,
    /// The assessment open.
    pub open: Option<Assessment>,
    /// Its master seed, or why this account cannot read it (it is sealed under the staff key).
    pub open_seed: Option<Result<u64, String>>,
    /// Registered candidates of the open assessment, sorted.
    pub registered: Vec<String>,
    /// Results of the open assessment, by candidate.
    pub results: Vec<AssessmentResult>,
    /// Per candidate and competency, sorted.
    pub competencies: Vec<CompetencyResult>,
    /// The last audit check.
    pub audit: Option<AuditReport>,
    /// Form: name.
    pub name: String,
    /// Form: scenario ids ticked, in order of ticking.
    pub scenario_ids: Vec<String>,
    /// Form: minutes.
    pub minutes: String,
    /// Form: pass mark in percent.
    pub pass_percent: String,
    /// Form: master seed.
    pub master_seed: String,
    /// Form: candidates see the live MS-DRG of their inpatient codes.
    pub show_drg: bool,
    /// Candidate to register.
    pub candidate: String,
    /// Where to write the HTML report.
    pub report_path: String,
    /// The access code just issued, as (candidate, code): shown once, until hidden or the
    /// assessment is left (only its hash is stored).
    pub issued_code: Option<(String, String)>,
    /// The open assessment's seals, oldest first.
    pub seals: Vec<Seal>,
    /// The private key file to seal with (PKCS#8 PEM).
    pub seal_key_path: String,
    /// The public key file to check the seals with (SPKI PEM).
    pub public_key_path: String,
    /// The last check of the seals against a public key: the problems in words (empty when
    /// every seal made with the key holds), or why the check could not run.
    pub seal_check: Option<Result<SealReport, String>>,
}

/// Assessment commands.
#[derive(Debug, Clone, PartialEq)]
pub enum AssessmentsCommand {
    /// Tick or untick a scenario in the form.
    ToggleScenario(String),
    /// Tick or untick "show the live MS-DRG" in the form.
    ToggleShowDrg,
    /// Create the assessment in the form.
    Create,
    /// Open an assessment.
    Open(String),
    /// Register the typed candidate for the open assessment.
    Register,
    /// Issue a registered candidate a new access code (the old one stops working).
    NewAccessCode(String),
    /// Hide the access code shown once.
    HideAccessCode,
    /// Release the open assessment's results to its candidates.
    ReleaseResults,
    /// Re-check the audit chain.
    Audit,
    /// Seal the open assessment with the private key file typed.
    Seal,
    /// Check the seals against the public key file typed.
    CheckSeals,
    /// Write the HTML report.
    WriteReport,
}

fn cmd(c: AssessmentsCommand) -> Command {
    Command::Staff(StaffCommand::Assessments(c))
}

/// Draws the assessments screen.
pub(super) fn assessments_ui(
    ui: &mut Ui,
    state: &AppState,
    s: &AssessmentsState,
    out: &mut Vec<Command>,
) {
    egui::Panel::left("assessment_builder")
        .resizable(true)
        .default_size(360.0)
        .show(ui, |ui| {
            ScrollArea::vertical()
                .id_salt("assessment_builder_scroll")
                .show(ui, |ui| builder_ui(ui, state, s, out));
        });
    egui::CentralPanel::default().show(ui, |ui| {
        ScrollArea::vertical()
            .id_salt("assessment_results_scroll")
            .show(ui, |ui| results_ui(ui, state, s, out));
    });
}

fn builder_ui(ui: &mut Ui, state: &AppState, s: &AssessmentsState, out: &mut Vec<Command>) {
    ui.label(theme::heading("Assessments"));
    if s.names.is_empty() {
        ui.label("No assessments yet — build one below.");
    }
    for n in &s.names {
        let open = s.open.as_ref().is_some_and(|a| &a.name == n);
        if ui.selectable_label(open, n).clicked() {
            out.push(cmd(AssessmentsCommand::Open(n.clone())));
        }
    }
    ui.separator();
    ui.label(theme::heading("Build an assessment"));
    text_input(ui, "Assessment name", &s.name, Field::AssessmentName, out);
    text_input_sized(
        ui,
        "Time limit (minutes)",
        &s.minutes,
        Field::AssessmentMinutes,
        false,
        60.0,
        out,
    );
    text_input_sized(
        ui,
        "Pass mark (%)",
        &s.pass_percent,
        Field::AssessmentPassPercent,
        false,
        60.0,
        out,
    );
    text_input_sized(
        ui,
        "Master seed",
        &s.master_seed,
        Field::AssessmentSeed,
        false,
        170.0,
        out,
    );
    let mut show_drg = s.show_drg;
    if ui
        .checkbox(
            &mut show_drg,
            "Show candidates the MS-DRG of their inpatient codes as they code",
        )
        .clicked()
    {
        out.push(cmd(AssessmentsCommand::ToggleShowDrg));
    }
    // The button stays above the (long) scenario list so it is always in view.
    ui.horizontal(|ui| {
        ui.label(RichText::new("Scenarios (in the order ticked)").strong());
        if ui.button("Create assessment").clicked() {
            out.push(cmd(AssessmentsCommand::Create));
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("assessment_scenarios")
        .max_height(260.0)
        .show(ui, |ui| {
            for sc in &state.scenarios {
                let id = &sc.scenario.id;
                let mut on = s.scenario_ids.contains(id);
                let text = format!(
                    "{} ({} min)",
                    sc.scenario.title, sc.scenario.estimated_minutes
                );
                if ui.checkbox(&mut on, text).on_hover_text(id).clicked() {
                    out.push(cmd(AssessmentsCommand::ToggleScenario(id.clone())));
                }
            }
        });
}

/// A scenario's title from the library (its id when it is no longer there).
fn title_of<'a>(state: &'a AppState, id: &'a str) -> &'a str {
    state
        .scenarios
        .iter()
        .find(|s| s.scenario.id == id)
        .map_or(id, |s| s.scenario.title.as_str())
}

fn results_ui(ui: &mut Ui, state: &AppState, s: &AssessmentsState, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let Some(a) = &s.open else {
        ui.label(theme::heading("Results"));
        ui.label("Open an assessment on the left, or build one.");
        return;
    };
    ui.label(theme::heading(format!("{} — results", a.name)));
    let master = s.open_seed.as_ref().and_then(|r| r.as_ref().ok()).copied();
    ui.label(format!(
        "{} scenarios · {} min · pass mark {} · master seed {}",
        a.scenario_ids.len(),
        a.time_limit_secs / 60,
        percent(a.pass_mark_fraction),
        master.map_or_else(|| "sealed".to_string(), |m| m.to_string())
    ));
    if let Some(Err(why)) = &s.open_seed {
        ui.label(RichText::new(format!("Seeds not shown: {why}")).color(theme::alert(dark)));
    }
    ui.horizontal(|ui| {
        text_input_sized(
            ui,
            "Candidate name",
            &s.candidate,
            Field::CandidateName,
            false,
            200.0,
            out,
        );
        if ui.button("Register candidate").clicked() {
            out.push(cmd(AssessmentsCommand::Register));
        }
    });
    access_ui(ui, a, s, dark, out);
    ui.label(RichText::new(format!("Registered candidates ({})", s.registered.len())).strong());
    egui::Grid::new("registered").striped(true).show(ui, |ui| {
        ui.label(RichText::new("Candidate").strong());
        for id in &a.scenario_ids {
            ui.label(RichText::new(format!("Seed: {}", title_of(state, id))).strong())
                .on_hover_text(id);
        }
        ui.label("");
        ui.end_row();
        for c in &s.registered {
            ui.label(c);
            for id in &a.scenario_ids {
                ui.label(master.map_or_else(
                    || "sealed".to_string(),
                    |m| derive_candidate_seed(m, id, c).to_string(),
                ));
            }
            let issue = ui
                .button("New access code")
                .on_hover_text("Issue a new code; the old one stops working");
            let name = format!("New access code for {c}");
            issue.widget_info(move || {
                egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
            });
            if issue.clicked() {
                out.push(cmd(AssessmentsCommand::NewAccessCode(c.clone())));
            }
            ui.end_row();
        }
    });
    ui.separator();
    ui.label(RichText::new("Per candidate").strong());
    if s.results.is_empty() {
        ui.label("No sittings yet — candidates appear here once they start.");
    } else {
        results_grid(ui, s, dark);
    }
    ui.label(RichText::new("Per competency").strong());
    if s.competencies.is_empty() {
        ui.label("No graded assessment attempts yet.");
    } else {
        competency_grid(ui, s);
    }
    ui.separator();
    audit_ui(ui, s, dark, out);
    ui.separator();
    ui.label(RichText::new("Printable report").strong());
    ui.horizontal(|ui| {
        text_input_sized(
            ui,
            "Report file (HTML)",
            &s.report_path,
            Field::ReportPath,
            false,
            300.0,
            out,
        );
        if ui.button("Write report").clicked() {
            out.push(cmd(AssessmentsCommand::WriteReport));
        }
    });
}

/// The access code just issued (shown once) and whether the results are released.
fn access_ui(
    ui: &mut Ui,
    a: &Assessment,
    s: &AssessmentsState,
    dark: bool,
    out: &mut Vec<Command>,
) {
    if let Some((candidate, code)) = &s.issued_code {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new(format!("Access code for {candidate}")).strong());
            ui.label(RichText::new(code).monospace().size(22.0).strong());
            ui.label(
                "Shown this once: only its hash is stored. Hand it to the candidate; they sign \
                 in with their name and this code.",
            );
            ui.horizontal(|ui| {
                if ui.button("Copy code").clicked() {
                    ui.ctx().copy_text(code.clone());
                }
                if ui.button("Hide code").clicked() {
                    out.push(cmd(AssessmentsCommand::HideAccessCode));
                }
            });
        });
    }
    ui.horizontal(|ui| match &a.results_released_at {
        Some(at) => {
            ui.label(
                RichText::new(format!("Results released to the candidates at {at}"))
                    .color(theme::success(dark)),
            );
        }
        None => {
            ui.label("Results are hidden from the candidates until you release them.");
            if ui.button("Release results").clicked() {
                out.push(cmd(AssessmentsCommand::ReleaseResults));
            }
        }
    });
}

fn results_grid(ui: &mut Ui, s: &AssessmentsState, dark: bool) {
    egui::Grid::new("results")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in ["Candidate", "Done", "Score", "Timing", "Result"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for r in &s.results {
                ui.label(&r.candidate);
                ui.label(format!("{} / {}", r.scenarios_done, r.scenarios_total));
                ui.label(format!(
                    "{:.2} / {:.2} ({})",
                    r.score,
                    r.max,
                    percent(r.fraction)
                ));
                ui.label(if r.over_time {
                    "over time"
                } else if r.finished_at.is_some() {
                    "finished"
                } else {
                    "in progress"
                });
                let t = r.verdict.label();
                match r.verdict {
                    Verdict::Pass => {
                        ui.label(RichText::new(t).color(theme::success(dark)).strong())
                    }
                    Verdict::Fail => ui.label(RichText::new(t).color(theme::alert(dark)).strong()),
                    Verdict::InProgress => ui.label(RichText::new(t).italics()),
                };
                ui.end_row();
            }
        });
}

fn competency_grid(ui: &mut Ui, s: &AssessmentsState) {
    egui::Grid::new("competencies")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for h in ["Candidate", "Competency", "Score"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for c in &s.competencies {
                let f = if c.max > 0.0 { c.score / c.max } else { 0.0 };
                ui.label(&c.candidate);
                ui.label(&c.competency);
                ui.label(format!("{:.2} / {:.2} ({})", c.score, c.max, percent(f)));
                ui.end_row();
            }
        });
}

fn audit_ui(ui: &mut Ui, s: &AssessmentsState, dark: bool, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Audit check").strong());
        if ui.button("Re-check audit").clicked() {
            out.push(cmd(AssessmentsCommand::Audit));
        }
    });
    match &s.audit {
        None => {
            ui.label("Not checked yet.");
        }
        Some(r) if r.is_clean() => {
            ui.label(
                RichText::new(format!("Audit chain intact: {} links checked", r.links))
                    .color(theme::success(dark)),
            );
            ui.label(RichText::new(format!("Chain head {}", r.head)).monospace());
        }
        Some(r) => {
            ui.label(
                RichText::new(format!(
                    "Audit chain BROKEN: {} problems in {} links",
                    r.issues.len(),
                    r.links
                ))
                .color(theme::alert(dark))
                .strong(),
            );
            for i in &r.issues {
                ui.label(i.to_string());
            }
            ui.label(RichText::new(format!("Chain head {}", r.head)).monospace());
        }
    }
    seals_ui(ui, s, dark, out);
}

/// The open assessment's seals, sealing with a private key file, and checking with a public one.
fn seals_ui(ui: &mut Ui, s: &AssessmentsState, dark: bool, out: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.label(RichText::new("Seals").strong());
    if s.seals.is_empty() {
        ui.label(
            "Not sealed. Sealing signs the chain head with a private key you keep off this \
             machine, so a chain recomputed after an edit is detected.",
        );
    }
    for seal in &s.seals {
        ui.label(format!(
            "Sealed {} by {} over {} links · public key {}",
            seal.sealed_at, seal.sealed_by, seal.links, seal.public_key
        ));
    }
    ui.horizontal(|ui| {
        text_input_sized(
            ui,
            "Private key file",
            &s.seal_key_path,
            Field::SealKeyPath,
            false,
            260.0,
            out,
        );
        if ui.button("Seal").clicked() {
            out.push(cmd(AssessmentsCommand::Seal));
        }
    });
    ui.horizontal(|ui| {
        text_input_sized(
            ui,
            "Public key file",
            &s.public_key_path,
            Field::PublicKeyPath,
            false,
            260.0,
            out,
        );
        if ui.button("Check seals").clicked() {
            out.push(cmd(AssessmentsCommand::CheckSeals));
        }
    });
    match &s.seal_check {
        None => {}
        Some(Err(e)) => {
            ui.label(RichText::new(e).color(theme::alert(dark)));
        }
        Some(Ok(report)) if report.is_clean() => {
            ui.label(
                RichText::new(format!(
                    "Every seal made with this key holds ({})",
                    report.seals.len()
                ))
                .color(theme::success(dark)),
            );
        }
        Some(Ok(report)) => {
            for problem in report.problems() {
                ui.label(RichText::new(problem).color(theme::alert(dark)).strong());
            }
        }
    }
}

/// Loads assessment names and, if one is open, its registrations, results and the audit check.
pub(super) fn refresh(
    state: &AppState,
    session: &Session,
    staff: &mut StaffState,
    now: DateTime<Utc>,
) {
    let Some(store) = state.store.as_ref() else {
        return;
    };
    let s = &mut staff.assessments;
    if s.minutes.is_empty() {
        "60".clone_into(&mut s.minutes);
        "70".clone_into(&mut s.pass_percent);
    }
    if s.master_seed.is_empty() {
        s.master_seed = random_seed();
    }
    match assessment_names(store) {
        Ok(names) => s.names = names,
        Err(e) => staff.notice = Some(Notice::Failed(e)),
    }
    let Some(name) = s.open.as_ref().map(|a| a.name.clone()) else {
        return;
    };
    s.open_seed = Some(store.master_seed(session, &name).map_err(error_message));
    s.registered = store
        .list_cohorts()
        .ok()
        .and_then(|cs| cs.into_iter().find(|c| c.name == cohort_name(&name)))
        .map(|c| c.members)
        .unwrap_or_default();
    match store.assessment_results(session, &name, &now) {
        Ok(results) => {
            s.competencies = competency_results(store, session, &results);
            s.results = results;
        }
        Err(e) => staff.notice = Some(Notice::Failed(e.to_string())),
    }
    s.audit = store.verify_audit().ok();
    s.seals = store.seals(Some(&name)).unwrap_or_default();
    if s.report_path.is_empty() {
        s.report_path =
            default_report_path(&name).map_or_else(String::new, |p| p.display().to_string());
    }
}

/// The report's file name for an assessment: `assessment-report-<name>.html`.
fn report_file_name(name: &str) -> String {
    crate::report::export_file_name(&["assessment-report", name], "html")
}

/// Where the report goes unless another path is typed: the data folder's `exports/`.
fn default_report_path(name: &str) -> Option<std::path::PathBuf> {
    crate::paths::exports_dir()
        .ok()
        .map(|dir| dir.join(report_file_name(name)))
}

/// The file a typed report path names: an absolute path as typed; a bare file name or a
/// relative path inside the data folder's `exports/` (never the working folder); nothing typed,
/// the default name there.
fn report_target(typed: &str, name: &str) -> Result<std::path::PathBuf, String> {
    let typed = typed.trim();
    let path = std::path::Path::new(typed);
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let dir = crate::paths::exports_dir().map_err(|_| {
        "No user data folder for exports: type a full path for the report, or set \
         EHR_SIM_DATA_DIR"
            .to_string()
    })?;
    Ok(if typed.is_empty() {
        dir.join(report_file_name(name))
    } else {
        dir.join(path)
    })
}

/// Assessment names, sorted.
fn assessment_names(store: &crate::store::Store) -> Result<Vec<String>, String> {
    store.assessment_names().map_err(|e| e.to_string())
}

/// Effective score per candidate and competency over the attempts of the listed sittings.
fn competency_results(
    store: &crate::store::Store,
    session: &Session,
    results: &[AssessmentResult],
) -> Vec<CompetencyResult> {
    crate::report::assessment::competency_results(store, session, results).unwrap_or_default()
}

/// Applies an assessments command.
pub(super) fn apply(
    state: &mut AppState,
    staff: &mut StaffState,
    command: AssessmentsCommand,
    now: DateTime<Utc>,
) {
    let Some(session) = state.staff_session.clone() else {
        return;
    };
    match command {
        AssessmentsCommand::ToggleShowDrg => {
            staff.assessments.show_drg = !staff.assessments.show_drg;
            return;
        }
        AssessmentsCommand::ToggleScenario(id) => {
            let ids = &mut staff.assessments.scenario_ids;
            if let Some(i) = ids.iter().position(|x| *x == id) {
                ids.remove(i);
            } else {
                ids.push(id);
            }
            return;
        }
        AssessmentsCommand::Create => create(state, &session, staff, now),
        AssessmentsCommand::Open(name) => {
            if let Some(store) = state.store.as_ref() {
                staff.assessments.open =
                    super::report(staff, store.assessment_by_name(&name), |a| {
                        format!("Opened {}", a.name)
                    });
                staff.assessments.report_path.clear();
                staff.assessments.issued_code = None;
                staff.assessments.seal_check = None;
            }
        }
        AssessmentsCommand::Register => register(state, &session, staff, now),
        AssessmentsCommand::NewAccessCode(candidate) => {
            new_code(state, &session, staff, &candidate);
        }
        AssessmentsCommand::HideAccessCode => {
            staff.assessments.issued_code = None;
            return;
        }
        AssessmentsCommand::ReleaseResults => release(state, &session, staff, now),
        AssessmentsCommand::Audit => {}
        AssessmentsCommand::Seal => seal(state, &session, staff, now),
        AssessmentsCommand::CheckSeals => {
            let s = &mut staff.assessments;
            s.seal_check = state
                .store
                .as_ref()
                .map(|store| check_seals(store, &s.public_key_path));
            return;
        }
        AssessmentsCommand::WriteReport => {
            refresh(state, &session, staff, now);
            let s = &staff.assessments;
            let Some(a) = &s.open else {
                return;
            };
            let now = crate::store::format_timestamp(&now);
            let mut report = crate::report::AssessmentReport::from_parts(
                a,
                &s.results,
                &s.competencies,
                s.audit.as_ref(),
                session.name(),
                &now,
            );
            report.seals.clone_from(&s.seals);
            report.master_seed = s.open_seed.as_ref().and_then(|r| r.as_ref().ok()).copied();
            let html = report.to_html();
            let written = report_target(&s.report_path, &a.name).and_then(|path| {
                crate::report::write_file(&path, html.as_bytes())
                    .map(|()| path)
                    .map_err(|e| e.to_string())
            });
            staff.notice = Some(match written {
                Ok(path) => {
                    staff.assessments.report_path = path.display().to_string();
                    Notice::Written {
                        what: "Assessment report".to_string(),
                        path,
                    }
                }
                Err(e) => Notice::Failed(e),
            });
            return;
        }
    }
    refresh(state, &session, staff, now);
}

fn create(state: &mut AppState, session: &Session, staff: &mut StaffState, now: DateTime<Utc>) {
    let s = &staff.assessments;
    let parsed =
        (|| -> Result<NewAssessment, String> {
            let minutes: u64 =
                s.minutes.trim().parse().map_err(|_| {
                    format!("time limit {:?}: type whole minutes, e.g. 60", s.minutes)
                })?;
            let pass: f64 =
                s.pass_percent.trim().parse().map_err(|_| {
                    format!("pass mark {:?}: type a percent, e.g. 70", s.pass_percent)
                })?;
            let seed: u64 = s
                .master_seed
                .trim()
                .parse()
                .map_err(|_| format!("master seed {:?}: type a whole number", s.master_seed))?;
            Ok(NewAssessment {
                name: s.name.trim().to_string(),
                scenario_ids: s.scenario_ids.clone(),
                time_limit_secs: minutes.saturating_mul(60),
                pass_mark_fraction: pass / 100.0,
                master_seed: seed,
                show_drg: s.show_drg,
            })
        })();
    let Some(store) = state.store.as_mut() else {
        return;
    };
    let result = parsed.and_then(|new| {
        crate::service::assessments::create(store, session, &new, &now).map_err(|e| e.to_string())
    });
    if let Some(a) = super::report(staff, result, |a| format!("Created assessment {}", a.name)) {
        staff.assessments.open = Some(a);
        staff.assessments.name.clear();
        staff.assessments.scenario_ids.clear();
        staff.assessments.report_path.clear();
        // The next assessment gets a seed of its own.
        staff.assessments.master_seed = random_seed();
    }
}

/// A random master seed as text, for the form (empty if the system gives no randomness, so
/// the form asks for one).
fn random_seed() -> String {
    crate::service::assessments::new_master_seed().map_or_else(|_| String::new(), |s| s.to_string())
}

/// Seals the open assessment with the typed private key file.
fn seal(state: &mut AppState, session: &Session, staff: &mut StaffState, now: DateTime<Utc>) {
    let (Some(store), Some(a)) = (state.store.as_mut(), staff.assessments.open.clone()) else {
        return;
    };
    staff.assessments.seal_check = None;
    let path = staff.assessments.seal_key_path.trim().to_string();
    let result = if path.is_empty() {
        Err(
            "type the path of your private key file (made with `ehr-sim assessment keygen`)"
                .to_string(),
        )
    } else {
        crate::store::seal::read_signing_key(std::path::Path::new(&path))
            .and_then(|key| store.seal_assessment(session, &a.name, &key, &now))
            .map_err(error_message)
    };
    super::report(staff, result, |seal| {
        format!(
            "Sealed {} over {} links: keep the public key {} to verify it later",
            seal.assessment, seal.links, seal.public_key
        )
    });
}

/// Checks every seal in the store against the public key file at `path`.
fn check_seals(store: &crate::store::Store, path: &str) -> Result<SealReport, String> {
    let path = path.trim();
    if path.is_empty() {
        return Err(
            "type the path of the public key file (the .pub file keygen wrote)".to_string(),
        );
    }
    let key = crate::store::seal::read_verifying_key(std::path::Path::new(path))
        .map_err(error_message)?;
    let chain = store.verify_audit().map_err(|e| e.to_string())?;
    store.check_seals(&key, &chain).map_err(|e| e.to_string())
}

fn register(state: &mut AppState, session: &Session, staff: &mut StaffState, now: DateTime<Utc>) {
    let Some(a) = staff.assessments.open.clone() else {
        return;
    };
    let candidate = staff.assessments.candidate.trim().to_string();
    let Some(store) = state.store.as_mut() else {
        return;
    };
    let result =
        crate::service::assessments::register_candidate(store, session, &a.name, &candidate, &now)
            .map_err(error_message);
    if let Some(done) = super::report(staff, result, |done| {
        format!(
            "Registered {candidate} for {}{}",
            a.name,
            if done.access_code.is_some() {
                ": their access code is shown once below"
            } else {
                " (they keep the access code issued before)"
            }
        )
    }) {
        staff.assessments.issued_code = done.access_code.map(|code| (candidate, code));
        staff.assessments.candidate.clear();
    }
}

fn new_code(state: &mut AppState, session: &Session, staff: &mut StaffState, candidate: &str) {
    let Some(store) = state.store.as_mut() else {
        return;
    };
    let result = crate::service::assessments::issue_access_code(store, session, candidate)
        .map_err(error_message);
    if let Some(code) = super::report(staff, result, |_| {
        format!("New access code for {candidate}: the old one no longer works")
    }) {
        staff.assessments.issued_code = Some((candidate.to_string(), code));
    }
}

fn release(state: &mut AppState, session: &Session, staff: &mut StaffState, now: DateTime<Utc>) {
    let (Some(store), Some(a)) = (state.store.as_mut(), staff.assessments.open.clone()) else {
        return;
    };
    let result = store
        .release_results(session, &a.name, &now)
        .map_err(error_message);
    if let Some(a) = super::report(staff, result, |a| {
        format!("Results of {} released to its candidates", a.name)
    }) {
        staff.assessments.open = Some(a);
    }
}

/// What a store error says to the user: an invalid entry's own message, else the whole error.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only an invalid entry has a message of its own; every other error, present or \
              future, is shown whole, so a new variant needs no decision here"
)]
fn error_message(e: crate::store::StoreError) -> String {
    match e {
        crate::store::StoreError::Invalid { message, .. } => message,
        other => other.to_string(),
    }
}
