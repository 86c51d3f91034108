//! Baseline for the binary-size delta: reads stdin, prints its byte length
//! and its number of CJK character pairs.
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let pairs = s.chars().collect::<Vec<_>>().windows(2).filter(|w| w[0] > '\u{3000}' && w[1] > '\u{3000}').count();
    println!("{} {}", std::hint::black_box(s.len()), pairs);
}
