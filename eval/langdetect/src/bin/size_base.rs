//! Baseline for the binary-size delta: reads stdin, prints its length.
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    println!("{}", std::hint::black_box(s.len()));
}
