//! Decimal text for map coordinates, distances, areas and shares, written
//! with integer arithmetic: core's float formatting (`{:.1}`, `f64`'s
//! `Display`) costs the tablet bundle several kilobytes, and its pages only
//! ever need a fixed number of decimals.

/// `x` rounded to `decimals` places (at most 6), e.g. `fixed(12.345, 1)` →
/// `12.3`; `fixed(-0.04, 1)` → `0.0`. Not finite: `0`.
pub fn fixed(x: f64, decimals: u32) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let decimals = decimals.min(6);
    let scale = 10i64.pow(decimals);
    let scaled = (x * scale as f64).round() as i64;
    let (sign, abs) = if scaled < 0 { ("-", scaled.unsigned_abs()) } else { ("", scaled as u64) };
    let (int, frac) = (abs / scale as u64, abs % scale as u64);
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::fixed;

    #[test]
    fn rounds_like_the_format_it_replaces() {
        for (x, d, want) in [
            (12.345, 1, "12.3"),
            (12.35, 0, "12"),
            (0.0, 1, "0.0"),
            (-3.26, 1, "-3.3"),
            (-0.04, 1, "0.0"),
            (114.123456, 5, "114.12346"),
            (99.95, 1, "100.0"),
            (7.0, 0, "7"),
        ] {
            assert_eq!(fixed(x, d), want, "{x} to {d}");
        }
        assert_eq!(fixed(f64::NAN, 2), "0");
    }
}
