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
const HOURS_ROW_PX: f32 = 15.0;
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

/// The font, colours and painter of one frame's drawing.
struct Pen {
    painter: egui::Painter,
    small: FontId,
    text_colour: Color32,
    weak: Color32,
    dark: bool,
}

impl Pen {
    /// The width of `s` in the small font.
    fn width(&self, s: &str) -> f32 {
        self.painter
            .layout_no_wrap(s.to_string(), self.small.clone(), self.text_colour)
            .size()
            .x
    }

    /// Writes `text` in the small font.
    fn text(&self, pos: Pos2, anchor: Align2, text: impl ToString, colour: Color32) {
        self.painter
            .text(pos, anchor, text, self.small.clone(), colour);
    }
}

/// Where the rows of labels go and how tall each lane is, measured before the canvas exists
/// (x from 0 at the left of the canvas).
struct Placement {
    band_labels: Vec<String>,
    band_rows: Vec<usize>,
    event_spans: Vec<layout::EventSpan>,
    event_rows: Vec<usize>,
    /// Hours labels: centre x, text, width.
    hours: Vec<(f32, String, f32)>,
    hours_rows: Vec<usize>,
    y_bands: f32,
    y_events: f32,
    y_axis: f32,
    y_strip: f32,
    y_hours: f32,
    height: f32,
}

/// The allocated canvas: its top-left corner and the scale placed on it.
struct Canvas {
    origin: Pos2,
    scale: Scale,
}

impl Canvas {
    /// Screen y of a canvas y.
    fn at(&self, y: f32) -> f32 {
        self.origin.y + y
    }
}

