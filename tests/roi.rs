//! Release of information: the ten worked requests of `docs/domain/release-of-information.md`
//! §8 (one fixture each under `tests/fixtures/roi/`), each engine rule on a small request of its
//! own, input errors with their positions, and `ehr-sim key roi`'s output and exit codes.

use ehr_sim::ron_input::RonInputError;
use ehr_sim::tasks::roi::{
    Action, Decision, FeeBasis, Missing, PART2_NOTICE_TEXT, Request, Section, decide, refs,
};

fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/roi")
        .join(name)
}

fn fixture(name: &str) -> Decision {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture");
    decide(&Request::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn inline(text: &str) -> Decision {
    decide(&Request::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}")))
}

/// A request with the patient, requester and sections given and the identity verified.
fn request(patient: &str, requester: &str, sections: &str, rest: &str) -> String {
    format!(
        "(patient: ({patient}), requester: {requester}, evidence: (identity_verified: true, \
         authority_verified: true), received: \"2026-03-02\", sections: [{sections}], {rest})"
    )
}

/// `(section, action, basis)` of every section, in order.
fn actions(d: &Decision) -> Vec<(Section, Action, &'static str)> {
    d.sections
        .iter()
        .map(|s| (s.section, s.action.clone(), s.basis))
        .collect()
}

/// `(step, rule, decided, reference)` of every finding, in order.
fn rules(d: &Decision) -> Vec<(u8, &'static str, bool, &'static str)> {
    d.findings
        .iter()
        .map(|f| (f.step, f.rule, f.decided, f.reference))
        .collect()
}

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().expect("date")
}

#[test]
fn worked_01_attorney_authorization_releases_the_record_and_refuses_psychotherapy_notes() {
    let d = fixture("01_attorney_psychotherapy_notes.ron");
    assert_eq!(
        actions(&d),
        vec![
            (
                Section::ProgressNotes,
                Action::Release,
                refs::AUTHORIZATION_VALID
            ),
            (Section::Labs, Action::Release, refs::AUTHORIZATION_VALID),
            (Section::Imaging, Action::Release, refs::AUTHORIZATION_VALID),
            (
                Section::PsychotherapyNotes,
                Action::Deny,
                refs::AUTHORIZATION_PSYCHOTHERAPY
            ),
        ]
    );
    assert_eq!(
        refs::AUTHORIZATION_PSYCHOTHERAPY,
        "45 CFR 164.508(a)(2), (b)(3)(ii)"
    );
    assert_eq!(d.deadline, None);
    assert_eq!(d.minimum_necessary.applies, Some(false));
    assert!(!d.accounting.accountable);
    assert_eq!(d.accounting.reference, "45 CFR 164.528(a)(1)(iv)");
    assert_eq!(d.part2_notice, None);
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (2, "access.third_party", true, refs::REPRESENTATIVE),
            (3, "authorization.valid", true, refs::AUTHORIZATION_VALID),
            (
                5,
                "minimum_necessary",
                true,
                refs::MINIMUM_NECESSARY_EXCEPTIONS
            ),
            (6, "state.fee", false, refs::STATE_LAW),
            (7, "accounting", true, refs::ACCOUNTING_AUTHORIZATION),
        ]
    );
}

#[test]
fn worked_02_attorney_subpoena_without_assurance_releases_nothing() {
    let d = fixture("02_attorney_subpoena.ron");
    let ask = Action::AskFor(Missing::SatisfactoryAssurance);
    assert_eq!(
        actions(&d),
        vec![
            (Section::ProgressNotes, ask.clone(), refs::SUBPOENA),
            (Section::Labs, ask.clone(), refs::SUBPOENA),
            (Section::Billing, ask, refs::SUBPOENA),
        ]
    );
    assert_eq!(refs::SUBPOENA, "45 CFR 164.512(e)(1)(ii)-(v)");
    assert_eq!(d.fee, FeeBasis::NoCopy);
    assert_eq!(d.minimum_necessary.applies, None);
    assert!(!d.accounting.accountable);
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (2, "access.third_party", true, refs::REPRESENTATIVE),
            (3, "authorization.none", true, refs::AUTHORIZATION_REQUIRED),
            (4, "judicial.subpoena", true, refs::SUBPOENA),
            (7, "accounting", true, refs::ACCOUNTING),
        ]
    );
}

#[test]
fn worked_03_noncustodial_parent_with_authority_under_state_law_has_access() {
    let d = fixture("03_noncustodial_parent.ron");
    assert_eq!(
        actions(&d),
        vec![
            (Section::ProgressNotes, Action::Release, refs::ACCESS),
            (Section::Imaging, Action::Release, refs::ACCESS),
        ]
    );
    let dl = d.deadline.expect("access deadline");
    assert_eq!(dl.due, date("2026-06-03"));
    assert_eq!(dl.extended_due, date("2026-07-03"));
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (1, "verify.authority", true, refs::IDENTITY),
            (2, "parent.non_custodial", true, "45 CFR 164.502(g)(3)"),
            (2, "access.deadline", true, refs::ACCESS_TIMING),
            (2, "access.fee", true, refs::ACCESS_FEE),
            (
                5,
                "minimum_necessary",
                true,
                refs::MINIMUM_NECESSARY_EXCEPTIONS
            ),
            (7, "accounting", true, refs::ACCOUNTING_INDIVIDUAL),
        ]
    );
}

