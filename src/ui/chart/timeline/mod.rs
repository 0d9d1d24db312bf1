//! The hospice timeline chart section: a date axis from the first documented date to the
//! review date ("today in the case"), the learner's benefit periods as bands, the documented
//! events as markers with staggered labels, and the care log as a level-of-care strip; then the
//! same content as a text list, so nothing is only visual.
//!
//! Invariants: the drawing shows what the chart documents and what the learner entered, never
//! the key (periods and levels come from the learner's answer, in practice and in assessment
//! alike); colours carry a shape or a text as well (colour-blind safe, Okabe–Ito palette);
//! the zoom is a view preference kept in egui's memory, not in the app state.

mod events;
mod layout;

use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Shape, Stroke, Ui, pos2, vec2};

use self::events::{CareCell, CareLevel, Event, MarkerKind, PeriodBand};
use self::layout::{Scale, Tick};
use crate::tasks::TaskMaterial;
use crate::tasks::hospice::timeline::shift;
use crate::ui::theme;
use crate::ui::workspace::Workspace;

/// Width of the lane names on the left of the drawing.
const GUTTER_PX: f32 = 64.0;
/// Height of one row of event labels.
const EVENT_ROW_PX: f32 = 18.0;
/// Height of one row of period bands.
const BAND_ROW_PX: f32 = 22.0;
/// Height of the level-of-care strip.
const STRIP_PX: f32 = 18.0;
/// Height of one row of hours labels under the strip.
const HOURS_ROW_PX: f32 = 13.0;
/// Smallest and largest zoom factor relative to the fitted zoom.
const ZOOM_RANGE: (f32, f32) = (0.25, 8.0);

/// Draws the hospice timeline of the open case (a note for other task kinds).
pub(super) fn timeline_ui(ui: &mut Ui, w: &Workspace) {
    ui.label(theme::heading("Hospice timeline"));
    let TaskMaterial::Hospice(m) = &w.case.task else {
        ui.label("The timeline is shown for hospice cases.");
        return;
    };
    let t = &m.chart;
    let events = events::documented_events(t);
    let (bands, problems) = events::learner_periods(&w.answer);
    let cells = events::care_cells(&m.care_log, &w.answer);
    let (start, end) = layout::axis_range(t, &bands);
    let review = t.review_date();
    ui.label(theme::caption(format!(
        "{start} to {end}. Markers are what the record documents; the benefit periods and the levels of care are your answers from the form."
    )));
    let zoom_id = egui::Id::unique((
        "hospice_timeline_zoom",
        &w.scenario.scenario.id,
        w.case.seed,
    ));
    let zoom = zoom_controls_ui(ui, zoom_id);
    legend_ui(ui);
    let fit = layout::fit_px_per_day(
        (ui.available_width() - GUTTER_PX - 30.0).max(100.0),
        (end - start).num_days() + 1,
    );
    let scale = Scale {
        start,
        end,
        px_per_day: fit * zoom,
        left_px: 0.0,
    };
    let drawing = Drawing {
        scale,
        review,
        events: &events,
        bands: &bands,
        cells: &cells,
    };
    ui.scope(|ui| {
        // A solid bar, visible without hovering, so a long stay shows it can scroll.
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::horizontal()
            .id_salt("hospice_timeline_scroll")
            .auto_shrink([false, true])
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .show(ui, |ui| drawing.ui(ui));
    });
    ui.add_space(8.0);
    summary_ui(ui, &drawing, &problems);
}

/// Zoom in / out / fit buttons; returns the zoom factor relative to the fitted zoom.
fn zoom_controls_ui(ui: &mut Ui, id: egui::Id) -> f32 {
    let mut zoom = ui.ctx().data(|d| d.get_temp::<f32>(id)).unwrap_or(1.0);
    ui.horizontal(|ui| {
        if ui.button("Zoom out").clicked() {
            zoom /= 1.5;
        }
        if ui.button("Zoom in").clicked() {
            zoom *= 1.5;
        }
        if ui.button("Fit").clicked() {
            zoom = 1.0;
        }
        ui.label(theme::caption("Scroll sideways for long stays"));
    });
    zoom = zoom.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
    ui.ctx().data_mut(|d| d.insert_temp(id, zoom));
    zoom
}