impl Drawing<'_> {
    fn ui(&self, ui: &mut Ui) {
        let mut pen = Pen {
            painter: ui.painter().clone(),
            small: FontId::proportional(theme::MIN_TEXT_SIZE),
            text_colour: ui.visuals().text_color(),
            weak: ui.visuals().weak_text_color(),
            dark: theme::is_dark(ui.ctx()),
        };
        let place = self.place(&pen);
        let canvas_w = self.scale_from(GUTTER_PX).right_px() + 24.0;
        let (response, painter) = ui.allocate_painter(vec2(canvas_w, place.height), Sense::hover());
        pen.painter = painter;
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
        let canvas = Canvas {
            origin,
            scale: self.scale_from(origin.x + GUTTER_PX),
        };
        let mut hits: Vec<Hit> = Vec::new();
        lane_names(&pen, &place, &canvas);
        self.review_line(&pen, &place, &canvas);
        self.bands_ui(&pen, &place, &canvas, &mut hits);
        axis_ui(&pen, &place, &canvas);
        self.events_ui(&pen, &place, &canvas, &mut hits);
        self.care_ui(&pen, &place, &canvas, &mut hits);

        if let Some(pos) = response.hover_pos()
            && let Some(hit) = hits.iter().rev().find(|h| h.rect.contains(pos))
        {
            let text = hit.text.clone();
            response.on_hover_ui_at_pointer(|ui| {
                ui.label(text);
            });
        }
    }

    /// The scale with the axis starting at `left_px`.
    fn scale_from(&self, left_px: f32) -> Scale {
        Scale {
            left_px,
            ..self.scale
        }
    }

    /// Staggers the labels into rows and stacks the lanes (relative geometry: x from 0 at the
    /// left of the canvas).
    fn place(&self, pen: &Pen) -> Placement {
        let scale = self.scale_from(GUTTER_PX);
        let band_labels: Vec<String> = self.bands.iter().map(band_label).collect();
        let band_rows = layout::stagger(
            &self
                .bands
                .iter()
                .zip(&band_labels)
                .map(|(b, label)| {
                    let x = scale.x(b.start.max(scale.start));
                    let w = (scale.x(shift(b.end, 1)) - x).max(pen.width(label) + 8.0);
                    (x, w)
                })
                .collect::<Vec<_>>(),
            1.0,
        );
        let right_limit = scale.right_px() + 20.0;
        let event_spans: Vec<layout::EventSpan> = self
            .events
            .iter()
            .map(|e| layout::event_span(scale.mid(e.date), pen.width(&e.label), right_limit))
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
                let w = pen.width(&label);
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
        Placement {
            band_labels,
            band_rows,
            event_spans,
            event_rows,
            hours,
            hours_rows,
            y_bands,
            y_events,
            y_axis,
            y_strip,
            y_hours,
            height,
        }
    }

    /// Today in the case (drawn first, so markers and days are drawn over it).
    fn review_line(&self, pen: &Pen, place: &Placement, canvas: &Canvas) {
        let scale = &canvas.scale;
        let rx = scale.mid(self.review);
        let review_colour = review_colour(pen.dark);
        pen.painter.extend(Shape::dashed_line(
            &[
                pos2(rx, canvas.at(14.0)),
                pos2(rx, canvas.at(place.y_hours)),
            ],
            Stroke::new(1.5, review_colour),
            5.0,
            3.0,
        ));
        let anchor = if rx > scale.right_px() - 120.0 {
            Align2::RIGHT_TOP
        } else {
            Align2::LEFT_TOP
        };
        pen.text(
            pos2(rx, canvas.at(0.0)),
            anchor,
            format!("Review {}", self.review),
            review_colour,
        );
    }

    /// The learner's benefit periods as bands.
    fn bands_ui(&self, pen: &Pen, place: &Placement, canvas: &Canvas, hits: &mut Vec<Hit>) {
        let scale = &canvas.scale;
        if self.bands.is_empty() {
            pen.text(
                pos2(
                    scale.left_px + 4.0,
                    canvas.at(place.y_bands + BAND_ROW_PX / 2.0),
                ),
                Align2::LEFT_CENTER,
                "No benefit periods yet: enter periods in the form",
                pen.weak,
            );
        }
        let accent = theme::accent(pen.dark);
        for ((b, label), row) in self
            .bands
            .iter()
            .zip(&place.band_labels)
            .zip(&place.band_rows)
        {
            let Some((from, through)) = scale.clip(b.start, b.end) else {
                continue;
            };
            let top = canvas.at(place.y_bands + BAND_ROW_PX * count_f32(*row));
            let rect = Rect::from_min_max(
                pos2(scale.x(from), top + 1.0),
                pos2(scale.x(shift(through, 1)), top + BAND_ROW_PX - 2.0),
            );
            let tint = if b.row % 2 == 0 { 0.30 } else { 0.18 };
            pen.painter
                .rect_filled(rect, 3.0, accent.gamma_multiply(tint));
            pen.painter.rect_stroke(
                rect,
                3.0,
                Stroke::new(1.0, accent),
                egui::StrokeKind::Inside,
            );
            let text = if rect.width() >= pen.width(label) + 8.0 {
                label.clone()
            } else {
                b.name()
            };
            pen.painter.with_clip_rect(rect).text(
                rect.left_center() + vec2(4.0, 0.0),
                Align2::LEFT_CENTER,
                text,
                pen.small.clone(),
                pen.text_colour,
            );
            let mut tip = b.summary();
            if through < b.end {
                tip.push_str(&format!(" (drawn to {through}, the end of the axis)"));
            }
            hits.push(Hit { rect, text: tip });
        }
    }

    /// The documented events: leader lines, markers, labels.
    fn events_ui(&self, pen: &Pen, place: &Placement, canvas: &Canvas, hits: &mut Vec<Hit>) {
        let axis_y = canvas.at(place.y_axis);
        for ((e, row), span) in self
            .events
            .iter()
            .zip(&place.event_rows)
            .zip(&place.event_spans)
        {
            let x = canvas.scale.mid(e.date);
            let y = axis_y - 6.0 - EVENT_ROW_PX * (count_f32(*row) + 0.5);
            let colour = marker_colour(e.kind, pen.dark);
            pen.painter.vline(
                x,
                y + 6.0..=axis_y,
                Stroke::new(1.0, colour.gamma_multiply(0.45)),
            );
            pen.painter
                .vline(x, axis_y - 4.0..=axis_y, Stroke::new(2.0, colour));
            paint_marker(&pen.painter, pos2(x, y), e.kind, pen.dark, 5.5);
            let anchor = if span.label_left {
                Align2::RIGHT_CENTER
            } else {
                Align2::LEFT_CENTER
            };
            pen.text(pos2(span.label_x(x), y), anchor, &e.label, pen.text_colour);
            // Spans were measured from the canvas' left edge.
            let left = canvas.origin.x + span.start_px;
            hits.push(Hit {
                rect: Rect::from_min_max(pos2(left, y - 8.0), pos2(left + span.width_px, y + 8.0)),
                text: format!("{} — {}", e.date, e.detail),
            });
        }
    }

    /// The level of care per day, the hint to choose the missing levels, and the hours.
    fn care_ui(&self, pen: &Pen, place: &Placement, canvas: &Canvas, hits: &mut Vec<Hit>) {
        let scale = &canvas.scale;
        let strip_mid = canvas.at(place.y_strip + STRIP_PX / 2.0);
        if self.cells.is_empty() {
            pen.text(
                pos2(scale.left_px + 4.0, strip_mid),
                Align2::LEFT_CENTER,
                "No care days logged",
                pen.weak,
            );
        }
        for c in self.cells {
            if scale.clip(c.date, c.date).is_none() {
                continue;
            }
            let rect = Rect::from_min_size(
                pos2(scale.x(c.date) + 0.5, canvas.at(place.y_strip)),
                vec2((scale.px_per_day - 1.0).max(1.0), STRIP_PX),
            );
            let (fill, code) = match c.level {
                Some(l) => (level_colour(l), l.code()),
                None => (unchosen_colour(pen.dark), "?"),
            };
            pen.painter.rect_filled(rect, 1.0, fill);
            if rect.width() >= pen.width(code) + 2.0 {
                pen.text(rect.center(), Align2::CENTER_CENTER, code, Color32::BLACK);
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
            let (x, anchor) = if before - scale.left_px >= pen.width(hint) {
                (before, Align2::RIGHT_CENTER)
            } else {
                (scale.x(shift(last.date, 1)) + 6.0, Align2::LEFT_CENTER)
            };
            pen.text(pos2(x, strip_mid), anchor, hint, pen.weak);
        }
        for ((x, label, _), row) in place.hours.iter().zip(&place.hours_rows) {
            pen.painter.text(
                pos2(
                    canvas.origin.x + *x,
                    canvas.at(place.y_hours + HOURS_ROW_PX * count_f32(*row)),
                ),
                Align2::CENTER_TOP,
                label,
                FontId::proportional(theme::MIN_TEXT_SIZE),
                pen.text_colour,
            );
        }
    }
}