#[test]
fn worked_04_parent_is_not_the_representative_for_care_the_minor_consented_to() {
    let d = fixture("04_parent_minor_consented_care.ron");
    assert_eq!(
        actions(&d),
        vec![(
            Section::ReproductiveHealth,
            Action::NotDecided,
            "45 CFR 164.502(g)(3)(i)-(ii)"
        )]
    );
    assert!(d.sections[0].note.starts_with("not decided: state law"));
    assert_eq!(d.fee, FeeBasis::NoCopy);
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (1, "verify.authority", true, refs::IDENTITY),
            (2, "parent.minor", true, refs::PARENT),
            (2, "access.deadline", true, refs::ACCESS_TIMING),
            (6, "state.minor_consent", false, refs::MINOR_CONSENTED),
            (7, "accounting", true, refs::ACCOUNTING),
        ]
    );
}

#[test]
fn worked_05_police_without_warrant_get_the_identifying_elements_only() {
    let d = fixture("05_police_without_warrant.ron");
    for s in &d.sections {
        assert_eq!(s.action, Action::ReleaseInPart, "{:?}", s.section);
        assert_eq!(s.basis, "45 CFR 164.512(f)(2)");
        assert!(s.note.contains("never DNA, dental records"), "{}", s.note);
    }
    assert_eq!(d.sections.len(), 3);
    assert_eq!(d.minimum_necessary.applies, Some(true));
    assert!(d.accounting.accountable);
    assert_eq!(d.accounting.reference, "45 CFR 164.528(a), (b)");
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (2, "access.third_party", true, refs::REPRESENTATIVE),
            (3, "authorization.none", true, refs::AUTHORIZATION_REQUIRED),
            (4, "law_enforcement", true, refs::LAW_ENFORCEMENT_IDENTIFY),
            (5, "minimum_necessary", true, refs::MINIMUM_NECESSARY),
            (7, "accounting", true, refs::ACCOUNTING),
        ]
    );
}

#[test]
fn worked_06_executor_with_letters_has_the_right_of_access() {
    let d = fixture("06_executor.ron");
    assert_eq!(
        actions(&d),
        vec![
            (Section::ProgressNotes, Action::Release, refs::ACCESS),
            (Section::Labs, Action::Release, refs::ACCESS),
            (Section::Billing, Action::Release, refs::ACCESS),
        ]
    );
    assert_eq!(d.deadline.map(|x| x.due), Some(date("2026-04-15")));
    assert_eq!(
        rules(&d)[2],
        (2, "decedent.executor", true, "45 CFR 164.502(g)(4)")
    );
    assert!(!d.accounting.accountable);
}

#[test]
fn worked_07_patient_electronic_copy_within_30_days_at_a_cost_based_fee() {
    let d = fixture("07_patient_electronic_copy.ron");
    assert!(
        d.sections
            .iter()
            .all(|s| s.action == Action::Release && s.basis == refs::ACCESS)
    );
    let dl = d.deadline.expect("deadline");
    assert_eq!(
        (dl.due, dl.extension_notice_by, dl.extended_due),
        (date("2026-03-11"), date("2026-03-11"), date("2026-04-10"))
    );
    assert_eq!(
        d.fee,
        FeeBasis::CostBased {
            flat_fee_option: true
        }
    );
    assert_eq!(d.minimum_necessary.applies, Some(false));
    assert_eq!(d.minimum_necessary.reference, "45 CFR 164.502(b)(2)");
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (2, "access.individual", true, refs::ACCESS),
            (2, "access.deadline", true, "45 CFR 164.524(b)(2)"),
            (2, "access.fee", true, "45 CFR 164.524(c)(4)"),
            (
                5,
                "minimum_necessary",
                true,
                refs::MINIMUM_NECESSARY_EXCEPTIONS
            ),
            (7, "accounting", true, "45 CFR 164.528(a)(1)(ii)"),
        ]
    );
}

#[test]
fn worked_08_authorization_without_expiration_is_returned_and_nothing_released() {
    let d = fixture("08_life_insurer_no_expiration.ron");
    assert_eq!(
        actions(&d),
        vec![
            (
                Section::ProgressNotes,
                Action::ReturnForCorrection,
                "45 CFR 164.508(c)(1)(v), (b)(2)"
            ),
            (
                Section::Labs,
                Action::ReturnForCorrection,
                "45 CFR 164.508(c)(1)(v), (b)(2)"
            ),
        ]
    );
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (2, "access.third_party", true, refs::REPRESENTATIVE),
            (
                3,
                "authorization.expiration",
                true,
                refs::AUTHORIZATION_EXPIRATION
            ),
            (
                4,
                "authorization.required",
                true,
                refs::AUTHORIZATION_REQUIRED
            ),
            (7, "accounting", true, refs::ACCOUNTING),
        ]
    );
}