/// The legend: each marker's shape and colour, each level's colour, the band and the review line.
fn legend_ui(ui: &mut Ui) {
    let dark = theme::is_dark(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        for kind in MarkerKind::ALL {
            legend_item(ui, 12.0, kind.legend(), |p, r| {
                paint_marker(p, r.center(), kind, dark, 5.0);
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        for level in CareLevel::ALL {
            legend_item(ui, 18.0, level.legend(), |p, r| {
                p.rect_filled(r, 2.0, level_colour(level));
            });
        }
        legend_item(ui, 18.0, "level not chosen", |p, r| {
            p.rect_filled(r, 2.0, unchosen_colour(dark));
        });
        legend_item(ui, 18.0, "your benefit period", |p, r| {
            p.rect_filled(r, 2.0, theme::accent(dark).gamma_multiply(0.35));
        });
        legend_item(ui, 8.0, "review date (today in the case)", |p, r| {
            p.vline(
                r.center().x,
                r.y_range(),
                Stroke::new(2.0, review_colour(dark)),
            );
        });
    });
}

/// One legend entry drawn as a single widget (so a wrap never separates a swatch from its
/// words): a swatch `width_px` wide painted by `paint`, then the words; labelled for AccessKit.
fn legend_item(ui: &mut Ui, width_px: f32, words: &str, paint: impl FnOnce(&egui::Painter, Rect)) {
    let font = egui::TextStyle::Small.resolve(ui.style());
    let colour = ui.visuals().text_color();
    let galley = ui.painter().layout_no_wrap(words.to_string(), font, colour);
    let size = vec2(
        width_px + 4.0 + galley.size().x + 10.0,
        galley.size().y.max(12.0),
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let swatch = Rect::from_center_size(
        pos2(rect.left() + width_px / 2.0, rect.center().y),
        vec2(width_px, 12.0),
    );
    paint(ui.painter(), swatch);
    ui.painter().galley(
        pos2(
            swatch.right() + 4.0,
            rect.center().y - galley.size().y / 2.0,
        ),
        galley,
        colour,
    );
    let name = words.to_string();
    response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Label, true, name.clone()));
}

/// Everything the drawing needs, computed once per frame.
struct Drawing<'a> {
    scale: Scale,
    review: chrono::NaiveDate,
    events: &'a [Event],
    bands: &'a [PeriodBand],
    cells: &'a [CareCell],
}

/// Something under the pointer with its tooltip.
struct Hit {
    rect: Rect,
    text: String,
}

