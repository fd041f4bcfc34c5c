//! The aligner: two token sequences and seeds drawn from the bytes, aligned with word-like and
//! letter-like settings. Spans must stay inside both sequences, apart from each other, with
//! matches at most their columns.

use reprint::passage::align::{align, AlignParams};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if data.len() < 4 {
            return;
        }
        let split = (data[0] as usize * data.len() / 256).clamp(1, data.len() - 1);
        // Small alphabets, so that runs match by chance.
        let a: Vec<u8> = data[1..split].iter().map(|b| b % 7).collect();
        let b: Vec<u8> = data[split..].iter().map(|b| b % 7).collect();
        for (k, band) in [(5, None), (3, Some(4))] {
            let mut seeds: Vec<(u32, u32)> = Vec::new();
            for i in 0..a.len().saturating_sub(k - 1) {
                for j in 0..b.len().saturating_sub(k - 1) {
                    if a[i..i + k] == b[j..j + k] && seeds.len() < 200 {
                        seeds.push((i as u32, j as u32));
                    }
                }
            }
            let p = AlignParams {
                anchor_k: k,
                max_gap: data[1] as usize % 40,
                x_drop: (data[2] % 10) as i32,
                split_gap: data[3] as usize % 12,
                split_identity: (1, 2 + (data[3] as usize % 3)),
                bridge_band: band,
            };
            let spans = align(&a, &b, &seeds, &p, 1 + data[2] as usize % 6);
            for (i, s) in spans.iter().enumerate() {
                assert!(s.a_start < s.a_end && s.a_end <= a.len() && s.b_start < s.b_end && s.b_end <= b.len());
                assert!(s.matches <= s.columns);
                for t in &spans[i + 1..] {
                    assert!(s.a_end <= t.a_start || t.a_end <= s.a_start, "{spans:?}");
                }
            }
        }
    });
}