#[test]
fn worked_09_subpoena_with_a_general_release_does_not_reach_part2_records() {
    let d = fixture("09_subpoena_part2_records.ron");
    assert_eq!(
        actions(&d),
        vec![(
            Section::Part2Records,
            Action::AskFor(Missing::Part2ConsentOrOrder),
            "42 CFR 2.31; 42 CFR 2.61-2.64"
        )]
    );
    assert_eq!(d.part2_notice, None);
    assert!(!d.accounting.accountable);
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (2, "access.third_party", true, refs::REPRESENTATIVE),
            (3, "authorization.valid", true, refs::AUTHORIZATION_VALID),
            (6, "part2.consent", true, "42 CFR 2.31"),
            (6, "part2.subpoena", true, refs::PART2_SUBPOENA),
            (7, "accounting", true, refs::ACCOUNTING),
        ]
    );
}

#[test]
fn worked_10_notifiable_disease_report_is_permitted_and_logged() {
    let d = fixture("10_public_health_report.ron");
    assert_eq!(
        actions(&d),
        vec![(
            Section::Labs,
            Action::Release,
            "45 CFR 164.512(b)(1)(i), (a)"
        )]
    );
    assert!(d.accounting.accountable);
    assert_eq!(d.minimum_necessary.applies, Some(false));
    assert_eq!(
        rules(&d),
        vec![
            (1, "verify.identity", true, refs::IDENTITY),
            (2, "access.third_party", true, refs::REPRESENTATIVE),
            (3, "authorization.none", true, refs::AUTHORIZATION_REQUIRED),
            (4, "public_health", true, refs::PUBLIC_HEALTH_REQUIRED),
            (
                5,
                "minimum_necessary",
                true,
                refs::MINIMUM_NECESSARY_EXCEPTIONS
            ),
            (7, "accounting", true, refs::ACCOUNTING),
        ]
    );
}

// ---- each rule on its own ----

#[test]
fn roi_rule_unverified_identity_holds_every_section() {
    let d = inline(
        "(patient: (age: 40), requester: Patient, received: \"2026-03-02\", \
         sections: [Labs, PsychotherapyNotes])",
    );
    for s in &d.sections {
        assert_eq!(s.action, Action::AskFor(Missing::Identity));
        assert_eq!(s.basis, "45 CFR 164.514(h)");
    }
    assert_eq!(d.fee, FeeBasis::NoCopy);
    assert!(d.deadline.is_some(), "the access clock runs from receipt");
}

#[test]
fn roi_rule_representative_without_documented_authority_is_asked_for_it() {
    let d = inline(
        "(patient: (age: 80), requester: PersonalRepresentative(authority: Guardian), \
         evidence: (identity_verified: true), received: \"2026-03-02\", sections: [Labs])",
    );
    assert_eq!(
        actions(&d),
        vec![(
            Section::Labs,
            Action::AskFor(Missing::Authority),
            refs::IDENTITY
        )]
    );
}

#[test]
fn roi_rule_psychotherapy_notes_are_outside_the_right_of_access() {
    let d = inline(&request(
        "age: 40",
        "Patient",
        "Labs, PsychotherapyNotes",
        "",
    ));
    assert_eq!(
        actions(&d),
        vec![
            (Section::Labs, Action::Release, refs::ACCESS),
            (
                Section::PsychotherapyNotes,
                Action::Deny,
                "45 CFR 164.524(a)(1)(i), (a)(2)(i)"
            ),
        ]
    );
}

#[test]
fn roi_rule_psychotherapy_note_authorization_must_stand_alone() {
    let alone = inline(&request(
        "age: 40",
        "Attorney",
        "PsychotherapyNotes",
        "authorization: (covers: Sections([PsychotherapyNotes]), expires: Date(\"2026-12-31\"), \
         signed: \"2026-03-01\")",
    ));
    assert_eq!(alone.sections[0].action, Action::Release);
    let combined = inline(&request(
        "age: 40",
        "Attorney",
        "PsychotherapyNotes, Labs",
        "authorization: (covers: Sections([PsychotherapyNotes, Labs]), \
         expires: Date(\"2026-12-31\"), signed: \"2026-03-01\")",
    ));
    for s in &combined.sections {
        assert_eq!(s.action, Action::ReturnForCorrection);
        assert_eq!(s.basis, refs::AUTHORIZATION_PSYCHOTHERAPY);
    }
}

