//! Generated cases are byte-identical across program changes that mean to keep them: for every
//! shipped scenario, the SHA-256 of the cases of seeds 1..=SEEDS (indices 0..INDICES each),
//! serialized as `ehr-sim generate --format json` prints them, is pinned here. The digests were
//! computed with the generator as it stood before its performance work; a change to any byte of
//! any case (patient, notes, task material, triage shift, hospice timeline, access log…) fails
//! the test and names the scenario.
//!
//! A scenario added or changed on purpose gets its new line from the failure message.

use sha2::{Digest, Sha256};

/// Seeds per scenario.
const SEEDS: u64 = 6;
/// Patient indices per seed.
const INDICES: u32 = 2;
/// Access-audit cases carry a whole access log (up to 50,000 events): one seed, one index.
const HEAVY: &[&str] = &[
    "community_hospital",
    "ed_break_the_glass",
    "hospital_50k",
    "small_clinic",
    "terminated_bulk_export",
];

/// The digest of one scenario's corpus: every case as pretty JSON (the `generate --format
/// json` form), each followed by a newline, in (seed, index) order.
fn digest(loaded: &ehr_sim::scenario::LoadedScenario) -> String {
    let (seeds, indices) = if HEAVY.contains(&loaded.scenario.id.as_str()) {
        (1, 1)
    } else {
        (SEEDS, INDICES)
    };
    let mut hasher = Sha256::new();
    for seed in 1..=seeds {
        for index in 0..indices {
            let case = ehr_sim::case::generate(loaded, seed, index);
            hasher.update(serde_json::to_string_pretty(&case).expect("serializes"));
            hasher.update(b"\n");
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn generated_cases_of_every_shipped_scenario_are_unchanged() {
    let root = ehr_sim::library::ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let (mut all, bad) = root.load_all().expect("scenarios");
    assert!(bad.is_empty(), "{bad:?}");
    all.sort_by(|a, b| a.scenario.id.cmp(&b.scenario.id));
    let actual: String = all
        .iter()
        .map(|s| format!("{} {}\n", s.scenario.id, digest(s)))
        .collect();
    assert_eq!(
        actual, PINNED,
        "generated cases changed; the digests now are:\n{actual}"
    );
}

/// `scenario-id sha256` per shipped scenario, sorted by id.
const PINNED: &str = "\
adult_chest_pain ef743cdb5f287f91599214a1f79d0a73450dd7676e0befe624e30dd4b259049d\n\
adult_evening_shift a08bd228094860766998b171fd1421d7a49cf0c2711d7e7158bc77d54dbdd3f9\n\
adult_overnight_shift 2c4bac271289cd7d46a0224b770b94efdd4b1c81c25fecb42d0a7007b17b8e1c\n\
attorney_part2_consent_incomplete 6bb26f0f38e0351c1732fc07c1068d989762033e4045f49bb661642b18a63f5a\n\
attorney_psychotherapy_notes 782fc76b7fcafacf5a1da28f8d927b666d8f0088182b284fb8aafc49f8379f0c\n\
attorney_subpoena 51a889f10beba7eda3b09348af2a1c25df73255306f845d6c456e681b5513b64\n\
behavioral_depression_followup ded2e0f2af5233bc0292244c0cc34af44bcb199ef901a0ba33a66fd0169a5656\n\
behavioral_new_anxiety 806867374156724b466566000d847495b8f3d6eb5c3a89664dc91b4efeab7c5a\n\
chc_short_day_prostate_cancer 726f24e6e2bccbc676de8d9eb537a706d6c6a7c40153f3579390d8f7313a4dc6\n\
community_hospital 5561dbbcca01750142f0620d979078e64fd1bcc8993c35ebd54146883c9168e2\n\
compliant_recert_period2_emphysema 5aa15b22a6fde527740f94edaff672e4beb3bcbabf55afa9a9144c921661c173\n\
denied_claim_resubmission 5089286eb98ab6281c45a77585cb38f623be1789b19db80accd34aa78c1e6c63\n\
disability_insurer_part2_consent 6c874907b1e7e4f23f4a80412dbb4ae1799e9894f0ccca22266335f9ba796282\n\
early_initial_cert_ckd 5c273b34c8384cf315f596c811ecaba0bf561a99f01f4dfa8e8a7cbafc2b46ca\n\
early_recert_period2_ipf f4335e4f13f9943d353400693e54e50791ac86ec63c8b915fc75bc09ae9b5744\n\
ed_ace_inhibitor_angioedema 8ea7454833242c4b5eca3107184f869d4f6129d1c0ba75a022e94e34ec928993\n\
ed_beta_blocker_bradycardia 72c38af4cc9573295c9997f7a9f49195d7a099605c84c0f24f3ae18138e0d93a\n\
ed_break_the_glass 1c9904bf66fb372da843a375d36d5178e4ddb8f61d95995342f599a095ea7859\n\
ed_chest_pain_rule_out cae209b9acd1a46566f1ba73799d7ca23f2c15cdee3434f9d3819a51c44b3eab\n\
ed_distal_radius_fracture 18b0ad89a52261bac9ed07aa3a09f72417ad4bed541171cabd8ca81c695c5fae\n\
ed_dog_bite_hand fcc5be9b896cdef2863e4747836c9bc2bd15dbdd6c2b8ecee99d295a92a6fe6d\n\
ed_pediatric_asthma 2d24b8999fd0c61efd50a456efa4c2c45dc908a6be9c6780005965f2356969b8\n\
ed_visit_ub04_outpatient ffa315f422728c7288fe9aff3d88393c61a50da028c2d566b2c4d3c393d13ee9\n\
executor_decedent bca2b47e9c7bacef97ac010ac10461f297b6bc145b033a5251572736a671a764\n\
first_election_dementia a6fdd063985bd2d6cad48ce8b9a83ef834718b60fa15c81fd0ce20975e86366c\n\
gip_recert_signer_pancreatic 67e8a84dc6da5ab35584ad42470401d5ac3613af3532ec1ecdee1283feb218c3\n\
high_risk_presentations 922e8993a76265d72b841b604af57ab15c84f4573ec246af1ff17e6fd4c024c5\n\
hospice_month_level_change_day61 6c8edf194ddffe08b240702c6375e6d9aefff02ed5872bceb14f3210369d7405\n\
hospice_notice_of_election 5f7b6646a8584b6195865690a6f032024c918251ec4ac5cd62982db5d8d9a0c9\n\
hospice_notice_of_revocation f16c814eef37ddca9cf521b09a99241e0630dd0d74396dca481ffd10e5e51c89\n\
hospital_50k f4699cdb44f4782001b17d535923be7e563198acd00504b83cd17c6761f2b655\n\
infant_fever 3406d2e93a976b1510bd2fcdbdafc39c4f300f1276064f31b1a7287f0d56b218\n\
initial_cert_without_attending_glioblastoma 2ef8b3ddeb88937f7aecb78ea63275e76a76af725c6734546f5f71a080bce4d6\n\
inpatient_acute_on_chronic_hf_htn a2f1ee45e35279e7427c334ae5ee2f5e2f7a9903b9338e90eb74855db35f3d81\n\
inpatient_alcohol_withdrawal c9f64098ebd4d22c550f75cf9b4bc95a0b931d3deaa6dce0e7ed83b6d212ab7b\n\
inpatient_appendicitis_appendectomy b2e5d4b90f49db1cb16be61592f739bb4c7c7e98b4c97d7fdf557cd1cc0d5bcb\n\
inpatient_cesarean_delivery 05838966e43c7f215db11d0265d4afc00d7bcb0d1a108e85bca64c4130feb882\n\
inpatient_copd_exacerbation_pneumonia a9d80cad7583e855e72a86117fc207a956c52419fd4adf149c47d2dea3b7cbad\n\
inpatient_esrd_hemodialysis_cellulitis 791b04bac9065a8c08d30b00c1e26aea6886808549ff82b799b2127abf85cb3c\n\
inpatient_hip_fracture_fall 27686ba08e7d3694069f75d532067ae7f2d0a36be8e7725a20fbb8305db8a3ed\n\
inpatient_ischemic_stroke_tpa fd847f8958d422f94ea3c6eff61fe6ddd72038dd3aa3b4671a2fa5602f2ed326\n\
inpatient_lap_cholecystectomy 01074a123ec0d5f5681e500b422410e13087756a0c22d7a59a979993f2f046ba\n\
inpatient_newborn_jaundice_phototherapy 465b322a84d899fcb95660804d177ce74f247418f98c23236b954b74d5f0b7bd\n\
inpatient_pneumonia_pressure_ulcer_poa d758179a9fd95f3c9bb6845cfa5e8d572ea7873c46d4c52d916be2f8217c0805\n\
inpatient_sepsis_pneumonia e90c08958c39d061c87ee8cc17c5338cb2293c15f91c9e8490e42604939966c1\n\
inpatient_stay_ub04_drg 3e3f929d7d8804d7101df0cbc4008866187c47ab4c28064088fde96737c08462\n\
inpatient_stemi_pci 3936270566e3a0e18224eec8ec0dd2510979c4c409ffab6a2da1d0d7556bd89d\n\
inpatient_upper_gi_bleed_ulcer 8ad8c944918b82594c2343c61cf8f747929323c49523712e80b3aed720673665\n\
inpatient_urosepsis_septic_shock a1d8343f206e70eec25ff33600ce3bf51e3579dc0d7bb56d6eb59b5e970d932c\n\
inpatient_vaginal_delivery 18d1b35b8c86382d5aa5e82f76fd6667b6ca07d674a33db1fd71eec6e2d15bdf\n\
late_noe fe3237e8f660e305a7c6b0946d560aedc2bac7d614755bd9b739de7f76ff7333\n\
life_insurer_no_expiration d6572e07019fdf8a93cc494b25432decdc408f13d649a5c139dd560356bb6074\n\
live_discharge_reelection_hf 232d338e35d0f813d4f36ca82fd3a0d72f1df079a2c19fcbe50cd86ba5bc2e2a\n\
missed_huv1_hepatocellular ab14eb30e80caf900ff82ecd04266dd0c8a0baa25b87a695ff0c487bacdfa5a2\n\
missed_huv2_sfv_colon_cancer bd04bae0e6223dd6ef3123445aed9cd14338596eacd995bb1286e5c1620f43f2\n\
missing_f2f_period3_lewy_body bb69fc4461bd2a0e40acd862cc6f63ff951d5314426eba9ff8dc35ce70581208\n\
mixed_shift 08b46e9a66d32f619a5b9dc004db6da331326905e8b5656b54c6267b685f8be6\n\
new_election_period3_lung_cancer 2757a5751ff70123f0ea693b03e60f33a0d4adb787fbe3d8fe7e7a6af2fd4260\n\
noncustodial_parent ce6a29767c04f4497bf61fa799783d1682b951964ecd4838b57443a14c6e5c43\n\
ob_gyn_and_geriatric_shift 23e5d13f501716301af617d320dace3ec8965732569404b3912b085d08018fac\n\
office_alcohol_use_disorder 09a4fa34eb11ce0853bbb6e23e39759d8ba00e438f028cfc9aec41b01062c7b8\n\
office_ankle_fracture_followup 746ca3f79a87481d9621ae1a6ec4226e1373d56406f496cce2b8d05694ac567b\n\
office_depression_anxiety d9c8b2fdebe8bd87e2164e26ff18fcf1c6311098d8a2b040e27cd51de3af6915\n\
office_htn_diabetes_followup 0f38f045227b7fbdf23445ca8d8198ac464507fb6a757992020c7447aa5f8bf5\n\
office_hypertension_med_change d6ff6d506f88f4c0f9dcfc09ec1355416f8c12e89584e4513f4efcc79aa819be\n\
office_iron_deficiency_anemia ee1d48e5576dab792ca093558ad01eb937d71270859c396a7950e8b0d386a938\n\
office_low_back_pain 75392e807e7e48d8cbcb57d816ca160fe82d37805477b0feb17e4ac43ccdf623\n\
office_migraine 61374c41967fdb18157af4535667c9bdb6360bfa9bce7560a5c1421dc7025679\n\
office_otitis_media dcc6165794d6d120537f42f7b6f318b17ec7a942bdf7cfc80cdbf627ba788459\n\
office_skin_infection_leg a7e7600cd0fdef9490cb5c91bb866f6aa104c2652ae8eec5fbaab41a2ad1c0e2\n\
office_sore_throat c58cb696709636eb8d3d1e93d7fbb5846e7645f4be6ff2e194bcf7d2029c1d95\n\
office_urinary_infection 7b0f520cfcec8e2dda59c67575dec615ae9fa0b8ba5ff0db9b5d819ff1eba467\n\
office_visit_cms1500 d7d9a747939e75a46691a3bf2d86e427c633734907af6374807c1a4ef9e0a008\n\
outpatient_colon_cancer_chemotherapy 6eed528c6b50da4878be32fbdeb98783af5d4d80a0d2e46c5b09e9c37dd95da0\n\
outpatient_copd_exacerbation 0c48b570e24c117c201de80fa75f73b5e8c5d356a17b365652b7de98aeb0419b\n\
outpatient_diabetes_ckd 1303ddcea5723923dbf62fa7da51aa46ab3f97f149fa02f107ca82b6905eeeec\n\
outpatient_gestational_hypertension 1e7d6aab9dcb2d0c09d73de8966ec82e30e825ab15d99120708be78ac7f79322\n\
outpatient_hypertensive_heart_ckd cab0111f47e8f5ecbd01d73c8338d2efcbbe534556e05ea4f6aa8aac4bac4575\n\
outpatient_screening_colonoscopy 08df6c59fb98fe1aa3145c450879aebce90517ed73e591fea00cf6ff52afb877\n\
parent_minor_consented_care 91cd457c64ca277bcf059b06b79c0dadc442805691ca4fcc27da72bd1e875ffd\n\
parent_minor_consented_care_state_rule d151e89871c4ced13f9afecb7bddbaaf20a9bb40cdaf0a91d6ca6fa401cf761b\n\
patient_electronic_copy 2683b1955850348b2fdb67071145ccd3d55be3c447aa485a483a4d2022e79b5f\n\
pediatric_adolescent_sports_physical 05f05165605b6695b2608ade8c9acea5e09a867e058909fc08509b9b78ebcc49\n\
pediatric_asthma_visit adc5a5a25b5de4f7f0f297f801fc4e50f854c768f3015f07e0e0870303109b57\n\
pediatric_day_shift 564d5d7ac4b188ac91a4bdab2d62609093904d3f77b19659694cef4effa92130\n\
pediatric_infant_well_visit dbd26c4a3d96460c17bcb3cf7a8a6cab7e2ac3df1948a20fd33f3f27b409bc48\n\
pediatric_obesity_followup 6d825cf1419629920c3966e99805a0bd8e0707481706e72f6b03057b4618afbd\n\
pediatric_shift 655bc90925d5824856d3c863a3395c596fc2c953974367757c80c6eb2eaae9ed\n\
pediatric_trauma_shift 9bf756dcd15574dc983715a6090c21d59fe6b47b7cffbae09fcb704474216d5d\n\
police_without_warrant 8f31594213cdf2b2c81c192a0f016e9fb708778032b84f74418c82d33f6361be\n\
prenatal_intake_first_trimester 84a35ce43eaffde490095c51ea93498a6580d9579846ceee22a843847ec51122\n\
public_health_report 0bad79676276028d82a6f97740cce22beedc9038da052527787aa9617838541e\n\
recert_f2f_by_rn_copd c70f598b3856c4ca90e9ed802ca4f8ae23eac6dbfde66f9fc9880d4b43375cc5\n\
recertification_heart_failure 2444c11e51dbc6f599b3da90cd2ff183cad8965b27ffe5f37b40ab50403affa7\n\
resource_counting_traps e66604de19baee6ceea26164ba046ec9b02cd5ce644ef887b6593301e3ffb53a\n\
respite_beyond_five_days 4ec733bbe2be701b5815850a9a9ff7fec25a3fcadfda907d7c094f92f5228187\n\
respite_six_days_huntington 690b14a05d0edbe8bf6d07120029c60664fcaa62d7fe9281ffc7814301bacf84\n\
revocation_peg_chc_als 66ce02475bee6f638140d505676de0e5f911e456a631b7279244811275209072\n\
revocation_reelection 63853bf96b135f1e5b4648cc9c458fbfae376046de28cf8d0e580b8324be3d1a\n\
scrubber_prefilled_cms1500 1b5a948216f1668025d8a7284494f308ddabcec062802f5d04861b23f5dcc9a5\n\
secondary_payer_cms1500 2aab3d4acb961fde53a84d5e5e5cd3a99eb293d423dd31e9470997b926df1972\n\
small_clinic b333996f40f70784335b6f59d224ecf50a2182ffb20aaa32c52004d1a9cdba59\n\
subpoena_part2_records dcdf33f3768fc96cc94617dcfb470e2e960eb80004c10973ef4809999e06f9cf\n\
symptom_crisis_chc 852a49e59a9e13232e5ebe4d6df5d6fb65bc12efe6167bc234a457693f07e6b3\n\
synthea_bronchitis_htn 760e1c321fd1e284da346a3d632017a4eedf69cc67f313702c20745a88f87fc2\n\
synthea_htn_back_pain 39098e3f2b1795ec63477942c9e293a9ca8f3a8281ff07099f7ea4939fbc3342\n\
terminated_bulk_export 1bab4f771a3bc64dcd85c0b5ca18baa7e695cf34cd496f1914fcbf34f4844254\n\
transcription_atrial_fibrillation_followup 5196f624da4e4ff666870785aab8d53773579c4d67f16c16bf03b9062028abc2\n\
transcription_copd_followup 3c07999a7da34738c172f854453c7f51bb2464da234ec7f8614dc64d3eb59885\n\
transcription_heart_failure_followup caa69c877f95ed0adb512ea53be58d8c3f4d8c9e843fe3fd39baa2f7b0d0249a\n\
transcription_pneumonia_followup e95b46bb09948427597a7cf7d03ba716d0e88d89dd5ab3ad5d6b93bec5d38f59\n\
transfer_in_period2_breast_cancer b856cf6791f5a30281bbc9b093cda37eeef05ee249bb9ca41014608794706fbb\n\
transfer_in_period3_f2f_parkinsons 0adc47fbb148b318782147b70be4558b8a8431b17009e007104b4f72ac83831e\n\
urgent_care_ankle_sprain 45d21688819e9ac89d58e2f1740cffe9e559d8ee5d83102f12fa5533701094d1\n\
";