/// The lane names on the left.
fn lane_names(pen: &Pen, place: &Placement, canvas: &Canvas) {
    for (y, name) in [
        (place.y_bands + BAND_ROW_PX / 2.0, "Periods"),
        (place.y_events + EVENT_ROW_PX / 2.0, "Events"),
        (place.y_strip + STRIP_PX / 2.0, "Care"),
    ] {
        pen.text(
            pos2(canvas.origin.x + 2.0, canvas.at(y)),
            Align2::LEFT_CENTER,
            name,
            pen.weak,
        );
    }
}

/// The axis with month and week ticks.
fn axis_ui(pen: &Pen, place: &Placement, canvas: &Canvas) {
    let scale = &canvas.scale;
    let axis_y = canvas.at(place.y_axis);
    pen.painter.hline(
        scale.left_px..=scale.right_px(),
        axis_y,
        Stroke::new(1.5, pen.text_colour),
    );
    // The axis starts with its month's name unless a month tick is close by.
    let ticks = layout::ticks(scale);
    let first_month_x = ticks.iter().find_map(|t| match t {
        Tick::Month(d) => Some(scale.x(*d)),
        Tick::Week(_) => None,
    });
    let label_start = first_month_x.is_none_or(|x| x - scale.left_px >= 70.0);
    if label_start {
        pen.text(
            pos2(scale.left_px + 2.0, axis_y + 4.0),
            Align2::LEFT_TOP,
            layout::month_label(scale.start, true),
            pen.weak,
        );
    }
    let mut first_month = !label_start;
    for tick in ticks {
        let x = scale.x(tick.date());
        match tick {
            Tick::Month(d) => {
                pen.painter.vline(
                    x,
                    axis_y - 5.0..=axis_y + 6.0,
                    Stroke::new(1.5, pen.text_colour),
                );
                pen.text(
                    pos2(x + 2.0, axis_y + 4.0),
                    Align2::LEFT_TOP,
                    layout::month_label(d, first_month),
                    pen.text_colour,
                );
                first_month = false;
            }
            Tick::Week(_) => {
                pen.painter
                    .vline(x, axis_y - 3.0..=axis_y + 3.0, Stroke::new(1.0, pen.weak));
            }
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