#[test]
fn roi_rule_each_authorization_defect_makes_it_invalid() {
    let auth = |extra: &str| {
        inline(&request(
            "age: 40",
            "Employer",
            "Labs",
            &format!(
                "authorization: (covers: CompleteRecord, expires: Date(\"2026-12-31\"), \
                 signed: \"2026-03-01\", {extra})"
            ),
        ))
    };
    let cases = [
        (
            "missing: [RedisclosureStatement]",
            Action::ReturnForCorrection,
            refs::AUTHORIZATION_ELEMENTS,
        ),
        (
            "combined_with_other_document: true",
            Action::ReturnForCorrection,
            refs::AUTHORIZATION_COMPOUND,
        ),
        (
            "conditioned: true",
            Action::ReturnForCorrection,
            refs::AUTHORIZATION_CONDITIONED,
        ),
        ("revoked: true", Action::Deny, refs::AUTHORIZATION_REVOKED),
    ];
    for (extra, action, basis) in cases {
        let d = auth(extra);
        assert_eq!(actions(&d), vec![(Section::Labs, action, basis)], "{extra}");
    }
    let expired = inline(&request(
        "age: 40",
        "Employer",
        "Labs",
        "authorization: (covers: CompleteRecord, expires: Date(\"2026-01-31\"), signed: \"2025-06-01\")",
    ));
    assert_eq!(expired.sections[0].action, Action::ReturnForCorrection);
    assert_eq!(expired.findings[2].rule, "authorization.expired");
    let unsigned = inline(&request(
        "age: 40",
        "Employer",
        "Labs",
        "authorization: (covers: CompleteRecord, expires: Date(\"2026-12-31\"))",
    ));
    assert_eq!(unsigned.sections[0].basis, refs::AUTHORIZATION_SIGNATURE);
    let research_none = inline(&request(
        "age: 40",
        "Employer",
        "Labs",
        "authorization: (covers: CompleteRecord, expires: NoneForResearch, signed: \"2026-03-01\")",
    ));
    assert_eq!(
        research_none.sections[0].action,
        Action::ReturnForCorrection
    );
    assert_eq!(
        research_none.sections[0].basis,
        refs::AUTHORIZATION_EXPIRATION
    );
}

#[test]
fn roi_rule_an_authorization_covers_only_what_it_describes() {
    let d = inline(&request(
        "age: 40",
        "Employer",
        "Labs, Imaging",
        "authorization: (covers: Sections([Labs]), expires: Event(\"end of employment\"), \
         signed: \"2026-03-01\")",
    ));
    assert_eq!(
        actions(&d),
        vec![
            (Section::Labs, Action::Release, refs::AUTHORIZATION_VALID),
            (
                Section::Imaging,
                Action::AskFor(Missing::Authorization),
                refs::AUTHORIZATION_REQUIRED
            ),
        ]
    );
}

#[test]
fn roi_rule_third_party_without_authorization_is_asked_for_one() {
    let d = inline(&request(
        "age: 40",
        "Employer",
        "Labs, PsychotherapyNotes, Part2Records",
        "",
    ));
    assert_eq!(
        actions(&d),
        vec![
            (
                Section::Labs,
                Action::AskFor(Missing::Authorization),
                refs::AUTHORIZATION_REQUIRED
            ),
            (
                Section::PsychotherapyNotes,
                Action::AskFor(Missing::Authorization),
                refs::AUTHORIZATION_REQUIRED
            ),
            (
                Section::Part2Records,
                Action::AskFor(Missing::Part2Consent),
                refs::PART2_CONSENT
            ),
        ]
    );
}

#[test]
fn roi_rule_treatment_needs_no_authorization_nor_minimum_necessary_and_is_not_logged() {
    let d = inline(&request(
        "age: 40",
        "Provider",
        "ProgressNotes, PsychotherapyNotes",
        "",
    ));
    assert_eq!(
        actions(&d),
        vec![
            (
                Section::ProgressNotes,
                Action::Release,
                "45 CFR 164.506(c)(2)"
            ),
            (
                Section::PsychotherapyNotes,
                Action::Deny,
                refs::AUTHORIZATION_PSYCHOTHERAPY
            ),
        ]
    );
    assert_eq!(d.minimum_necessary.applies, Some(false));
    assert!(!d.accounting.accountable);
    assert_eq!(d.accounting.reference, "45 CFR 164.528(a)(1)(i)");
}

#[test]
fn roi_rule_health_plan_payment_applies_minimum_necessary() {
    let d = inline(&request(
        "age: 40",
        "Insurer(health_plan_paying_for_care: true)",
        "Billing",
        "",
    ));
    assert_eq!(
        actions(&d),
        vec![(Section::Billing, Action::Release, refs::PAYMENT)]
    );
    assert_eq!(d.minimum_necessary.applies, Some(true));
    assert!(!d.accounting.accountable);
}

