//! Decimal rounding the way Python and numpy do it, and Flee's primitive error functions.
//!
//! Flee (`flee/postprocessing/analysis.py`) rounds every per-camp error to 4 decimals
//! (`ROUND_NDIGITS = 4`). It does so with **numpy's** algorithm, not Python's correctly rounded
//! `round`:
//!
//! * `abs_diffs` calls `np.round(array, 4)`;
//! * `rel_error` (the `<camp> error` column of `out.csv`) calls `round(np.abs(...), 4)`, and
//!   `np.abs` returns an `np.float64`, whose `__round__` is numpy's algorithm too.
//!
//! numpy computes `rint(x * 10^n) / 10^n` in floating point ([`round_np`]); Python's built-in
//! `round(float, n)` rounds the exact binary value half-to-even ([`round_py`]). They differ when
//! `x * 10^n` lands on `.5` only because of the multiplication's rounding. Example: with
//! `x = |49/160 - 1|` (exactly `0.693749999999999977...`), Python gives `0.6937` and numpy gives
//! `0.6938` (also `np.round(2.675, 2)` is `2.68`, `round(2.675, 2)` is `2.67`). The reference `out.csv` files contain 44 such cases and all of them hold numpy's
//! value, so the metrics of this crate use [`round_np`].

/// Number of decimals Flee rounds its per-camp errors to (`ROUND_NDIGITS`).
pub const ROUND_NDIGITS: u32 = 4;

/// Python's built-in `round(x, ndigits)` for a `float`: the decimal with `ndigits` digits after
/// the point that is nearest to the **exact** binary value of `x`, ties to even, converted back
/// to the nearest `f64`.
///
/// NaN and infinities are returned unchanged, as Python does. Ties only happen when `x` is
/// exactly representable as a decimal with one more digit, for example `round_py(0.125, 2)` is
/// `0.12` and `round_py(0.375, 2)` is `0.38`; `round_py(2.675, 2)` is `2.67` because the double
/// nearest to 2.675 lies below it.
pub fn round_py(x: f64, ndigits: u32) -> f64 {
    if !x.is_finite() || ndigits > 400 {
        // Beyond ~330 digits every double is already exact; Python returns x as well.
        return x;
    }
    // Rust's fixed-precision formatting is exact and rounds ties to even, which is what
    // CPython's `_Py_dg_dtoa(x, 3, ndigits, ...)` does; parsing back is correctly rounded.
    let s = format!("{:.*}", ndigits as usize, x);
    match s.parse::<f64>() {
        // Keep the sign of zero like Python (`round(-0.0001, 2)` is `-0.0`).
        Ok(0.0) => 0.0f64.copysign(x),
        Ok(v) => v,
        Err(_) => x, // cannot happen for the output of `format!`
    }
}

/// numpy's `np.round(x, ndigits)` (also `round(np.float64(x), ndigits)`) for a double:
/// `rint(x * 10^ndigits) / 10^ndigits`, all in `f64`, where `rint` rounds half to even.
///
/// This is the rounding Flee's metrics use; see the module documentation. NaN and infinities pass
/// through. `10^ndigits` is built by repeated multiplication as numpy's `power_of_ten` does.
pub fn round_np(x: f64, ndigits: u32) -> f64 {
    let mut f = 1.0f64;
    for _ in 0..ndigits {
        f *= 10.0;
    }
    (x * f).round_ties_even() / f
}

/// Flee's `rel_error(val, correct_val)`, which fills the `<camp> error` column of `out.csv`:
/// `0.0` if `data < 1e-5`, otherwise `round(|sim / data - 1|, 4)` with numpy rounding.
pub fn relative_error(sim: f64, data: f64) -> f64 {
    if data < 0.00001 {
        return 0.0;
    }
    round_np((sim / data - 1.0).abs(), ROUND_NDIGITS)
}

