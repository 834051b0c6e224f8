//! Small statistics for the dashboard: percentiles of response times.

use jiff::SignedDuration;

/// The `p`-th percentile (0–100) of `values` by the nearest-rank method: the smallest value
/// with at least `p` percent of the values at or below it. `None` for no values.
pub fn percentile(values: &[SignedDuration], p: f64) -> Option<SignedDuration> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mins(v: &[i64]) -> Vec<SignedDuration> {
        v.iter().map(|m| SignedDuration::from_mins(*m)).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v = mins(&[40, 10, 30, 20, 50]);
        assert_eq!(percentile(&v, 50.0), Some(SignedDuration::from_mins(30)));
        assert_eq!(percentile(&v, 90.0), Some(SignedDuration::from_mins(50)));
        assert_eq!(percentile(&v, 0.0), Some(SignedDuration::from_mins(10)));
        assert_eq!(
            percentile(&mins(&[7]), 90.0),
            Some(SignedDuration::from_mins(7))
        );
        assert_eq!(percentile(&[], 50.0), None);
    }
}