#[test]
fn roi_rule_court_order_releases_exactly_what_it_names() {
    let d = inline(&request(
        "age: 40",
        "CourtOrder(ordered: [Labs, PsychotherapyNotes, Part2Records])",
        "Labs, Imaging, PsychotherapyNotes, Part2Records",
        "",
    ));
    assert_eq!(
        actions(&d),
        vec![
            (Section::Labs, Action::Release, refs::COURT_ORDER),
            (Section::Imaging, Action::Deny, refs::COURT_ORDER),
            (
                Section::PsychotherapyNotes,
                Action::Release,
                refs::PSYCHOTHERAPY_REQUIRED_BY_LAW
            ),
            (Section::Part2Records, Action::Deny, refs::PART2_SUBPOENA),
        ]
    );
    assert!(d.accounting.accountable);
    assert_eq!(d.minimum_necessary.applies, Some(false));
    let part2 = inline(&request(
        "age: 40",
        "CourtOrder(ordered: [Part2Records], part2_order: true)",
        "Part2Records",
        "",
    ));
    assert_eq!(
        actions(&part2),
        vec![(Section::Part2Records, Action::Release, "42 CFR 2.64")]
    );
    assert_eq!(part2.part2_notice, None);
}

#[test]
fn roi_rule_subpoena_with_satisfactory_assurance_is_released_and_logged() {
    for assurance in ["notice_assurance: true", "protective_order_assurance: true"] {
        let d = inline(&request(
            "age: 40",
            &format!("Subpoena({assurance})"),
            "Labs, Part2Records",
            "",
        ));
        assert_eq!(
            actions(&d),
            vec![
                (Section::Labs, Action::Release, refs::SUBPOENA),
                (
                    Section::Part2Records,
                    Action::AskFor(Missing::Part2ConsentOrOrder),
                    refs::PART2_SUBPOENA
                ),
            ],
            "{assurance}"
        );
        assert!(d.accounting.accountable);
        assert_eq!(d.minimum_necessary.applies, Some(true));
    }
}

#[test]
fn roi_rule_law_enforcement_by_its_process() {
    let by = |basis: &str| {
        inline(&request(
            "age: 40",
            &format!("LawEnforcement(basis: {basis})"),
            "Labs",
            "",
        ))
        .sections[0]
            .clone()
    };
    let warrant = by("CourtOrderOrWarrant");
    assert_eq!(
        (warrant.action, warrant.basis),
        (Action::Release, refs::LAW_ENFORCEMENT_PROCESS)
    );
    let admin = by("AdministrativeRequest(relevant_specific_limited: true)");
    assert_eq!(
        (admin.action, admin.basis),
        (Action::Release, refs::LAW_ENFORCEMENT_ADMINISTRATIVE)
    );
    let vague = by("AdministrativeRequest(relevant_specific_limited: false)");
    assert_eq!(vague.action, Action::Deny);
    let none = by("NoProcess");
    assert_eq!(none.action, Action::AskFor(Missing::LegalProcess));
    let part2 = inline(&request(
        "age: 40",
        "LawEnforcement(basis: CourtOrderOrWarrant)",
        "Part2Records",
        "",
    ));
    assert_eq!(
        actions(&part2),
        vec![(
            Section::Part2Records,
            Action::Deny,
            "42 CFR 2.61; 42 CFR 2.65"
        )]
    );
}

#[test]
fn roi_rule_research_under_a_waiver_is_logged() {
    let d = inline(&request(
        "age: 40",
        "Researcher(irb_waiver: true)",
        "Labs",
        "",
    ));
    assert_eq!(
        actions(&d),
        vec![(Section::Labs, Action::Release, "45 CFR 164.512(i)(1)(i)")]
    );
    assert!(d.accounting.accountable);
    assert_eq!(
        d.minimum_necessary.reference,
        refs::MINIMUM_NECESSARY_RELIANCE
    );
    let no_waiver = inline(&request(
        "age: 40",
        "Researcher(irb_waiver: false)",
        "Labs",
        "",
    ));
    assert_eq!(
        no_waiver.sections[0].action,
        Action::AskFor(Missing::Authorization)
    );
}

#[test]
fn roi_rule_family_involved_in_a_decedents_care() {
    let family = |patient: &str, documented: bool| {
        inline(&request(
            patient,
            &format!("FamilyInvolvedInCare(involvement_documented: {documented})"),
            "ProgressNotes",
            "",
        ))
    };
    let d = family("age: 70, died: \"2026-01-10\"", true);
    assert_eq!(
        actions(&d),
        vec![(
            Section::ProgressNotes,
            Action::ReleaseInPart,
            refs::FAMILY_DECEDENT
        )]
    );
    assert_eq!(d.accounting.reference, "45 CFR 164.528(a)(1)(v)");
    let objected = family(
        "age: 70, died: \"2026-01-10\", objected_to_family_disclosure: true",
        true,
    );
    assert_eq!(objected.sections[0].action, Action::Deny);
    let alive = family("age: 70", true);
    assert_eq!(
        alive.sections[0].action,
        Action::AskFor(Missing::Authorization)
    );
}

#[test]
fn roi_rule_decedent_more_than_50_years_is_not_decided() {
    let d = inline(&request(
        "age: 70, died: \"1970-05-01\"",
        "Other(description: \"historian\")",
        "ProgressNotes",
        "",
    ));
    assert_eq!(
        actions(&d),
        vec![(
            Section::ProgressNotes,
            Action::NotDecided,
            refs::DECEDENT_FIFTY_YEARS
        )]
    );
}

