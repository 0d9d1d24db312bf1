//! Printable claim forms (`report::claim_form::html`, `ehr-sim claim print`): values land in
//! their boxes, every value is escaped, the page is self-contained, and lines beyond the paper
//! form continue on a second page. docs/domain/claims.md §10.

use std::path::{Path, PathBuf};

use ehr_sim::report::claim_form::html;
use ehr_sim::tasks::claims::{Claim, Cms1500, Ub04, parse};

use crate::ehr_sim_command;

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/claims")
        .join(name)
}

fn fixture(name: &str) -> Claim {
    let path = fixture_path(name);
    parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn professional() -> Cms1500 {
    match fixture("professional_clean.ron") {
        Claim::Professional(c) => *c,
        Claim::Institutional(_) => panic!("not a CMS-1500"),
    }
}

fn institutional() -> Ub04 {
    match fixture("hospice_month_clean.ron") {
        Claim::Institutional(u) => *u,
        Claim::Professional(_) => panic!("not a UB-04"),
    }
}

/// The value printed in the box or cell with this id (`None` when there is no such id).
fn value(page: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    assert!(page.matches(&marker).count() <= 1, "{id} is not unique");
    let at = page.find(&marker)?;
    let rest = &page[at..];
    let open = rest.find('>')? + 1;
    let rest = &rest[open..];
    if rest.starts_with("<span class=\"n\">") {
        let v = rest.find("<span class=\"v\">")? + "<span class=\"v\">".len();
        let rest = &rest[v..];
        Some(rest[..rest.find("</span>")?].to_owned())
    } else {
        Some(rest[..rest.find("</td>")?].to_owned())
    }
}

fn v(page: &str, id: &str) -> String {
    value(page, id).unwrap_or_else(|| panic!("no box {id}"))
}

#[test]
fn cms1500_fields_land_in_their_items() {
    let c = professional();
    let page = html(&Claim::Professional(Box::new(c.clone())));
    assert_eq!(v(&page, "box-1a"), c.insured_id);
    assert_eq!(v(&page, "box-2"), c.patient_name);
    assert_eq!(
        v(&page, "box-3"),
        c.birth_date.unwrap().format("%m %d %Y").to_string()
    );
    assert_eq!(v(&page, "box-21-ind"), "0");
    assert_eq!(v(&page, "box-21A"), c.diagnoses[0]);
    assert_eq!(v(&page, "box-24d-1"), {
        let l = &c.lines[0];
        std::iter::once(l.hcpcs.clone())
            .chain(l.modifiers.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    });
    assert_eq!(v(&page, "box-24e-1"), c.lines[0].pointers);
    assert_eq!(v(&page, "box-24j-1"), c.lines[0].rendering_npi);
    let total = c.total_charge_cents.unwrap();
    assert_eq!(
        v(&page, "box-28"),
        format!("{}.{:02}", total / 100, total % 100)
    );
    assert_eq!(v(&page, "box-33a"), c.billing.as_ref().unwrap().npi);
    // Every item box is drawn, filled or not; six service lines.
    for item in [
        "1", "4", "9", "10d", "17a", "19", "23", "27", "29", "32", "32a",
    ] {
        assert!(value(&page, &format!("box-{item}")).is_some(), "{item}");
    }
    assert!(value(&page, "box-24a-6").is_some());
    assert!(value(&page, "box-24a-7").is_none());
    assert_eq!(value(&page, "box-9").as_deref(), Some(""));
}

#[test]
fn professional_exact_values() {
    let c = Cms1500 {
        insured_id: "1EG4TE5MK72".into(),
        diagnoses: vec!["E11.9".into(), String::new(), "I10".into()],
        total_charge_cents: Some(12_345),
        ..Cms1500::default()
    };
    let page = html(&Claim::Professional(Box::new(c)));
    assert_eq!(v(&page, "box-1a"), "1EG4TE5MK72");
    assert_eq!(v(&page, "box-21A"), "E11.9");
    assert_eq!(v(&page, "box-21B"), "");
    assert_eq!(v(&page, "box-21C"), "I10");
    assert_eq!(v(&page, "box-28"), "123.45");
    assert_eq!(v(&page, "box-1"), "");
}

#[test]
fn ub04_fields_land_in_their_form_locators() {
    let u = institutional();
    let page = html(&Claim::Institutional(Box::new(u)));
    assert_eq!(v(&page, "fl-4"), "0812");
    assert_eq!(v(&page, "fl-6-from"), "030526");
    assert_eq!(v(&page, "fl-6-through"), "033126");
    assert_eq!(v(&page, "fl-8"), "SAMPLE, CARL");
    assert_eq!(v(&page, "fl-10"), "112041");
    assert_eq!(v(&page, "fl-11"), "M");
    assert_eq!(v(&page, "fl-12"), "030526");
    assert_eq!(v(&page, "fl-14"), "3");
    assert_eq!(v(&page, "fl-15"), "2");
    assert_eq!(v(&page, "fl-17"), "30");
    assert_eq!(v(&page, "fl-31a"), "27");
    assert_eq!(v(&page, "fl-31a-date"), "030526");
    assert_eq!(v(&page, "fl-32a"), "");
    assert_eq!(v(&page, "fl-42-1"), "0551");
    assert_eq!(v(&page, "fl-43-1"), "SKILLED NURSING");
    assert_eq!(v(&page, "fl-44-1"), "G0299");
    assert_eq!(v(&page, "fl-45-1"), "030526");
    assert_eq!(v(&page, "fl-46-1"), "4");
    assert_eq!(v(&page, "fl-47-1"), "0.00");
    assert_eq!(v(&page, "fl-42-5"), "0651");
    assert_eq!(v(&page, "fl-44-5"), "Q5001");
    assert_eq!(v(&page, "fl-46-5"), "27");
    assert_eq!(v(&page, "fl-47-5"), "5940.00");
    // The 0001 line prints as the line-23 totals, not as a revenue line.
    assert_eq!(v(&page, "fl-42-6"), "");
    assert_eq!(v(&page, "fl-47-total"), "5940.00");
    assert!(page.contains("PAGE 1 OF 1"));
    assert_eq!(v(&page, "fl-56"), "2876543218");
    assert_eq!(v(&page, "fl-60"), "2EG4TE5MK74");
    assert_eq!(v(&page, "fl-66"), "0");
    assert_eq!(v(&page, "fl-67"), "C34.90");
    assert_eq!(v(&page, "fl-67A"), "F17.210");
    assert_eq!(v(&page, "fl-67B"), "");
    assert_eq!(v(&page, "fl-76"), "1345678902");
    // All 81 form locators are drawn (FL 42-49 as the line columns), and 22 revenue lines.
    for fl in (1..=41).chain(50..=81).filter(|n| !(31..=36).contains(n)) {
        let key = match fl {
            3 => "fl-3a".to_owned(),
            6 => "fl-6-from".to_owned(),
            39..=41 => format!("fl-{fl}a"),
            _ => format!("fl-{fl}"),
        };
        assert!(value(&page, &key).is_some(), "{key}");
    }
    for key in [
        "fl-31a", "fl-34b", "fl-35a", "fl-36b", "fl-41d", "fl-67Q", "fl-74e",
    ] {
        assert!(value(&page, key).is_some(), "{key}");
    }
    assert!(value(&page, "fl-42-22").is_some());
    assert!(value(&page, "fl-42-23").is_none());
}

#[test]
fn values_are_escaped() {
    let mut u = institutional();
    u.patient_name = "<script>alert('x')</script> & \"Co\"".into();
    let page = html(&Claim::Institutional(Box::new(u)));
    assert_eq!(
        v(&page, "fl-8"),
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"
    );
    assert!(!page.contains("<script"));
    let mut c = professional();
    c.patient_name = "<script>x</script>".into();
    c.lines[0].hcpcs = "<b>".into();
    let page = html(&Claim::Professional(Box::new(c)));
    assert_eq!(v(&page, "box-2"), "&lt;script&gt;x&lt;/script&gt;");
    assert!(v(&page, "box-24d-1").starts_with("&lt;b&gt;"));
    assert!(!page.contains("<script"));
}

#[test]
fn the_page_is_self_contained_and_letter_sized() {
    for claim in [
        Claim::Professional(Box::new(professional())),
        Claim::Institutional(Box::new(institutional())),
    ] {
        let page = html(&claim);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("@page { size: letter;"));
        for external in [
            "<script", "<link", "src=", "http://", "https://", "@import", "url(",
        ] {
            assert!(!page.contains(external), "{external}");
        }
        assert_eq!(page.matches("<section class=\"page\"").count(), 1);
        assert!(page.contains("SYNTHETIC PATIENT DATA"));
    }
}

#[test]
fn a_ub04_with_more_than_22_lines_continues_on_a_second_page() {
    let mut u = institutional();
    let total = u.lines.pop().unwrap();
    let visit = u.lines[0].clone();
    while u.lines.len() < 25 {
        u.lines.insert(0, visit.clone());
    }
    u.lines.push(total);
    let page = html(&Claim::Institutional(Box::new(u)));
    assert_eq!(page.matches("<section class=\"page\"").count(), 2);
    let second = &page[page.find("id=\"page-2\"").unwrap()..];
    assert!(second.contains("id=\"fl-42-23\""));
    assert!(second.contains("id=\"fl-42-25\""));
    assert!(second.contains("PAGE 2 OF 2"));
    assert_eq!(v(&page, "fl-42-25"), "0651");
    assert_eq!(v(&page, "fl-46-25"), "27");
    assert_eq!(v(&page, "fl-42-26"), "");
    let first = &page[..page.find("id=\"page-2\"").unwrap()];
    assert!(first.contains("id=\"fl-42-22\""));
    assert!(first.contains("PAGE 1 OF 2"));
    assert!(first.contains("CONTINUED"));
    // The total prints once, on the last page; the header repeats without its ids.
    assert!(second.contains("id=\"fl-47-total\""));
    assert_eq!(v(&page, "fl-47-total"), "5940.00");
    assert!(!second.contains("id=\"fl-4\""));
    assert!(second.contains("0812"));
}

#[test]
fn a_cms1500_with_more_than_6_lines_continues_on_a_second_page() {
    let mut c = professional();
    let line = c.lines[0].clone();
    while c.lines.len() < 7 {
        c.lines.push(line.clone());
    }
    let page = html(&Claim::Professional(Box::new(c)));
    assert_eq!(page.matches("<section class=\"page\"").count(), 2);
    assert_eq!(v(&page, "box-28"), "CONTINUED");
    let second = &page[page.find("id=\"page-2\"").unwrap()..];
    assert!(second.contains("id=\"box-24d-7\""));
    assert!(!second.contains("id=\"box-28\""));
    assert!(second.contains("page 2 of 2"));
}

#[test]
fn cli_claim_print_writes_the_page() {
    let dir = std::env::temp_dir().join(format!("ehr-sim-claims-print-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("claim.html");
    let out = ehr_sim_command()
        .args(["claim", "print"])
        .arg(fixture_path("professional_clean.json"))
        .arg("-o")
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(
        v(&page, "box-1a"),
        match fixture("professional_clean.json") {
            Claim::Professional(c) => c.insured_id,
            Claim::Institutional(_) => unreachable!(),
        }
    );
    let stdout = ehr_sim_command()
        .args(["claim", "print"])
        .arg(fixture_path("hospice_month_clean.ron"))
        .output()
        .unwrap();
    assert!(stdout.status.success());
    assert_eq!(
        v(&String::from_utf8(stdout.stdout).unwrap(), "fl-4"),
        "0812"
    );
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "Institutional((\n  type_of_bil: \"0812\"))").unwrap();
    let out = ehr_sim_command()
        .args(["claim", "print"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.ron:2:"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_empty_line_list_still_prints_one_page() {
    let page = html(&Claim::Institutional(Box::default()));
    assert_eq!(page.matches("<section class=\"page\"").count(), 1);
    assert_eq!(v(&page, "fl-47-total"), "");
}

/// The payer fields: the carrier block and items 9a, 9d, 11d on the CMS-1500; FL 50 and 60 with
/// their A/B lines, FL 64 and the MS-DRG in FL 71 on the UB-04.
#[test]
fn payer_fields_land_in_their_boxes() {
    let mut c = professional();
    c.payer_name = "Blue Valley Health Plan".to_owned();
    c.other_insured_policy = "MG0042".to_owned();
    c.other_plan_name = "Keystone Medigap".to_owned();
    c.another_plan = Some(true);
    let page = html(&Claim::Professional(Box::new(c)));
    assert_eq!(v(&page, "box-carrier"), "Blue Valley Health Plan");
    assert_eq!(v(&page, "box-9a"), "MG0042");
    assert_eq!(v(&page, "box-9d"), "Keystone Medigap");
    assert_eq!(v(&page, "box-11a"), "11d: [X] YES");
    let mut u = institutional();
    u.payer_names = vec!["Medicare Part A".to_owned(), "Keystone Medigap".to_owned()];
    u.other_insured_ids = vec!["MG0042".to_owned()];
    u.document_control_number = "DCN 2026 0042".to_owned();
    u.pps_code = "419".to_owned();
    let insured = u.insured_id.clone();
    let page = html(&Claim::Institutional(Box::new(u)));
    assert_eq!(v(&page, "fl-50"), "A Medicare Part A\nB Keystone Medigap");
    assert_eq!(v(&page, "fl-60"), format!("A {insured}\nB MG0042"));
    assert_eq!(v(&page, "fl-64"), "DCN 2026 0042");
    assert_eq!(v(&page, "fl-71"), "419");
}
