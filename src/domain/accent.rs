//! The accent colour of the public pages, chosen by an admin: parsed from `#rrggbb` (or
//! `#rgb`), and turned into the stylesheet's colours with text on them that stays readable
//! (WCAG AA contrast) whatever colour was chosen, in light and dark mode.

/// munifed's own accent, when the admin chose none.
pub const DEFAULT_ACCENT: Accent = Accent([0x1f, 0x5f, 0xa8]);

/// The backgrounds links sit on, as the stylesheet sets them: the page (`--bg`) and cards
/// (`--card`), in light and dark mode.
pub const LIGHT_BACKGROUNDS: [Accent; 2] = [Accent([0xff, 0xff, 0xff]), Accent([0xf6, 0xf8, 0xfa])];
pub const DARK_BACKGROUNDS: [Accent; 2] = [Accent([0x16, 0x19, 0x1d]), Accent([0x1e, 0x22, 0x28])];
/// WCAG 2.1 AA for normal text.
const READABLE: f64 = 4.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accent([u8; 3]);

impl Accent {
    /// `#1f5fa8`, `1f5fa8` or `#15a`; anything else is refused.
    pub fn parse(value: &str) -> Option<Accent> {
        let value = value.trim();
        let hex = value.strip_prefix('#').unwrap_or(value);
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        match hex.len() {
            6 => Some(Accent([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?])),
            3 => {
                let short = |i| digit(i, 1).map(|d| d * 17);
                Some(Accent([short(0)?, short(1)?, short(2)?]))
            }
            _ => None,
        }
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The stylesheet's colour variables: the accent itself (bands and buttons), the text
    /// drawn on it, and links on the page background, darkened (light mode) or lightened
    /// (dark mode) until they read at AA contrast.
    pub fn css_variables(self) -> String {
        let on_accent = if self.contrast(Accent([0xff; 3])) >= self.contrast(Accent([0; 3])) {
            "#ffffff"
        } else {
            "#000000"
        };
        format!(
            ":root{{--accent:{};--on-accent:{on_accent};--link:{}}}\n\
             @media (prefers-color-scheme:dark){{:root{{--link:{}}}}}\n",
            self.hex(),
            self.readable_on(LIGHT_BACKGROUNDS, [0; 3]).hex(),
            self.readable_on(DARK_BACKGROUNDS, [0xff; 3]).hex(),
        )
    }

    /// This colour mixed towards `towards` in small steps until it reads on every one of
    /// `backgrounds`.
    fn readable_on(self, backgrounds: [Accent; 2], towards: [u8; 3]) -> Accent {
        (0..=20)
            .map(|step| self.mix(towards, f64::from(step) / 20.0))
            .find(|colour| {
                backgrounds
                    .iter()
                    .all(|background| colour.contrast(*background) >= READABLE)
            })
            .unwrap_or(Accent(towards))
    }

    fn mix(self, other: [u8; 3], amount: f64) -> Accent {
        let channel = |a: u8, b: u8| {
            (f64::from(a) + (f64::from(b) - f64::from(a)) * amount)
                .round()
                .clamp(0.0, 255.0) as u8
        };
        Accent([
            channel(self.0[0], other[0]),
            channel(self.0[1], other[1]),
            channel(self.0[2], other[2]),
        ])
    }

    /// Relative luminance, as WCAG defines it.
    fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0[0]) + 0.7152 * linear(self.0[1]) + 0.0722 * linear(self.0[2])
    }

    /// The WCAG contrast ratio of two colours (1 to 21).
    pub fn contrast(self, other: Accent) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable<'a>(css: &'a str, name: &str) -> Vec<&'a str> {
        css.split(&format!("--{name}:"))
            .skip(1)
            .filter_map(|rest| rest.get(..7))
            .collect()
    }

    #[test]
    fn parses_long_and_short_hex_and_refuses_the_rest() {
        assert_eq!(Accent::parse("#1F5FA8"), Some(Accent([0x1f, 0x5f, 0xa8])));
        assert_eq!(
            Accent::parse("15a").map(Accent::hex).as_deref(),
            Some("#1155aa")
        );
        for bad in [
            "",
            "##abc",
            "#",
            "#12345",
            "#1234567",
            "red",
            "#ggg",
            "#12 456",
            "#１２３",
        ] {
            assert_eq!(Accent::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn links_and_text_on_the_accent_read_whatever_the_colour() {
        for colour in [
            "#ffff00", "#ffffff", "#000000", "#1f5fa8", "#e30613", "#7fffd4",
        ] {
            let accent = Accent::parse(colour).expect("colour");
            let css = accent.css_variables();
            let links = variable(&css, "link");
            let light = Accent::parse(links[0]).expect("light link");
            let dark = Accent::parse(links[1]).expect("dark link");
            for background in LIGHT_BACKGROUNDS {
                assert!(light.contrast(background) >= READABLE, "{colour} light");
            }
            for background in DARK_BACKGROUNDS {
                assert!(dark.contrast(background) >= READABLE, "{colour} dark");
            }
            let on = Accent::parse(variable(&css, "on-accent")[0]).expect("on accent");
            // Black or white on any colour reaches at least 4.5:1 for one of the two.
            assert!(accent.contrast(on) >= READABLE, "{colour} on accent");
        }
    }

    #[test]
    fn a_readable_accent_is_used_as_chosen() {
        let css = DEFAULT_ACCENT.css_variables();
        assert_eq!(variable(&css, "link")[0], "#1f5fa8");
    }
}
