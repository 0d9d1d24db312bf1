//! Demographics: name (matching sex), date of birth from the age spec and the as-of date, MRN,
//! address, phone in the fictitious 555-01xx range, language, payer and emergency contact.

use chrono::{Days, Months, NaiveDate};
use fake::faker::address::en::{CityPrefix, CitySuffix, StateAbbr, StreetSuffix};
use fake::faker::name::en::{FirstName, LastName};
use fake::{Fake, Faker};

use super::names::{
    ADULT_CONTACT_RELATIONSHIPS, CHILD_CONTACT_RELATIONSHIPS, FEMALE_GIVEN, MALE_GIVEN,
};
use super::rng::{SimRng, chance, digits, in_pair, one_of, pick, pick_index};
use crate::patient::spec::{AgeSpec, PatientSpec, Weighted};
use crate::patient::{Address, Contact, Demographics, Insurance, Sex, age_in_years};

/// Draws the demographics of one patient.
pub fn demographics(rng: &mut SimRng, spec: &PatientSpec, as_of: NaiveDate) -> Demographics {
    let female_share = if spec.sex.female + spec.sex.male > 0.0 {
        spec.sex.female / (spec.sex.female + spec.sex.male)
    } else {
        0.5
    };
    let sex = if chance(rng, female_share) {
        Sex::Female
    } else {
        Sex::Male
    };
    let birth_date = birth_date(rng, spec.age, as_of);
    let age_years = age_in_years(birth_date, as_of);
    let given_name = given_name(rng, sex);
    let family_name: String = LastName().fake_with_rng(rng);
    let address = Address {
        line: {
            let number = rng_number(rng, 100, 9899);
            let (name, suffix) = street(rng);
            format!("{number} {name} {suffix}")
        },
        city: city(rng),
        state: StateAbbr().fake_with_rng(rng),
        postal_code: format!("{:05}", rng_number(rng, 1001, 99_950)),
    };
    let phone = phone(rng);
    let language = pick(rng, &spec.languages)
        .cloned()
        .unwrap_or_else(|| "English".to_string());
    let interpreter_needed = language != "English";
    let payer = payer(rng, &spec.payers, age_years);
    let insurance = Insurance {
        member_id: member_id(rng, &payer),
        payer,
    };
    let relationships = if age_years < 18 {
        CHILD_CONTACT_RELATIONSHIPS
    } else {
        ADULT_CONTACT_RELATIONSHIPS
    };
    let relationship = match one_of(rng, relationships).copied().unwrap_or("Friend") {
        // An adult son or daughter needs a parent of at least 36 (18 + 18): a sibling instead.
        "Daughter" if age_years < 36 => "Sister",
        "Son" if age_years < 36 => "Brother",
        other => other,
    };
    let contact_sex = match relationship {
        "Mother" | "Grandmother" | "Daughter" | "Sister" => Sex::Female,
        "Father" | "Son" | "Brother" => Sex::Male,
        "Spouse" | "Partner" => {
            if chance(rng, 0.9) {
                if sex == Sex::Female {
                    Sex::Male
                } else {
                    Sex::Female
                }
            } else {
                sex
            }
        }
        _ => {
            if chance(rng, 0.5) {
                Sex::Female
            } else {
                Sex::Male
            }
        }
    };
    let contact_family = match relationship {
        "Friend" | "Guardian" => LastName().fake_with_rng(rng),
        _ => family_name.clone(),
    };
    let emergency_contact = Contact {
        name: format!("{} {}", given_name_of(rng, contact_sex), contact_family),
        relationship: relationship.to_string(),
        phone: phone_of(rng),
    };
    Demographics {
        mrn: digits(rng, 8),
        given_name,
        family_name,
        sex,
        birth_date,
        age_years,
        address,
        phone,
        language,
        interpreter_needed,
        insurance,
        emergency_contact,
    }
}

/// The primary payer, coherent with age: from 65 the Medicare entries (when the scenario lists
/// any), under 65 the others (when there are any); otherwise the whole list.
/// A street name and suffix, drawn as the `fake` crate's English `StreetName` draws them (a
/// first or a last name, then the suffix; it writes them as "{name} {suffix}").
fn street(rng: &mut SimRng) -> (&'static str, &'static str) {
    let name: &'static str = if Faker.fake_with_rng::<bool, _>(rng) {
        FirstName().fake_with_rng(rng)
    } else {
        LastName().fake_with_rng(rng)
    };
    (name, StreetSuffix().fake_with_rng(rng))
}

/// A city name, drawn and written as the `fake` crate's English `CityName` does (one time in
/// five "{prefix} {first name} {last name}{suffix}", else "{first name}{suffix}" or "{last
/// name}{suffix}"), without its template replacements.
fn city(rng: &mut SimRng) -> String {
    match (0..5u8).fake_with_rng::<u8, _>(rng) {
        0 => {
            // `Name` is "{first name} {last name}", drawn in that order.
            let prefix: &str = CityPrefix().fake_with_rng(rng);
            let first: &str = FirstName().fake_with_rng(rng);
            let last: &str = LastName().fake_with_rng(rng);
            let suffix: &str = CitySuffix().fake_with_rng(rng);
            format!("{prefix} {first} {last}{suffix}")
        }
        1 => {
            let name: &str = FirstName().fake_with_rng(rng);
            let suffix: &str = CitySuffix().fake_with_rng(rng);
            format!("{name}{suffix}")
        }
        _ => {
            let name: &str = LastName().fake_with_rng(rng);
            let suffix: &str = CitySuffix().fake_with_rng(rng);
            format!("{name}{suffix}")
        }
    }
}