#[test]
fn roi_rule_part2_records_the_patient_and_a_valid_consent() {
    let own = inline(&request("age: 40", "Patient", "Part2Records", ""));
    assert_eq!(
        actions(&own),
        vec![(Section::Part2Records, Action::Release, "42 CFR 2.23")]
    );
    assert_eq!(own.part2_notice, None);
    let consented = inline(&request(
        "age: 40",
        "Provider",
        "Part2Records",
        "part2_consent: (expires: \"2027-01-01\")",
    ));
    assert_eq!(
        actions(&consented),
        vec![(Section::Part2Records, Action::Release, "42 CFR 2.31")]
    );
    assert_eq!(consented.part2_notice, Some(PART2_NOTICE_TEXT));
    assert_eq!(
        PART2_NOTICE_TEXT,
        "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
    );
    assert!(
        consented
            .findings
            .iter()
            .any(|f| f.rule == "part2.notice" && f.reference == "42 CFR 2.32")
    );
    let bad = inline(&request(
        "age: 40",
        "Provider",
        "Part2Records",
        "part2_consent: (missing: [Signature])",
    ));
    // An unsigned consent goes back for correction, as an unsigned authorization does.
    assert_eq!(bad.sections[0].action, Action::ReturnForCorrection);
}

#[test]
fn roi_rule_reviewable_denial_and_upset_is_no_ground() {
    let d = inline(&request(
        "age: 40",
        "Patient",
        "Labs, MentalHealth",
        "harm_judgment: (ground: EndangerLifeOrSafety, sections: [MentalHealth])",
    ));
    assert_eq!(
        actions(&d),
        vec![
            (Section::Labs, Action::Release, refs::ACCESS),
            (Section::MentalHealth, Action::Deny, "45 CFR 164.524(a)(3)"),
        ]
    );
    let upset = inline(&request(
        "age: 40",
        "Patient",
        "MentalHealth",
        "harm_judgment: (ground: WouldUpset, sections: [MentalHealth])",
    ));
    assert_eq!(upset.sections[0].action, Action::Release);
    assert!(
        upset
            .findings
            .iter()
            .any(|f| f.rule == "access.denial_ground" && f.message.contains("not a ground"))
    );
}

#[test]
fn roi_rule_fee_for_paper_and_for_a_copy_directed_to_a_third_party() {
    let paper = inline(&request("age: 40", "Patient", "Labs", ""));
    assert_eq!(
        paper.fee,
        FeeBasis::CostBased {
            flat_fee_option: false
        }
    );
    let directed = inline(&request(
        "age: 40",
        "Patient",
        "Labs",
        "format: (medium: Electronic, directed_to: \"Dr. Example\")",
    ));
    assert_eq!(directed.fee, FeeBasis::DirectedToThirdParty);
    let kept_on_paper = inline(&request(
        "age: 40",
        "Patient",
        "Labs",
        "format: (medium: Electronic, kept_electronically: false)",
    ));
    assert_eq!(
        kept_on_paper.fee,
        FeeBasis::CostBased {
            flat_fee_option: false
        }
    );
}

#[test]
fn roi_rule_state_settings_decide_only_when_stated() {
    // Non-custodial parent, no setting: open.
    let open = inline(&request(
        "age: 10",
        "Parent(non_custodial: true)",
        "Labs",
        "",
    ));
    assert_eq!(open.sections[0].action, Action::NotDecided);
    assert!(
        open.findings
            .iter()
            .any(|f| f.rule == "parent.non_custodial" && !f.decided)
    );
    let no_authority = inline(&request(
        "age: 10",
        "Parent(non_custodial: true)",
        "Labs",
        "settings: (noncustodial_parent_has_authority: false)",
    ));
    assert_eq!(
        no_authority.sections[0].action,
        Action::AskFor(Missing::Authorization)
    );
    // Care the minor consented to, by the state's rule.
    for (rule, action) in [
        ("Permits", Action::Release),
        ("Requires", Action::Release),
        ("Prohibits", Action::Deny),
        ("Silent", Action::NotDecided),
    ] {
        let d = inline(&request(
            "age: 16, minor_consented_care: [ReproductiveHealth]",
            "Parent()",
            "ReproductiveHealth, Labs",
            &format!("settings: (parent_access_to_minor_consented_care: {rule})"),
        ));
        assert_eq!(
            actions(&d),
            vec![
                (Section::ReproductiveHealth, action, refs::MINOR_CONSENTED),
                (Section::Labs, Action::Release, refs::ACCESS),
            ],
            "{rule}"
        );
    }
    // Age of majority: 19-year-old is decided only with the setting.
    let nineteen = inline(&request("age: 19", "Parent()", "Labs", ""));
    assert_eq!(nineteen.sections[0].action, Action::NotDecided);
    let minor_at_19 = inline(&request(
        "age: 19",
        "Parent()",
        "Labs",
        "settings: (age_of_majority: 21)",
    ));
    assert_eq!(minor_at_19.sections[0].action, Action::Release);
    let adult_child = inline(&request("age: 30", "Parent()", "Labs", ""));
    assert_eq!(
        adult_child.sections[0].action,
        Action::AskFor(Missing::Authorization)
    );
}

