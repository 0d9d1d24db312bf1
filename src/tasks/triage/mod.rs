//! Emergency-department triage with the Emergency Severity Index (ESI v5 by default, v4 as a
//! setting): the structured [`Presentation`] a scenario or answer file describes, the resource
//! catalogue ([`Resource`] → [`ResourceType`]), the age-banded danger-zone vitals, the pediatric
//! fever rules and the engine [`assess`] that turns a presentation into an [`EsiResult`].
//!
//! Invariant: the engine is a pure function of the presentation (its settings included); the
//! same presentation always gives the same result, reasons in decision-point order.

pub mod esi;
pub mod fever;
pub mod presentation;
pub mod resources;
pub mod settings;
pub mod shift;
pub mod vitals;

pub use esi::{DecisionPoint, EsiResult, assess};
pub use presentation::{
    Age, Arrival, ArrivalMode, Baseline, CriticalFinding, Distress, HighRisk, Immunizations,
    LifeSavingIntervention, MentalStatus, Pain, PainCause, PainScale, Pregnancy, Presentation,
    PresentationError, Sex, Vitals,
};
pub use resources::{Resource, ResourceType};
pub use settings::{
    AdvancedImagingCounting, EcgXrayCounting, EsiSettings, EsiVersion, RapidTestPolicy,
};
pub mod spec;
pub mod task;

pub use spec::TriageSpec;
pub use task::Triage;