impl Drawing<'_> {
    fn ui(&self, ui: &mut Ui) {
        let dark = theme::is_dark(ui.ctx());
        let text_colour = ui.visuals().text_color();
        let weak = ui.visuals().weak_text_color();
        let small = FontId::proportional(11.5);
        let painter = ui.painter().clone();
        let width = |s: &str| {
            painter
                .layout_no_wrap(s.to_string(), small.clone(), text_colour)
                .size()
                .x
        };
        // Relative geometry first (x from 0 at the left of the canvas), then offset.
        let scale = Scale {
            left_px: GUTTER_PX,
            ..self.scale
        };
        let band_labels: Vec<String> = self.bands.iter().map(band_label).collect();
        let band_rows = layout::stagger(
            &self
                .bands
                .iter()
                .zip(&band_labels)
                .map(|(b, label)| {
                    let x = scale.x(b.start.max(scale.start));
                    let w = (scale.x(shift(b.end, 1)) - x).max(width(label) + 8.0);
                    (x, w)
                })
                .collect::<Vec<_>>(),
            1.0,
        );
        let right_limit = scale.right_px() + 20.0;
        let event_spans: Vec<layout::EventSpan> = self
            .events
            .iter()
            .map(|e| layout::event_span(scale.mid(e.date), width(&e.label), right_limit))
            .collect();
        let event_rows = layout::stagger(
            &event_spans
                .iter()
                .map(|s| (s.start_px, s.width_px))
                .collect::<Vec<_>>(),
            6.0,
        );
        let hours: Vec<(f32, String, f32)> = self
            .cells
            .iter()
            .filter_map(|c| {
                let label = c.hours_label()?;
                let w = width(&label);
                Some((scale.mid(c.date), label, w))
            })
            .collect();
        let hours_rows = layout::stagger(
            &hours
                .iter()
                .map(|(x, _, w)| (x - w / 2.0, *w))
                .collect::<Vec<_>>(),
            4.0,
        );
        let n_band_rows = band_rows.iter().max().map_or(1, |r| r + 1);
        let n_event_rows = event_rows.iter().max().map_or(1, |r| r + 1);
        let n_hours_rows = hours_rows.iter().max().map_or(0, |r| r + 1);
        let y_bands = 18.0;
        let y_events = y_bands + BAND_ROW_PX * count_f32(n_band_rows) + 6.0;
        let y_axis = y_events + EVENT_ROW_PX * count_f32(n_event_rows) + 6.0;
        let y_strip = y_axis + 20.0;
        let y_hours = y_strip + STRIP_PX + 2.0;
        let height = y_hours + HOURS_ROW_PX * count_f32(n_hours_rows) + 8.0;
        let canvas_w = scale.right_px() + 24.0;

        let (response, painter) = ui.allocate_painter(vec2(canvas_w, height), Sense::hover());
        let label = format!(
            "Hospice timeline drawing from {} to {}: {} documented events, {} benefit periods entered, {} care days logged",
            self.scale.start,
            self.scale.end,
            self.events.len(),
            self.bands.len(),
            self.cells.len()
        );
        response
            .widget_info(move || egui::WidgetInfo::labeled(egui::Role::Image, true, label.clone()));
        let origin = response.rect.min;
        let scale = Scale {
            left_px: origin.x + GUTTER_PX,
            ..self.scale
        };
        let at = |y: f32| origin.y + y;
        let mut hits: Vec<Hit> = Vec::new();

        // Lane names.
        for (y, name) in [
            (y_bands + BAND_ROW_PX / 2.0, "Periods"),
            (y_events + EVENT_ROW_PX / 2.0, "Events"),
            (y_strip + STRIP_PX / 2.0, "Care"),
        ] {
            painter.text(
                pos2(origin.x + 2.0, at(y)),
                Align2::LEFT_CENTER,
                name,
                small.clone(),
                weak,
            );
        }

        // Today in the case (first, so markers and days are drawn over it).
        let rx = scale.mid(self.review);
        let review_colour = review_colour(dark);
        painter.extend(Shape::dashed_line(
            &[pos2(rx, at(14.0)), pos2(rx, at(y_hours))],
            Stroke::new(1.5, review_colour),
            5.0,
            3.0,
        ));
        let anchor = if rx > scale.right_px() - 120.0 {
            Align2::RIGHT_TOP
        } else {
            Align2::LEFT_TOP
        };
        painter.text(
            pos2(rx, at(0.0)),
            anchor,
            format!("Review {}", self.review),
            small.clone(),
            review_colour,
        );

        // Benefit periods (the learner's).
        if self.bands.is_empty() {
            painter.text(
                pos2(scale.left_px + 4.0, at(y_bands + BAND_ROW_PX / 2.0)),
                Align2::LEFT_CENTER,
                "No benefit periods yet: enter periods in the form",
                small.clone(),
                weak,
            );
        }
        let accent = theme::accent(dark);
        for ((b, label), row) in self.bands.iter().zip(&band_labels).zip(&band_rows) {
            let Some((from, through)) = scale.clip(b.start, b.end) else {
                continue;
            };
            let top = at(y_bands + BAND_ROW_PX * count_f32(*row));
            let rect = Rect::from_min_max(
                pos2(scale.x(from), top + 1.0),
                pos2(scale.x(shift(through, 1)), top + BAND_ROW_PX - 2.0),
            );
            let tint = if b.row % 2 == 0 { 0.30 } else { 0.18 };
            painter.rect_filled(rect, 3.0, accent.gamma_multiply(tint));
            painter.rect_stroke(
                rect,
                3.0,
                Stroke::new(1.0, accent),
                egui::StrokeKind::Inside,
            );
            let text = if rect.width() >= width(label) + 8.0 {
                label.clone()
            } else {
                b.name()
            };
            painter.with_clip_rect(rect).text(
                rect.left_center() + vec2(4.0, 0.0),
                Align2::LEFT_CENTER,
                text,
                small.clone(),
                text_colour,
            );
            let mut tip = b.summary();
            if through < b.end {
                tip.push_str(&format!(" (drawn to {through}, the end of the axis)"));
            }
            hits.push(Hit { rect, text: tip });
        }

        // The axis with month and week ticks.
        let axis_y = at(y_axis);
        painter.hline(
            scale.left_px..=scale.right_px(),
            axis_y,
            Stroke::new(1.5, text_colour),
        );
        // The axis starts with its month's name unless a month tick is close by.
        let ticks = layout::ticks(&scale);
        let first_month_x = ticks.iter().find_map(|t| match t {
            Tick::Month(d) => Some(scale.x(*d)),
            Tick::Week(_) => None,
        });
        let label_start = first_month_x.is_none_or(|x| x - scale.left_px >= 70.0);
        if label_start {
            painter.text(
                pos2(scale.left_px + 2.0, axis_y + 4.0),
                Align2::LEFT_TOP,
                layout::month_label(scale.start, true),
                small.clone(),
                weak,
            );
        }
        let mut first_month = !label_start;
        for tick in ticks {
            let x = scale.x(tick.date());
            match tick {
                Tick::Month(d) => {
                    painter.vline(
                        x,
                        axis_y - 5.0..=axis_y + 6.0,
                        Stroke::new(1.5, text_colour),
                    );
                    painter.text(
                        pos2(x + 2.0, axis_y + 4.0),
                        Align2::LEFT_TOP,
                        layout::month_label(d, first_month),
                        small.clone(),
                        text_colour,
                    );
                    first_month = false;
                }
                Tick::Week(_) => {
                    painter.vline(x, axis_y - 3.0..=axis_y + 3.0, Stroke::new(1.0, weak));
                }
            }
        }

        // Events: leader lines, markers, labels.
        for ((e, row), span) in self.events.iter().zip(&event_rows).zip(&event_spans) {
            let x = scale.mid(e.date);
            let y = axis_y - 6.0 - EVENT_ROW_PX * (count_f32(*row) + 0.5);
            let colour = marker_colour(e.kind, dark);
            painter.vline(
                x,
                y + 6.0..=axis_y,
                Stroke::new(1.0, colour.gamma_multiply(0.45)),
            );
            painter.vline(x, axis_y - 4.0..=axis_y, Stroke::new(2.0, colour));
            paint_marker(&painter, pos2(x, y), e.kind, dark, 5.5);
            let anchor = if span.label_left {
                Align2::RIGHT_CENTER
            } else {
                Align2::LEFT_CENTER
            };
            painter.text(
                pos2(span.label_x(x), y),
                anchor,
                &e.label,
                small.clone(),
                text_colour,
            );
            // Spans were measured from the canvas' left edge.
            let left = origin.x + span.start_px;
            hits.push(Hit {
                rect: Rect::from_min_max(pos2(left, y - 8.0), pos2(left + span.width_px, y + 8.0)),
                text: format!("{} — {}", e.date, e.detail),
            });
        }

        // Level of care per day.
        if self.cells.is_empty() {
            painter.text(
                pos2(scale.left_px + 4.0, at(y_strip + STRIP_PX / 2.0)),
                Align2::LEFT_CENTER,
                "No care days logged",
                small.clone(),
                weak,
            );
        }
        for c in self.cells {
            if scale.clip(c.date, c.date).is_none() {
                continue;
            }
            let rect = Rect::from_min_size(
                pos2(scale.x(c.date) + 0.5, at(y_strip)),
                vec2((scale.px_per_day - 1.0).max(1.0), STRIP_PX),
            );
            let (fill, code) = match c.level {
                Some(l) => (level_colour(l), l.code()),
                None => (unchosen_colour(dark), "?"),
            };
            painter.rect_filled(rect, 1.0, fill);
            if rect.width() >= width(code) + 2.0 {
                painter.text(
                    rect.center(),
                    Align2::CENTER_CENTER,
                    code,
                    small.clone(),
                    Color32::BLACK,
                );
            }
            hits.push(Hit {
                rect,
                text: c.summary(),
            });
        }
        if let (Some(first), Some(last)) = (self.cells.first(), self.cells.last())
            && self.cells.iter().any(|c| c.level.is_none())
        {
            // Before the logged days when there is room, else after them.
            let hint = "choose levels of care in the form";
            let before = scale.x(first.date) - 6.0;
            let (x, anchor) = if before - scale.left_px >= width(hint) {
                (before, Align2::RIGHT_CENTER)
            } else {
                (scale.x(shift(last.date, 1)) + 6.0, Align2::LEFT_CENTER)
            };
            painter.text(
                pos2(x, at(y_strip + STRIP_PX / 2.0)),
                anchor,
                hint,
                small.clone(),
                weak,
            );
        }
        for ((x, label, _), row) in hours.iter().zip(&hours_rows) {
            painter.text(
                pos2(origin.x + *x, at(y_hours + HOURS_ROW_PX * count_f32(*row))),
                Align2::CENTER_TOP,
                label,
                FontId::proportional(10.5),
                text_colour,
            );
        }

        if let Some(pos) = response.hover_pos()
            && let Some(hit) = hits.iter().rev().find(|h| h.rect.contains(pos))
        {
            let text = hit.text.clone();
            response.on_hover_ui_at_pointer(|ui| {
                ui.label(text);
            });
        }
    }
}