#[test]
fn roi_rule_state_protected_information_under_a_complete_record_authorization() {
    let with = |setting: &str| {
        inline(&request(
            "age: 40",
            "Attorney",
            "StateProtected",
            &format!(
                "authorization: (covers: CompleteRecord, expires: Date(\"2026-12-31\"), \
                 signed: \"2026-03-01\"), settings: ({setting})"
            ),
        ))
        .sections[0]
            .action
            .clone()
    };
    assert_eq!(with(""), Action::NotDecided);
    assert_eq!(
        with("state_protected_needs_specific_authorization: true"),
        Action::AskFor(Missing::Authorization)
    );
    assert_eq!(
        with("state_protected_needs_specific_authorization: false"),
        Action::Release
    );
}

#[test]
fn roi_rule_unpaid_bill_is_open_unless_the_setting_states_it() {
    let open = inline(
        "(patient: (age: 40), requester: Patient, evidence: (identity_verified: true, \
         unpaid_bill: true), received: \"2026-03-02\", sections: [Labs])",
    );
    assert_eq!(open.sections[0].action, Action::Release);
    assert!(
        open.findings
            .iter()
            .any(|f| f.rule == "access.unpaid_bill" && !f.decided)
    );
    let stated = inline(
        "(patient: (age: 40), requester: Patient, evidence: (identity_verified: true, \
         unpaid_bill: true), received: \"2026-03-02\", sections: [Labs], \
         settings: (unpaid_bill_no_bar_to_access: true))",
    );
    assert!(
        stated
            .findings
            .iter()
            .any(|f| f.rule == "access.unpaid_bill" && f.decided)
    );
}

#[test]
fn roi_rule_findings_follow_the_order_of_checks() {
    for n in 1..=10 {
        let name = std::fs::read_dir(fixture_path(""))
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|f| f.starts_with(&format!("{n:02}_")))
            .expect("fixture");
        let d = fixture(&name);
        let steps: Vec<u8> = d.findings.iter().map(|f| f.step).collect();
        let mut sorted = steps.clone();
        sorted.sort_unstable();
        assert_eq!(steps, sorted, "{name}");
        assert_eq!(steps.first(), Some(&1), "{name}");
        assert_eq!(steps.last(), Some(&7), "{name}");
    }
}

// ---- input ----

#[test]
fn roi_input_json_gives_the_same_decision_as_ron() {
    let ron = inline(&request("age: 40", "Attorney", "Labs", ""));
    let json = Request::parse(
        r#"{"patient": {"age": 40}, "requester": "Attorney",
            "evidence": {"identity_verified": true, "authority_verified": true},
            "received": "2026-03-02", "sections": ["Labs"]}"#,
    )
    .expect("json");
    assert_eq!(decide(&json), ron);
}