fn payer(rng: &mut SimRng, payers: &[Weighted<String>], age_years: u32) -> String {
    // Medicare payers for 65 and over, the others under 65; all of them when none fits.
    let fits = |w: &Weighted<String>| w.value.starts_with("Medicare") == (age_years >= 65);
    let any_fits = payers.iter().any(fits);
    pick_index(rng, payers, |w| (!any_fits || fits(w)).then_some(w.weight))
        .and_then(|i| payers.get(i))
        .map_or_else(|| "Self-pay".to_string(), |w| w.value.clone())
}

fn given_name(rng: &mut SimRng, sex: Sex) -> String {
    given_name_of(rng, sex)
}

fn given_name_of(rng: &mut SimRng, sex: Sex) -> String {
    let list = match sex {
        Sex::Female => FEMALE_GIVEN,
        Sex::Male => MALE_GIVEN,
    };
    one_of(rng, list).copied().unwrap_or("Alex").to_string()
}

fn rng_number(rng: &mut SimRng, lo: u32, hi: u32) -> u32 {
    in_pair(rng, (lo, hi))
}

fn phone(rng: &mut SimRng) -> String {
    phone_of(rng)
}

/// A phone number in the 555-0100..555-0199 range reserved for fiction.
fn phone_of(rng: &mut SimRng) -> String {
    let area = in_pair(rng, (201, 989));
    format!("({area}) 555-01{}", digits(rng, 2))
}

fn member_id(rng: &mut SimRng, payer: &str) -> String {
    if payer.starts_with("Medicare") {
        // Medicare Beneficiary Identifier shape: 1 digit, letter, alnum, digit, letter, alnum, digit, 2 letters, 2 digits.
        const LETTERS: &[u8] = b"ACDEFGHJKMNPQRTUVWXY";
        let letter = |rng: &mut SimRng| one_of(rng, LETTERS).map_or('A', |b| char::from(*b));
        let l1 = letter(rng);
        let l2 = letter(rng);
        let l3 = letter(rng);
        let l4 = letter(rng);
        let l5 = letter(rng);
        format!(
            "{}{l1}{}{}-{l2}{}{}-{l3}{l4}{}",
            in_pair(rng, (1, 9)),
            digits(rng, 1),
            digits(rng, 1),
            l5,
            digits(rng, 1),
            digits(rng, 2)
        )
    } else if payer == "Self-pay" {
        "none".to_string()
    } else {
        format!("SYN{}", digits(rng, 9))
    }
}

/// A uniform birth date at which the age on `as_of` is `months` (counted in steps of `step`
/// months): born after `months + step` months before `as_of` and no later than `months` before.
fn born_at_age_in_months(rng: &mut SimRng, as_of: NaiveDate, months: u32, step: u32) -> NaiveDate {
    let latest = as_of
        .checked_sub_months(Months::new(months))
        .unwrap_or(as_of);
    let earliest = as_of
        .checked_sub_months(Months::new(months.saturating_add(step)))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(latest);
    let span = u32::try_from((latest - earliest).num_days().max(0)).unwrap_or(0);
    latest
        .checked_sub_days(Days::new(u64::from(in_pair(rng, (0, span)))))
        .unwrap_or(latest)
}

/// A birth date giving an age inside the spec on `as_of`.
fn birth_date(rng: &mut SimRng, age: AgeSpec, as_of: NaiveDate) -> NaiveDate {
    match age {
        AgeSpec::Years(lo, hi) => {
            let years = in_pair(rng, (lo, hi));
            born_at_age_in_months(rng, as_of, years.saturating_mul(12), 12)
        }
        AgeSpec::Months(lo, hi) => {
            let months = in_pair(rng, (lo, hi));
            born_at_age_in_months(rng, as_of, months, 1)
        }
        AgeSpec::Days(lo, hi) => {
            let days = in_pair(rng, (lo, hi));
            as_of
                .checked_sub_days(Days::new(u64::from(days)))
                .unwrap_or(as_of)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::rng::rng_for;
    use crate::generate::text::months_between;

    #[test]
    fn streets_and_cities_are_the_fake_crates_with_the_same_draws() {
        use fake::faker::address::en::{CityName, StreetName};
        use rand::Rng;
        for seed in 0..4000 {
            let (mut ours, mut theirs) = (rng_for(seed), rng_for(seed));
            let (name, suffix) = street(&mut ours);
            let expected: String = StreetName().fake_with_rng(&mut theirs);
            assert_eq!(format!("{name} {suffix}"), expected, "seed {seed}");
            assert_eq!(
                city(&mut ours),
                CityName().fake_with_rng::<String, _>(&mut theirs)
            );
            assert_eq!(ours.next_u64(), theirs.next_u64(), "seed {seed}");
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn birth_dates_give_ages_in_range() {
        let as_of = date(2026, 3, 4);
        let mut rng = rng_for(11);
        for _ in 0..2000 {
            let b = birth_date(&mut rng, AgeSpec::Years(40, 45), as_of);
            let age = age_in_years(b, as_of);
            assert!((40..=45).contains(&age), "{b} gives {age}");
            let b = birth_date(&mut rng, AgeSpec::Months(2, 5), as_of);
            let m = months_between(b, as_of);
            assert!((2..=5).contains(&m), "{b} gives {m} months");
            let b = birth_date(&mut rng, AgeSpec::Days(3, 20), as_of);
            let d = (as_of - b).num_days();
            assert!((3..=20).contains(&d));
        }
    }
}
