//! Colours and text styles. Colour is reserved for meaning: allergy, abnormal, critical, error,
//! success, and one accent. Light and dark themes share the same meanings.

use egui::{Color32, Context, RichText};

/// Installs the base style and fonts.
///
/// The proportional font (Ubuntu Light) lacks some symbols the clinical texts use, such as
/// "→" in ESI reasons and coding rationales; the bundled monospace font (Hack) has them, so it
/// is added as the proportional family's last fallback instead of drawing empty boxes.
pub(crate) fn install(ctx: &Context) {
    let mut fonts = egui::FontDefinitions::default();
    if fonts.font_data.contains_key("Hack")
        && let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional)
        && !family.iter().any(|f| f == "Hack")
    {
        family.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        // Nothing under MIN_TEXT_SIZE at the default scale: egui's small style (captions,
        // `.small()`, small buttons) is 9 px out of the box.
        for font in style.text_styles.values_mut() {
            font.size = font.size.max(MIN_TEXT_SIZE);
        }
    });
}

/// The smallest text size, in points at zoom 1 (captions, table notes, flowsheet labels).
pub(crate) const MIN_TEXT_SIZE: f32 = 12.0;

/// Whether the current theme is dark.
pub(crate) fn is_dark(ctx: &Context) -> bool {
    ctx.global_style().visuals.dark_mode
}

/// Allergy / critical red.
pub(crate) fn alert(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 120, 110)
    } else {
        Color32::from_rgb(178, 34, 34)
    }
}

/// Abnormal (H/L) amber.
pub(crate) fn abnormal(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 190, 90)
    } else {
        Color32::from_rgb(170, 95, 0)
    }
}

/// Success green.
pub(crate) fn success(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(120, 210, 140)
    } else {
        Color32::from_rgb(30, 120, 60)
    }
}

/// The one accent colour.
pub(crate) fn accent(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(120, 170, 255)
    } else {
        Color32::from_rgb(30, 90, 170)
    }
}

/// A section heading.
pub(crate) fn heading(text: impl Into<String>) -> RichText {
    RichText::new(text).size(17.0).strong()
}

/// A grey label above a value (the small text style: [`MIN_TEXT_SIZE`]).
pub(crate) fn caption(text: impl Into<String>) -> RichText {
    RichText::new(text).small().weak()
}