fn syntax(text: &str) -> (usize, usize, String) {
    match Request::parse(text) {
        Err(RonInputError::Syntax {
            line,
            column,
            message,
        }) => (line, column, message),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn roi_input_unknown_requester_kind_is_a_positioned_error() {
    let (line, column, message) = syntax(
        "(\n  patient: (age: 40),\n  requester: Landlord,\n  received: \"2026-03-02\",\n  \
         sections: [Labs],\n)",
    );
    assert_eq!(line, 3);
    assert_eq!(column, 14);
    assert!(message.contains("Landlord"), "{message}");
    let (jline, _, jmessage) = syntax(
        "{\n  \"patient\": {\"age\": 40},\n  \"requester\": \"Landlord\",\n  \
         \"received\": \"2026-03-02\", \"sections\": [\"Labs\"]\n}",
    );
    assert_eq!(jline, 3);
    assert!(jmessage.contains("Landlord"), "{jmessage}");
}

#[test]
fn roi_input_a_request_without_a_patient_is_a_positioned_error() {
    let (line, _, message) =
        syntax("(\n  requester: Patient,\n  received: \"2026-03-02\",\n  sections: [Labs],\n)");
    assert_eq!(line, 5);
    assert!(message.contains("patient"), "{message}");
    let (_, _, jmessage) =
        syntax(r#"{"requester": "Patient", "received": "2026-03-02", "sections": ["Labs"]}"#);
    assert!(jmessage.contains("missing field `patient`"), "{jmessage}");
}

#[test]
fn roi_input_a_malformed_date_is_a_positioned_error() {
    let (line, column, message) = syntax(
        "(\n  patient: (age: 40),\n  requester: Patient,\n  received: \"2026-02-30\",\n  \
         sections: [Labs],\n)",
    );
    assert_eq!((line, column), (4, 14));
    assert!(message.ends_with("(in field `received`)"), "{message}");
    let (jline, _, jmessage) = syntax(
        "{\"patient\": {\"age\": 40}, \"requester\": \"Patient\",\n\"received\": \"2026-13-01\", \
         \"sections\": [\"Labs\"]}",
    );
    assert_eq!(jline, 2);
    assert!(jmessage.ends_with("(in field `received`)"), "{jmessage}");
}

#[test]
fn roi_input_inconsistencies_are_listed() {
    let err = Request::parse(
        "(patient: (died: \"2026-04-01\"), requester: Patient, received: \"2026-03-02\", \
         sections: [Labs, Labs])",
    )
    .expect_err("invalid");
    assert_eq!(
        err,
        RonInputError::Invalid(vec![
            "patient: give `age` or `birth_date`".to_owned(),
            "patient.died is after the request date".to_owned(),
            "sections: a section is listed twice".to_owned(),
        ])
    );
    let empty = Request::parse(
        "(patient: (age: 3), requester: Patient, received: \"2026-03-02\", sections: [])",
    )
    .expect_err("invalid");
    assert_eq!(
        empty,
        RonInputError::Invalid(vec!["sections: ask for at least one section".to_owned()])
    );
}

// ---- command line ----

#[test]
fn roi_cli_prints_the_decision_and_exits_0() {
    let path = fixture_path("07_patient_electronic_copy.ron");
    let out = crate::ehr_sim_command()
        .args(["key", "roi"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.starts_with("sections:\n  progress notes: release (45 CFR 164.524(a)(1))"),
        "{text}"
    );
    assert!(text.contains(
        "deadline: 2026-03-11 (extension to 2026-04-10 with written notice by 2026-03-11)"
    ));
    assert!(
        text.contains("fee: cost-based, no search or retrieval fee; or a flat fee up to $6.50")
    );
    assert!(text.contains(
        "accounting: not logged - a disclosure to the individual (45 CFR 164.528(a)(1)(ii))"
    ));
    let json = crate::ehr_sim_command()
        .args(["key", "roi", "--json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(json.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["sections"][0]["action"], "Release");
    assert_eq!(value["deadline"]["due"], "2026-03-11");
    assert_eq!(value["fee"]["CostBased"]["flat_fee_option"], true);
    assert_eq!(value["findings"][0]["reference"], "45 CFR 164.514(h)");
}

#[test]
fn roi_cli_exits_1_on_a_bad_or_missing_file() {
    let dir = std::env::temp_dir().join(format!("ehr-sim-roi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "(\n  patient: (age: 40),\n  requester: Landlord,\n)").expect("write");
    let big = dir.join("big.json");
    std::fs::write(&big, " ".repeat(300 * 1024)).expect("write");
    for (path, expected) in [
        (bad.clone(), format!("{}:3:14: ", bad.display())),
        (dir.join("missing.ron"), "cannot read".to_owned()),
        (big.clone(), "a request file is at most 262144".to_owned()),
    ] {
        let out = crate::ehr_sim_command()
            .args(["key", "roi"])
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&expected), "{err}");
        assert!(out.stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn roi_rule_part2_records_of_a_minor_are_left_to_state_law() {
    for requester in ["Patient", "Parent()"] {
        let d = inline(&request("age: 15", requester, "Part2Records", ""));
        assert_eq!(
            actions(&d),
            vec![(Section::Part2Records, Action::NotDecided, "42 CFR 2.14")],
            "{requester}"
        );
    }
    let guardian = inline(&request(
        "age: 50",
        "PersonalRepresentative(authority: Guardian)",
        "Part2Records",
        "",
    ));
    assert_eq!(
        actions(&guardian),
        vec![(
            Section::Part2Records,
            Action::AskFor(Missing::Part2Consent),
            "42 CFR 2.15; 42 CFR 2.31"
        )]
    );
}

/// A Part 2 consent that came with the request: a valid one releases the records with the 2.32
/// notice; one lacking 2.31(a) elements goes back for correction, as an authorization does; an
/// expired one needs a new consent; a revoked one is refused. The other sections follow the
/// authorization alone.
#[test]
fn roi_rule_a_part2_consent_releases_returns_asks_or_refuses() {
    let auth = "authorization: (covers: CompleteRecord, expires: Date(\"2027-03-31\"), \
                signed: \"2026-02-20\")";
    let part2 = |consent: &str| {
        let d = inline(&request(
            "age: 38",
            "Insurer(health_plan_paying_for_care: false)",
            "Labs, Part2Records",
            &format!("{auth}, part2_consent: ({consent})"),
        ));
        assert_eq!(d.sections[0].action, Action::Release, "{consent}");
        (d.sections[1].action.clone(), d.part2_notice.is_some())
    };
    assert_eq!(part2("expires: \"2027-03-31\""), (Action::Release, true));
    assert_eq!(
        part2("missing: [Description, Expiration]"),
        (Action::ReturnForCorrection, false)
    );
    assert_eq!(
        part2("expires: \"2026-03-01\""),
        (Action::AskFor(Missing::Part2Consent), false)
    );
    assert_eq!(
        part2("missing: [Description], revoked: true"),
        (Action::Deny, false)
    );
}