/// A band's full label: "P1 2028-01-10 – 2028-04-08".
fn band_label(b: &PeriodBand) -> String {
    format!("{} {} – {}", b.name(), b.start, b.end)
}

/// A small count as f32 (rows and lanes are few).
fn count_f32(n: usize) -> f32 {
    u16::try_from(n).map_or(f32::from(u16::MAX), f32::from)
}

/// The summary list under the drawing: the same content as text, one label per line.
fn summary_ui(ui: &mut Ui, d: &Drawing<'_>, problems: &[String]) {
    ui.separator();
    ui.label(RichText::new("Timeline summary").strong());
    ui.label(format!("Review date (today in the case): {}", d.review));
    ui.add_space(4.0);
    ui.label(RichText::new("Benefit periods (your answer)").strong());
    if d.bands.is_empty() && problems.is_empty() {
        ui.label("No benefit periods entered — enter periods in the form.");
    }
    for b in d.bands {
        ui.label(b.summary());
    }
    let dark = theme::is_dark(ui.ctx());
    for p in problems {
        ui.label(RichText::new(p).color(theme::abnormal(dark)));
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Documented events").strong());
    if d.events.is_empty() {
        ui.label("Nothing documented yet.");
    }
    for e in d.events {
        ui.label(format!("{} — {}", e.date, e.detail));
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Level of care by day (care log; levels are your answer)").strong());
    if d.cells.is_empty() {
        ui.label("No care days logged.");
    }
    for c in d.cells {
        ui.label(c.summary());
    }
}

/// Paints a marker of `kind` centred on `c` with half-size `r`.
fn paint_marker(painter: &egui::Painter, c: Pos2, kind: MarkerKind, dark: bool, r: f32) {
    let colour = marker_colour(kind, dark);
    let outline = Stroke::new(1.5, colour);
    let filled = |points: Vec<Pos2>| Shape::convex_polygon(points, colour, Stroke::NONE);
    let hollow = |points: Vec<Pos2>| Shape::convex_polygon(points, Color32::TRANSPARENT, outline);
    let up = vec![
        pos2(c.x, c.y - r),
        pos2(c.x + r, c.y + r),
        pos2(c.x - r, c.y + r),
    ];
    let down = vec![
        pos2(c.x - r, c.y - r),
        pos2(c.x + r, c.y - r),
        pos2(c.x, c.y + r),
    ];
    let diamond = vec![
        pos2(c.x, c.y - r),
        pos2(c.x + r, c.y),
        pos2(c.x, c.y + r),
        pos2(c.x - r, c.y),
    ];
    match kind {
        MarkerKind::Election => {
            painter.add(filled(up));
        }
        MarkerKind::Noe => {
            painter.rect_filled(
                Rect::from_center_size(c, vec2(r * 1.7, r * 1.7)),
                0.0,
                colour,
            );
        }
        MarkerKind::Assessment => {
            painter.circle_stroke(c, r * 0.85, outline);
        }
        MarkerKind::CertWritten => {
            painter.add(filled(diamond));
        }
        MarkerKind::CertOral => {
            painter.add(hollow(diamond));
        }
        MarkerKind::F2f => {
            painter.circle_filled(c, r * 0.9, colour);
        }
        MarkerKind::Idg => {
            painter.rect_filled(
                Rect::from_center_size(c, vec2(r * 0.7, r * 2.0)),
                0.0,
                colour,
            );
        }
        MarkerKind::Hope => {
            painter.add(filled(down));
        }
        MarkerKind::Sfv => {
            painter.add(hollow(down));
        }
        MarkerKind::StayEnd => {
            let s = Stroke::new(2.5, colour);
            painter.line_segment([pos2(c.x - r, c.y - r), pos2(c.x + r, c.y + r)], s);
            painter.line_segment([pos2(c.x - r, c.y + r), pos2(c.x + r, c.y - r)], s);
        }
    }
}

/// Okabe–Ito colours, lightened where the dark theme needs it.
fn marker_colour(kind: MarkerKind, dark: bool) -> Color32 {
    let pick = |light: [u8; 3], on_dark: [u8; 3]| {
        let [r, g, b] = if dark { on_dark } else { light };
        Color32::from_rgb(r, g, b)
    };
    match kind {
        MarkerKind::Election => theme::accent(dark),
        MarkerKind::Noe => pick([0xB0, 0x7A, 0x00], [0xE6, 0x9F, 0x00]),
        MarkerKind::Assessment => pick([0x00, 0x72, 0xB2], [0x56, 0xB4, 0xE9]),
        MarkerKind::CertWritten | MarkerKind::CertOral => {
            pick([0x00, 0x86, 0x62], [0x2F, 0xC4, 0x9A])
        }
        MarkerKind::F2f => pick([0xB0, 0x4E, 0x8C], [0xCC, 0x79, 0xA7]),
        MarkerKind::Idg => pick([0x60, 0x60, 0x60], [0xB0, 0xB0, 0xB0]),
        MarkerKind::Hope | MarkerKind::Sfv => pick([0xD5, 0x5E, 0x00], [0xF0, 0x83, 0x3A]),
        MarkerKind::StayEnd => theme::alert(dark),
    }
}

/// Level-of-care fills (Okabe–Ito), read with black text in both themes.
fn level_colour(level: CareLevel) -> Color32 {
    match level {
        CareLevel::Rhc => Color32::from_rgb(0x56, 0xB4, 0xE9),
        CareLevel::Chc => Color32::from_rgb(0xE6, 0x9F, 0x00),
        CareLevel::Gip => Color32::from_rgb(0xD5, 0x5E, 0x00),
        CareLevel::Irc => Color32::from_rgb(0xCC, 0x79, 0xA7),
    }
}

/// A logged day without a chosen level.
fn unchosen_colour(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(150)
    } else {
        Color32::from_gray(200)
    }
}

/// The review-date line: strong and neutral, unlike every marker colour.
fn review_colour(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(235)
    } else {
        Color32::from_gray(25)
    }
}