/// Flee's `abs_error(val, correct_val)`: `round(|sim - data|, 4)` with numpy rounding.
pub fn absolute_error(sim: f64, data: f64) -> f64 {
    round_np((sim - data).abs(), ROUND_NDIGITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_round_ties_to_even_on_exact_values() {
        assert_eq!(round_py(0.5, 0), 0.0);
        assert_eq!(round_py(1.5, 0), 2.0);
        assert_eq!(round_py(2.5, 0), 2.0);
        assert_eq!(round_py(-2.5, 0), -2.0);
        assert_eq!(round_py(0.125, 2), 0.12);
        assert_eq!(round_py(0.375, 2), 0.38);
        assert_eq!(round_py(0.0625, 3), 0.062);
        assert_eq!(round_py(0.03125, 4), 0.0312);
        assert_eq!(round_py(0.09375, 4), 0.0938);
    }

    #[test]
    fn python_round_uses_exact_binary_value() {
        // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875.
        assert_eq!(round_py(2.675, 2), 2.67);
        // 5e-05 is stored slightly above 0.00005, so it rounds up ...
        assert_eq!(round_py(5e-5, 4), 0.0001);
        // ... and |49/160 - 1| is the double nearest 0.69375, which lies slightly below the tie.
        let x = (49.0f64 / 160.0 - 1.0).abs();
        assert_eq!(x, 0.69375);
        assert_eq!(round_py(x, 4), 0.6937);
        assert_eq!(round_py(1.23456789, 4), 1.2346);
        assert_eq!(round_py(-1.23456789, 4), -1.2346);
        assert_eq!(round_py(1e300, 4), 1e300);
        assert_eq!(round_py(123.0, 0), 123.0);
    }

    #[test]
    fn python_round_special_values() {
        assert!(round_py(f64::NAN, 4).is_nan());
        assert_eq!(round_py(f64::INFINITY, 4), f64::INFINITY);
        assert_eq!(round_py(f64::NEG_INFINITY, 4), f64::NEG_INFINITY);
        assert!(round_py(-0.00001, 4).is_sign_negative());
        assert_eq!(round_py(f64::MIN_POSITIVE, 500), f64::MIN_POSITIVE);
    }

    #[test]
    fn numpy_round_scales_then_rints() {
        // Exact ties in the scaled value go to even.
        assert_eq!(round_np(0.5, 0), 0.0);
        assert_eq!(round_np(1.5, 0), 2.0);
        assert_eq!(round_np(2.5, 0), 2.0);
        assert_eq!(round_np(0.125, 2), 0.12);
        assert_eq!(round_np(0.375, 2), 0.38);
        // 5e-05 * 1e4 rounds to exactly 0.5 in f64, and rint(0.5) = 0.
        assert_eq!(round_np(5e-5, 4), 0.0);
        // 0.69375 computed as |49/160 - 1|: numpy rounds up where Python rounds down.
        let x = (49.0f64 / 160.0 - 1.0).abs();
        assert_eq!(round_np(x, 4), 0.6938);
        // 2.675 (stored below the tie) * 100 rounds to exactly 267.5, so numpy gives 2.68
        // where Python gives 2.67; likewise numpy's documented 16.055 -> 16.06.
        assert_eq!(round_np(2.675, 2), 2.68);
        assert_eq!(round_np(16.055, 2), 16.06);
        assert_eq!(round_py(16.055, 2), 16.05);
        assert_eq!(round_np(7.0, 4), 7.0);
        assert!(round_np(f64::NAN, 4).is_nan());
        assert_eq!(round_np(f64::INFINITY, 4), f64::INFINITY);
    }

    #[test]
    fn flee_error_primitives() {
        assert_eq!(relative_error(925.0, 965.0), 0.0415);
        assert_eq!(relative_error(70.0, 69.0), 0.0145);
        assert_eq!(relative_error(5.0, 0.0), 0.0);
        assert_eq!(relative_error(5.0, 0.000009), 0.0);
        assert_eq!(relative_error(49.0, 160.0), 0.6938);
        assert_eq!(absolute_error(3.0, 10.0), 7.0);
        assert_eq!(absolute_error(1.00004999, 0.0), 1.0);
    }
}
